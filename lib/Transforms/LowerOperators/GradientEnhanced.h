//===- GradientEnhanced.h - gradients of residuals for gPINN losses -------===//
//
// A gradient-enhanced loss (stde.loss ... gradient_weights [g]) adds
// g mean_p |grad_x r(x_p)|^2. The residual r is arithmetic (arith, math) over
// operator values; its partial derivatives d r / dx_j follow by forward-mode
// chain rule through that arithmetic, and each operator's partial d/dx_j L u
// is the operator with one more derivative (lowered by the caller).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_LOWEROPERATORS_GRADIENTENHANCED_H
#define STDE_TRANSFORMS_LOWEROPERATORS_GRADIENTENHANCED_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace stde::lowering {

/// d/dx_j of an operator op's value for every j of the partials' coordinates:
/// tensor<m x N>, or failure (with an error emitted).
using OperatorPartials = llvm::function_ref<mlir::FailureOr<mlir::Value>(mlir::Operation *)>;

/// d r / dx_j for the m coordinates j the caller's operator partials use:
/// tensor<m x N>, a null Value when r does not depend on the point, or
/// failure (an error at `loss` names what to change) when r depends on
/// something whose derivative is unknown (a function argument, an op
/// without a chain rule).
mlir::FailureOr<mlir::Value> residualPartials(mlir::OpBuilder &b, mlir::Operation *loss,
                                              mlir::Value residual, int64_t blocks,
                                              OperatorPartials operatorPartials);

/// The spatial dimension of the points a residual is evaluated at: that of
/// the networks of the operators it depends on (0 when it depends on none;
/// failure, with an error at `loss`, when they disagree). `inputs`, if
/// given, receives their input size (spatial + 1 for space-time networks).
mlir::FailureOr<int64_t> residualSpatialDim(mlir::Operation *loss, mlir::Value residual,
                                            int64_t *inputs = nullptr);

} // namespace stde::lowering

#endif // STDE_TRANSFORMS_LOWEROPERATORS_GRADIENTENHANCED_H
