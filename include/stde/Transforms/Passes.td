//===- Passes.td - passes within the stde (problem) level ----*- tablegen -*-===//
#ifndef STDE_TRANSFORMS_PASSES_TD
#define STDE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def StdeResolveEstimators : Pass<"stde-resolve-estimators", "mlir::ModuleOp"> {
  let summary = "Give every operator an explicit estimator";
  let description = [{
    An operator (stde.laplacian, stde.biharmonic, stde.diff) without an
    estimator takes the spatial estimator of the losses its result feeds; when
    those losses name none (or name #stde.zo, which perturbs parameters and
    says nothing about space), it takes the pass's `default`. Two losses that
    disagree about an operator they share are an error. Afterwards every
    operator carries the estimator the lowering will use, and each is checked
    against its network (for example, sparse samples <= dimension).

    An attribute with commas goes in quotes or braces:
    ```
    stde-opt --stde-resolve-estimators='default="#stde.dense<distribution = gaussian, samples = 4>"' in.mlir
    ```
  }];
  let options = [
    Option<"defaultEstimator", "default", "std::string", "\"#stde.exact\"",
           "estimator for operators that have none and feed no loss that names "
           "one (an attribute: #stde.exact, #stde.sparse<samples = N>, "
           "#stde.dense<distribution = rademacher|gaussian, samples = N>)">
  ];
}

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
    connects the two. An op without a Taylor rule is an error naming it.
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

#endif // STDE_TRANSFORMS_PASSES_TD
