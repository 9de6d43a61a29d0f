//===- IRText.h - helpers for writing MLIR as text --------------*- C++ -*-===//
#ifndef STDE_LIB_API_IRTEXT_H
#define STDE_LIB_API_IRTEXT_H

#include <cstdint>
#include <cstdio>
#include <string>

namespace stde {

/// A double as an MLIR float literal that round-trips exactly. MLIR needs a
/// '.' before any exponent (1.0e-08, not 1e-08).
inline std::string mlirFloat(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  std::string s = buffer;
  if (s.find_first_of(".n") == std::string::npos) {
    size_t e = s.find_first_of("eE");
    s.insert(e == std::string::npos ? s.size() : e, ".0");
  }
  return s;
}

/// Type names of one element type T: vectors, point batches, memrefs.
struct TensorTypes {
  std::string t, theta; ///< "f32"/"f64" and the parameter vector's type
  std::string vec(int64_t n) const { return "tensor<" + std::to_string(n) + "x" + t + ">"; }
  std::string mat(int64_t n, int64_t d) const {
    return "tensor<" + std::to_string(n) + "x" + std::to_string(d) + "x" + t + ">";
  }
  std::string mem(int64_t n) const { return "memref<" + std::to_string(n) + "x" + t + ">"; }
  std::string memMat(int64_t n, int64_t d) const {
    return "memref<" + std::to_string(n) + "x" + std::to_string(d) + "x" + t + ">";
  }
};

} // namespace stde

#endif // STDE_LIB_API_IRTEXT_H
