//===- MatrixProduct.h - matrix products read off linalg ops ---*- C++ -*-===//
//
// After bufferization a matrix product is a linalg.generic (param-grad
// generalizes the named ops; its adjoints keep inputs the body does not
// read) or a linalg.matmul. The match is on the body and the indexing maps,
// so transposed operands (weight gradients X^T dY, data gradients dY W) are
// recognised too.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_ANALYSIS_MATRIXPRODUCT_H
#define STDE_ANALYSIS_MATRIXPRODUCT_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace stde {

/// C[M, N] += A[M, K] B[K, N] read off a linalg op, where M, N and K are
/// groups of loop dimensions (after reshape folding a (directions x points)
/// row axis is two loops): the operands the body multiplies and the groups,
/// M and N in the order C lists them, K in the order A lists them.
struct MatrixProduct {
  mlir::OpOperand *a, *b;
  llvm::SmallVector<unsigned> m, n, k;
};

/// The product `op` computes (buffer or tensor semantics, one output), if it
/// is one.
mlir::FailureOr<MatrixProduct> matchMatrixProduct(mlir::linalg::LinalgOp op);

/// The memref of `operand` as a matrix: its dimensions permuted to (rows...,
/// cols...) (a memref.transpose view) and each group collapsed into one, cast
/// to a fully dynamic strided layout. Fails when a group cannot be collapsed
/// without a copy.
mlir::FailureOr<mlir::Value> matrixView(mlir::OpBuilder &b, mlir::Location loc,
                                        mlir::linalg::LinalgOp op, mlir::OpOperand *operand,
                                        llvm::ArrayRef<unsigned> rows,
                                        llvm::ArrayRef<unsigned> cols);

/// memref<? x ? x element> with a fully dynamic strided layout: the type of
/// every matrix view, and of the runtime matmul's arguments.
mlir::MemRefType dynamicMatrixType(mlir::Type element);

/// Whether matrixView would succeed, without building anything.
bool canViewAsMatrix(mlir::linalg::LinalgOp op, mlir::OpOperand *operand,
                     llvm::ArrayRef<unsigned> rows, llvm::ArrayRef<unsigned> cols);

/// A (M x K), B (K x N) and C (M x N) of a matched product as matrix views.
struct MatrixViews {
  mlir::Value a, b, c;
};
mlir::FailureOr<MatrixViews> matrixViews(mlir::OpBuilder &b, mlir::Location loc,
                                         mlir::linalg::LinalgOp op, const MatrixProduct &p);

/// Whether matrixViews would succeed for all three operands.
bool canViewAsMatrices(mlir::linalg::LinalgOp op, const MatrixProduct &p);

/// M * N * K of `op` (huge when a loop range is dynamic).
int64_t multiplyAdds(mlir::linalg::LinalgOp op);

} // namespace stde

#endif // STDE_ANALYSIS_MATRIXPRODUCT_H
