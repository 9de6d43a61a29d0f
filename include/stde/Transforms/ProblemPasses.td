//===- ProblemPasses.td - problem-level passes -------------*- tablegen -*-===//
// Included by Passes.td (one generated header for every Transforms pass).
#ifndef STDE_TRANSFORMS_PROBLEMPASSES_TD
#define STDE_TRANSFORMS_PROBLEMPASSES_TD

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

def StdeLowerOperators : Pass<"stde-lower-operators", "mlir::ModuleOp"> {
  let summary = "Lower differential operators and losses to seeded jet pushforwards";
  let description = [{
    Rewrites every operator op into tangent draws, `jet.pushforward`s and
    the extraction arithmetic, by its estimator:
    - `#stde.exact`: the jet planner (stde/Planner) chooses jets and exact
      rational constants for every term; jets of one shape are pushed as
      one batch of directions (one-hot tangents as index tensors).
    - `#stde.sparse<samples = S>`: terms grouped by pattern; equal-weight
      classes (the Laplacian's u_ii) sampled without replacement and
      rescaled by T/|J|, others drawn with probability |C_alpha|/Z; each
      sampled term pushed by its pattern's plan with one-hot tangents.
    - `#stde.dense<distribution, samples = S>`: Hutchinson-type random
      tangents for operators of order <= 2 (general coefficient matrices via
      their eigendecomposition, C = M+ M+^T - M- M-^T), and for the
      biharmonic (1/3) E[d4u(v)] (Gaussian) or the Rademacher form with the
      diagonal correction 2/3 sum_i u_iiii sparse-sampled.
    An operator without an estimator takes the one of the `stde.loss` its
    result feeds (as `stde-resolve-estimators` does), and the `estimator`
    option only when its losses name none.
    `stde.diffusion` ((1/2) tr(sigma sigma^T Hess u) + b . grad u, sigma and
    b per point) pushes sigma-transformed tangents: basis vectors weighted
    by sigma_i^2 (diagonal sigma, one-hot) or the columns sigma e_i (full),
    all (exact) or a sample rescaled by Ds/|J| (sparse), or sigma z (dense);
    the drift is one order-1 jet along b. `stde.grad_norm` (sum_i |u_i|^p)
    pushes order-1 jets along all or sampled basis vectors, or (p = 2)
    random tangents.
    `stde.grad` and `stde.time_derivative` are exact; `stde.apply` is the
    primal. `stde.loss` becomes sum_i w_i mean(r_i^2) (with point weights
    q_i: sum_i w_i sum_p q_ip r_ip^2); with `form unbiased` each residual fed
    by a random operator is computed twice with independent streams and the
    loss is sum_i w_i mean(r_i r_i').

    Random numbers come from `rng` ops keyed by a seed and a step: with
    `seed=arguments` (default) a function that needs them gets two trailing
    i64 arguments (seed, step); with `seed=<n>` a fixed seed and step 0.
    Each operator owns 256 streams (its index in its function << 8; the
    second replica of an unbiased loss sets bit 7): two functions with the
    same operators in the same order draw the same numbers.
  }];
  let options = [
    Option<"defaultEstimator", "estimator", "std::string", "\"#stde.exact\"",
           "estimator of operators that carry none and whose losses name none "
           "(an operator without its own inherits its loss's first)">,
    Option<"samples", "samples", "int64_t", "0",
           "override the sample count of every random estimator (0: keep)">,
    Option<"distribution", "distribution", "std::string", "\"\"",
           "override the distribution of dense estimators: rademacher or gaussian">,
    Option<"seed", "seed", "std::string", "\"arguments\"",
           "'arguments' (trailing seed and step arguments) or a fixed integer seed">,
    Option<"maxOrder", "max-order", "int64_t", "16",
           "highest jet order the planner may use">
  ];
  let dependentDialects = ["mlir::jet::JetDialect", "mlir::rng::RngDialect",
                           "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect", "mlir::math::MathDialect"];
}

#endif // STDE_TRANSFORMS_PROBLEMPASSES_TD
