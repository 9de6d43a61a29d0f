//===- ZeroOrderPasses.td - zeroth-order pairing and update ----*- tablegen -*-===//
// Included by Passes.td (one generated header for every Transforms pass).
#ifndef STDE_TRANSFORMS_ZEROORDERPASSES_TD
#define STDE_TRANSFORMS_ZEROORDERPASSES_TD

include "mlir/Pass/PassBase.td"

def ZoPair : Pass<"zo-pair", "mlir::ModuleOp"> {
  let summary = "Pair a loss at theta +- eps P, P a per-layer low-rank perturbation (SDZE)";
  let description = [{
    Runs on the jet level (after jet-expand), on losses `@f(%theta, ...) -> T`
    whose parameters feed only `jet.dense` layers. Adds

      @f_zo(<f's arguments>, %cores: tensor<C x T>, %zseed: i64, %pstep: i64,
            %epoch: i64) -> tensor<q x 2 x T>

    returning L(theta_eff + eps P_j) and L(theta_eff - eps P_j) for q pairs j,
    where theta_eff = W + A S B^T per layer (S: r x r blocks of %cores, the
    accumulated update) and P_j = scale (A Z_j B^T, db_j) with scale =
    sqrt(O I) / r (the norm of a full Gaussian). Every dense layer becomes
    `jet.dense` (W x + b) + A (M (x B)) + db as three `jet.linear` maps,
    M = S +- eps scale Z_j: both sides are clones of @f's body, so every
    spatial draw (points, tangents, sampled indices) is the same SSA value on
    both sides (common random numbers, identical reduction order) and, after
    CSE, W x and x B of every layer whose input does not depend on the
    perturbation (the first) are computed once for both sides. A and B come
    from `zo.basis` keyed by (%zseed, %epoch), Z and db from Gaussian draws
    keyed by (%zseed, %pstep) on per-layer, per-pair streams (ZoStreams.h).
    The rank of a layer is min(rank, O, I). The plan (layers, ranks, core
    offsets, eps, pairs) is attached as `zo.plan` for zo-update.
  }];
  let options = [
    Option<"functions", "functions", "std::string", "\"\"",
           "comma-separated losses to pair (default: every function whose first "
           "argument feeds jet.dense layers)">,
    Option<"eps", "eps", "double", "1e-3", "perturbation radius">,
    Option<"rank", "rank", "int64_t", "8", "rank of each layer's subspace (1 ... 32)">,
    Option<"pairs", "pairs", "int64_t", "1", "+/- pairs per step (1 ... 256)">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::jet::JetDialect",
                           "mlir::rng::RngDialect", "mlir::tensor::TensorDialect",
                           "mlir::zo::ZoDialect"];
}

def ZoUpdate : Pass<"zo-update", "mlir::ModuleOp"> {
  let summary = "The zeroth-order optimizer step and subspace refresh around a paired loss";
  let description = [{
    For every `@f_zo` made by zo-pair (read from its `zo.plan`), adds

      @f_zo_step(%theta, %state, <f's arguments>, %zseed, %pstep, %epoch)
          -> (tensor<P x T>, tensor<Sz x T>, T)
      @f_zo_fold(%theta, %state, %zseed, %epoch) -> (tensor<P x T>, tensor<Sz x T>)
      @f_zo_directions(%zseed, %pstep, %epoch) -> tensor<(q P) x T>

    The step computes c_j = (L+_j - L-_j) / (2 eps) and the subspace gradient
    g_S = (1/q) sum_j c_j scale Z_j (r x r per layer; biases: (1/q) sum_j c_j
    z_j), then ZO-SGD (S -= lr g_S, b -= lr g_b) or, with momentum
    beta > 0, heavy ball in the subspace (V = beta V + g, S -= lr V: O(r^2)
    state per layer). The weights themselves are not touched: the effective
    weight is W + A S B^T. The fold, called when the subspace is refreshed,
    adds A S B^T to W with the old epoch's bases and clears S and V (the bias
    momentum is kept). The returned loss is the mean of the 2q evaluations.
    The directions function materializes P_j (scale A Z_j B^T, z_j) for tests.
    State layout: all S blocks, then (momentum) all V blocks, then the bias
    momenta. The learning rate decays linearly to 0 at decay-steps (0: constant).

    With `optimizer=adam` the step is Adam on the same estimates, per
    coordinate of the cores and biases: m = b1 m + (1 - b1) g,
    v = b2 v + (1 - b2) g^2, x -= lr' (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t))
    + epsilon), t = step + 1, with lr' = lr for biases and lr scale for a
    core (scale = sqrt(in out) / r, the factor of P). A core coordinate is a
    unit-norm direction A e_k e_l^T B^T of the weights, so the step moves
    each weight by about lr in RMS, as Adam does, and the layer's outputs
    W x by an amount that does not depend on d: one rate carries across d,
    whatever the loss's scale (ZO-SGD's stable rate falls with the loss's
    slope times the parameter count). State: the S blocks,
    their m, their v, then the biases' m and v (3 cores + 2 biases, still
    O(r^2) per layer). The fold clears S and m and keeps v.
  }];
  let options = [
    Option<"learningRate", "learning-rate", "double", "1e-3", "learning rate">,
    Option<"decaySteps", "decay-steps", "int64_t", "0",
           "step at which the learning rate reaches 0 (0: constant)">,
    Option<"momentum", "momentum", "double", "0.0",
           "heavy-ball momentum in the subspace (0: plain ZO-SGD)">,
    Option<"optimizer", "optimizer", "std::string", "\"sgd\"",
           "sgd (ZO-SGD / heavy ball) or adam (Adam on the cores and biases)">,
    Option<"beta1", "beta1", "double", "0.9", "Adam's first-moment decay">,
    Option<"beta2", "beta2", "double", "0.999", "Adam's second-moment decay">,
    Option<"epsilon", "epsilon", "double", "1e-8", "Adam's epsilon">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::func::FuncDialect",
                           "mlir::linalg::LinalgDialect", "mlir::math::MathDialect",
                           "mlir::rng::RngDialect",
                           "mlir::tensor::TensorDialect", "mlir::zo::ZoDialect"];
}

#endif // STDE_TRANSFORMS_ZEROORDERPASSES_TD
