//===- ProblemLibrary.h - pieces the built-in problems share ----*- C++ -*-===//
//
// Shared by the problem library (Problems.cpp: unit-ball problems,
// SpaceTimeProblems.cpp: time-dependent ones), which builds every problem
// with FieldBuilder and ProblemBuilder.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_PROBLEMLIBRARY_H
#define STDE_LIB_API_PROBLEMLIBRARY_H

#include "stde/API/Field.h"
#include "stde/API/Problems.h"

namespace stde {

/// The MLP of the options on x: depth dense layers (width wide, the last with
/// one output, the activation between them), as a scalar.
inline Expr problemMLP(FieldBuilder &fb, Expr x, const ProblemOptions &o) {
  Expr h = o.shareBlock > 0 ? fb.foldBlocks(x, o.shareBlock) : x;
  for (int64_t l = 0; l < o.depth; ++l) {
    bool last = l + 1 == o.depth;
    h = fb.dense(h, last ? 1 : o.width);
    if (!last)
      h = fb.activation(h, o.activation);
  }
  return fb.sum(h);
}

} // namespace stde

#endif // STDE_LIB_API_PROBLEMLIBRARY_H
