//===- ProblemText.h - writing problem modules as MLIR text -----*- C++ -*-===//
//
// Shared by the problem generators (Problems.cpp: unit-ball problems,
// SpaceTimeProblems.cpp: time-dependent ones).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_PROBLEMTEXT_H
#define STDE_LIB_API_PROBLEMTEXT_H

#include "IRText.h"

#include "stde/API/Problems.h"

#include <sstream>
#include <string>

namespace stde {

/// Writes the text of one module; the type helpers come from TensorTypes.
class Writer : public TensorTypes {
public:
  Writer(const ProblemOptions &o) : o(o) { t = o.dtype == DType::f32 ? "f32" : "f64"; }

  const ProblemOptions &o;
  std::ostringstream os;
};

/// Parameters of the MLP on `inputDim` inputs (depth dense layers, scalar out).
inline int64_t numParams(const ProblemOptions &o, int64_t inputDim) {
  int64_t total = 0, in = inputDim;
  for (int64_t l = 0; l < o.depth; ++l) {
    int64_t out = l + 1 == o.depth ? 1 : o.width;
    total += in * out + out;
    in = out;
  }
  return total;
}

/// The MLP's layers on %x inside a network body, ending in the scalar %mlp.
inline void writeMLP(Writer &w, int64_t inputDim) {
  const ProblemOptions &o = w.o;
  int64_t p = numParams(o, inputDim), offset = 0, in = inputDim;
  std::string input = "%x";
  for (int64_t l = 0; l < o.depth; ++l) {
    int64_t out = l + 1 == o.depth ? 1 : o.width;
    w.os << "  %h" << l << " = stde.dense " << input << ", %theta[" << offset << "] : ("
         << w.vec(in) << ", " << w.vec(p) << ") -> " << w.vec(out) << "\n";
    input = "%h" + std::to_string(l);
    if (l + 1 < o.depth) {
      w.os << "  %a" << l << " = stde.activation " << o.activation << " " << input << " : "
           << w.vec(out) << "\n";
      input = "%a" + std::to_string(l);
    }
    offset += in * out + out;
    in = out;
  }
  w.os << "  %mlp = stde.sum " << input << " : " << w.vec(1) << " -> " << w.t << "\n";
}

/// Emits `%name = op %a, %b : type` lines compactly.
struct Lines {
  Writer &w;
  std::string type;
  void bin(const char *name, const char *op, const char *a, const char *b) {
    w.os << "  %" << name << " = arith." << op << " %" << a << ", %" << b << " : " << type << "\n";
  }
  void un(const char *name, const char *op, const char *a) {
    w.os << "  %" << name << " = math." << op << " %" << a << " : " << type << "\n";
  }
  void constant(const char *name, double value) {
    w.os << "  %" << name << " = arith.constant " << mlirFloat(value) << " : " << type << "\n";
  }
  void slice(const char *name, int64_t offset, int64_t size, int64_t dim) {
    w.os << "  %" << name << " = tensor.extract_slice %x[" << offset << "] [" << size
         << "] [1] : " << w.vec(dim) << " to " << w.vec(size) << "\n";
  }
  void sum(const char *name, const char *a) {
    w.os << "  %" << name << " = stde.sum %" << a << " : " << type << " -> " << w.t << "\n";
  }
};

} // namespace stde

#endif // STDE_LIB_API_PROBLEMTEXT_H
