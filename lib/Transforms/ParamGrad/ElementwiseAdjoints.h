//===- ElementwiseAdjoints.h - reverse-mode rules of arith/math ops -*- C++ -*-===//
//
// The adjoint of one elementwise op: given the primal operands and result
// and the adjoint g of the result, the adjoints of the operands. The rules
// are type-polymorphic: the same code differentiates `arith.mulf` on f32,
// on tensor<100x128xf32> and inside a linalg.generic body.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_PARAMGRAD_ELEMENTWISEADJOINTS_H
#define STDE_TRANSFORMS_PARAMGRAD_ELEMENTWISEADJOINTS_H

#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

namespace stde::grad {

/// A float scalar, or a float tensor filled with `value`, of type `type`.
mlir::Value constantLike(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, double value);

/// A float tensor of `type` filled with zeros (tensor.empty + linalg.fill,
/// which bufferizes in place); a float scalar zero for scalar types.
mlir::Value zerosLike(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type);

/// Whether `op` is an arith/math op with a rule below.
bool hasElementwiseRule(mlir::Operation *op);

/// Whether `op` never carries a derivative (integer/index arithmetic,
/// comparisons, constants): its results are treated as constants.
bool isNonDifferentiable(mlir::Operation *op);

/// Adjoints of `op`'s operands (one entry per operand, null where the
/// operand is not differentiable, e.g. a select condition). `operands` and
/// `result` are the primal values to read at the insertion point (they may
/// be clones of op's own). Fails for ops without a rule.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
elementwiseAdjoint(mlir::OpBuilder &b, mlir::Operation *op, mlir::ValueRange operands,
                   mlir::Value result, mlir::Value g);

} // namespace stde::grad

#endif // STDE_TRANSFORMS_PARAMGRAD_ELEMENTWISEADJOINTS_H
