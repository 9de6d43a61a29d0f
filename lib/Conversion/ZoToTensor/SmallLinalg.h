//===- SmallLinalg.h - the few tensor builders of the zo lowering -*- C++ -*-===//
//
// Shared by convert-zo-to-tensor and zo-update (the fold and the
// materialized directions multiply the same factors).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_CONVERSION_ZOTOTENSOR_SMALLLINALG_H
#define STDE_LIB_CONVERSION_ZOTOTENSOR_SMALLLINALG_H

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

#endif // STDE_LIB_CONVERSION_ZOTOTENSOR_SMALLLINALG_H
