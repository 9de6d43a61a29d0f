//===- JetSimplify.h - the rewrites of jet-simplify -----------*- C++ -*-===//
//
// Each rewrite works on jet.pushforward ops (before jet-expand) and can be
// turned off by an option of the pass, so its effect can be measured
// (benchmarks/training_step) and its results checked equal to the
// unrewritten program (test/Unit/JetSimplifyTest.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_TRANSFORMS_JETSIMPLIFY_JETSIMPLIFY_H
#define STDE_LIB_TRANSFORMS_JETSIMPLIFY_JETSIMPLIFY_H

#include "mlir/IR/Block.h"
#include "mlir/Support/LLVM.h"

namespace stde::jetsimplify {

/// Stores the tangents of every pushforward densely: one-hot tangents as
/// materialized basis vectors (`keepOneHot` false) and/or zero coefficients
/// as zeros (`keepZero` false), through jet.widen. This is the "rewrite off"
/// baseline: what a framework without structure does.
void widenPointStructure(mlir::Block &block, bool keepOneHot, bool keepZero);

/// Merges pushforwards of the same network, parameters and points: an exact
/// duplicate is replaced by the first, and a primal-only pushforward (every
/// tangent coefficient zero) by coefficient 0 of any other. Returns the
/// number of pushforwards removed.
unsigned mergePushforwards(mlir::Block &block);

/// Collapsed Taylor mode: a pushforward whose top coefficient is consumed only
/// through weighted sums over the directions with one common weight
/// (linalg.vecmat of a splat) propagates that sum as one tensor: its points
/// go through jet.collapse and each weighted sum becomes weight * sum.
/// Returns the number of pushforwards collapsed.
unsigned collapseTopCoefficients(mlir::Block &block);

} // namespace stde::jetsimplify

#endif // STDE_LIB_TRANSFORMS_JETSIMPLIFY_JETSIMPLIFY_H
