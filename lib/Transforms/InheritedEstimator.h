//===- InheritedEstimator.h - an operator's estimator from its loss -*- C++ -*-===//
//
// Shared by stde-resolve-estimators and stde-lower-operators: an operator
// without an estimator of its own uses the one of the stde.loss its result
// feeds, so lowering a module whose estimator sits on the loss (the usual way
// to write a problem) never silently computes the operator exactly.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_TRANSFORMS_INHERITEDESTIMATOR_H
#define STDE_LIB_TRANSFORMS_INHERITEDESTIMATOR_H

#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace stde {

/// The spatial estimator named by the losses that `op`'s result feeds: null
/// when none names one; failure (diagnosed) when two disagree.
mlir::FailureOr<mlir::Attribute> estimatorFromLosses(mlir::Operation *op);

/// Gives every Laplacian, biharmonic and diff under `root` that has no
/// estimator the one of its losses (when they name one), checking that it
/// suits the operator; failure (diagnosed) otherwise.
mlir::LogicalResult inheritLossEstimators(mlir::Operation *root);

} // namespace stde

#endif // STDE_LIB_TRANSFORMS_INHERITEDESTIMATOR_H
