//===- SplitDimension.h - a buffer's dimension viewed as two ----*- C++ -*-===//
//
// Passes that split a long reduction (stde-split-long-reductions for the
// GPU's threads, stde-vectorizable-math-reductions for the CPU's vector
// lanes) view the reduction dimension of every input that reads it as
// [S, C] with memref.expand_shape, so their ops keep plain indexing maps.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_TRANSFORMS_SPLITDIMENSION_H
#define STDE_LIB_TRANSFORMS_SPLITDIMENSION_H

#include "mlir/IR/Builders.h"

namespace stde {

/// `input` (a memref) with its dimension `position` (of extent S * C)
/// viewed as [S, C], or null when its layout does not allow it.
mlir::Value splitDimension(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                           unsigned position, int64_t inner);

} // namespace stde

#endif // STDE_LIB_TRANSFORMS_SPLITDIMENSION_H
