//===- JetPasses.td - passes on jets -----------------------*- tablegen -*-===//
// Included by Passes.td (one generated header for every Transforms pass).
#ifndef STDE_TRANSFORMS_JETPASSES_TD
#define STDE_TRANSFORMS_JETPASSES_TD

include "mlir/Pass/PassBase.td"

def JetExpand : Pass<"jet-expand", "mlir::ModuleOp"> {
  let summary = "Push jets through networks, primitive by primitive";
  let description = [{
    Replaces every `jet.pushforward @net(...)` by the network's body with each
    primitive replaced by the jet op carrying its Taylor rule (through
    TaylorOpInterface: our network ops implement it, upstream arith, math and
    tensor ops get it as external models). Per-point values become batched
    (a leading axis of N points); constants become jets with zero
    coefficients, so the structure of every intermediate jet is exact. If the
    pushforward declared a less specific result structure, a `jet.widen`
    connects the two. An op without a Taylor rule is an error naming it,
    unless it does not depend on the point or the parameters (constants the
    body draws with `rng.draw`, and their conversions): such ops are copied
    out once, broadcast over the points and seeded with zero coefficients.
    The networks themselves are left in place unless `drop-networks` is set,
    which erases those no longer referenced (for lowering to code).
  }];
  let options = [
    Option<"dropNetworks", "drop-networks", "bool", "false",
           "erase networks that are no longer referenced after expansion">
  ];
  let dependentDialects = ["mlir::jet::JetDialect", "mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def JetSimplify : Pass<"jet-simplify", "mlir::ModuleOp"> {
  let summary = "Structure-exploiting rewrites of jet pushforwards";
  let description = [{
    Runs after stde-lower-operators and before jet-expand, on
    `jet.pushforward`s and what consumes their coefficients. Each rewrite
    has an option, so it can be turned off and measured:
    - `collapse`: collapsed Taylor mode. When the top coefficient of a
      pushforward is consumed only by weighted sums over the directions with
      one common weight (`linalg.vecmat` of a splat constant: Laplacians,
      traces), its points go through `jet.collapse` and the coefficient is
      propagated summed, one tensor per point: hidden layers carry
      1 + (K-1) R + 1 vectors instead of 1 + K R. Each sum becomes
      `init + w * sum`.
    - `merge`: a pushforward identical to an earlier one is replaced by it,
      and a primal-only pushforward (all tangents zero, only coefficient 0
      used) by coefficient 0 of an earlier pushforward of the same network,
      parameters and points.
    - `one-hot` (off: the JAX reference's way): one-hot tangents are stored
      as dense basis vectors, so the first layer multiplies them instead of
      gathering columns (and its weight gradient is a full product, not a
      scatter-add).
    - `zero` (off): zero tangent coefficients are stored as dense zeros and
      propagate like any other.
    The primal is always computed once per point: the jet type keeps one
    primal for all directions, there is no per-direction primal to remove.
  }];
  let options = [
    Option<"collapse", "collapse", "bool", "true",
           "propagate the direction sum of a top coefficient consumed only summed">,
    Option<"merge", "merge", "bool", "true",
           "merge pushforwards of the same network, parameters and points">,
    Option<"oneHot", "one-hot", "bool", "true",
           "keep one-hot tangents as indices (false: dense basis vectors)">,
    Option<"zero", "zero", "bool", "true",
           "keep zero tangent coefficients as nothing (false: dense zeros)">
  ];
  let dependentDialects = ["mlir::jet::JetDialect", "mlir::arith::ArithDialect"];
}

#endif // STDE_TRANSFORMS_JETPASSES_TD
