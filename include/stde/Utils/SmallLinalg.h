//===- SmallLinalg.h - small tensor-level products and fills ---*- C++ -*-===//
//
// Builders used by passes of several levels: convert-zo-to-tensor (the
// subspace bases) and zo-update (the fold and the materialized directions
// multiply the same factors). A utility below both, so that Transforms need
// not include Conversion.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_UTILS_SMALLLINALG_H
#define STDE_UTILS_SMALLLINALG_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace stde::zo {

/// Zeros as a fill: a dense constant would become a global of its full size
/// in the compiled image (512 MB for theta at d = 10^6).
mlir::Value zerosLike(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type);

/// C[x, y] = init[x, y] + sum_k L[x, k] * R[y, k] (L R^T, both factors
/// row-major with the summed index last).
mlir::Value timesTransposed(mlir::OpBuilder &b, mlir::Location loc, mlir::Value l, mlir::Value r,
                            mlir::Value init);

/// C[x, y] = sum_i G[i, x] * G[i, y] (G^T G).
mlir::Value gram(mlir::OpBuilder &b, mlir::Location loc, mlir::Value g);

} // namespace stde::zo

#endif // STDE_UTILS_SMALLLINALG_H
