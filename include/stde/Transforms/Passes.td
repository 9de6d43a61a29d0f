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

#endif // STDE_TRANSFORMS_PASSES_TD
