//===- Passes.h - passes within the stde (problem) level -------*- C++ -*-===//
#ifndef STDE_TRANSFORMS_PASSES_H
#define STDE_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <functional>
#include <memory>
#include <string>

namespace stde {
#define GEN_PASS_DECL
#include "stde/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "stde/Transforms/Passes.h.inc"

/// stde-resolve-estimators with its default estimator made as the attribute
/// (#stde.exact, #stde.sparse or #stde.dense) in the pass's context, instead
/// of parsed from the option's text.
std::unique_ptr<mlir::Pass> createStdeResolveEstimators(
    std::function<mlir::Attribute(mlir::MLIRContext *)> defaultEstimator);
} // namespace stde

#endif // STDE_TRANSFORMS_PASSES_H
