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

#include <vector>

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

/// problemMLP on a space-time point (x, t) of `inputs` entries, t the last, reading
/// (x, timeScale t): with d inputs at Kaiming scale 1/sqrt(d + 1), t alone
/// would move the first layer d times less than x does (and Adam's steps on
/// its weights would move the network as little); a scale near sqrt(d)
/// balances them.
inline Expr spaceTimeMLP(FieldBuilder &fb, Expr xt, int64_t inputs, const ProblemOptions &o) {
  if (o.timeScale == 1.0)
    return problemMLP(fb, xt, o);
  std::vector<double> scale(size_t(inputs), 1.0);
  scale.back() = o.timeScale;
  return problemMLP(fb, fb.mul(xt, fb.constants(scale)), o);
}

} // namespace stde

#endif // STDE_LIB_API_PROBLEMLIBRARY_H
