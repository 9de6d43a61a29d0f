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
                           "mlir::tensor::TensorDialect"];
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

def FuseElementwise : Pass<"stde-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg chains, recomputing large shared producers";
  let description = [{
    linalg-fuse-elementwise-ops, plus producers with several users when they
    are all-parallel generics of at least `min-elements` elements and have
    at most `max-users` users: each consumer recomputes the producer instead
    of reading an N x d buffer (source terms, samplers at large d).
    With `into-reductions`, named broadcasts, reductions and maps are
    generalized first, so producers also fuse into reductions (a squared
    norm reads x directly, a broadcast coefficient vector is never copied
    to every point): fewer N x d buffers, but the fused math then runs in
    the reduction's sequential loop, not vectorized (the zeroth-order path,
    whose point is memory, turns it on; STDE keeps it off for speed).
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", "1000000",
           "smallest producer (elements) worth recomputing instead of storing">,
    Option<"intoReductions", "into-reductions", "bool", "false",
           "generalize named broadcast/reduce/map ops so producers fuse into reductions">,
    Option<"maxUsers", "max-users", "int64_t", "4",
           "most consumers that may each recompute a shared producer">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def SplatsToFills : Pass<"stde-splats-to-fills"> {
  let summary = "Large splat tensor constants become linalg.fill of an empty tensor";
  let description = [{
    A splat constant (every element the same: zero accumulators, one-filled
    seeds) that bufferization turns into a global is materialized as a full
    array in the compiled object, element by element, at compile time: N x w
    zeros of a large batch are gigabytes before the first step. Every splat
    tensor constant of at least `min-elements` elements becomes
    `linalg.fill ins(%scalar) outs(tensor.empty)`, which bufferizes to an
    allocation filled at run time (usually in place of the buffer the value
    initializes), so the module's size no longer grows with the batch.
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", "64",
           "smallest splat (elements) turned into a fill">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def ApproximateF32Math : Pass<"stde-approximate-f32-math"> {
  let summary = "f32 transcendental functions as polynomial approximations (CPU)";
  let description = [{
    Rewrites f32 math ops (tanh, exp, log, sin, cos, ...) into MLIR's
    polynomial approximations, which are f32-accurate and vectorize; f64 ops
    are left for convert-math-to-libm. Runs on scalar code after
    convert-linalg-to-loops.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

def AccumulateInRegisters : Pass<"stde-accumulate-in-registers"> {
  let summary = "Carry loop reductions in registers instead of memory";
  let description = [{
    On loops over buffers (after linalg ops became loops): in an `scf.for`
    that runs at least once (constant bounds), a `memref.load` and a later
    `memref.store` of the same loop-invariant element, in the loop's block,
    with no other access in the loop to that memref or to any memref the
    function's alias analysis cannot prove distinct, become a loop-carried
    value (`iter_args`): one load before the loop, one store after it.
    Innermost loops first, so a nest of reduction loops keeps its
    accumulator in a register throughout. Loads of loop-invariant elements of
    buffers the loop never writes (and that alias nothing it writes) move
    before the loop first, so an accumulator indexed by such a load (a
    sampled column) qualifies too. The arithmetic is unchanged (same
    order), so results are bit-identical; on a GPU a reduction of n terms
    stops being n dependent round trips to global memory.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::memref::MemRefDialect"];
}

def ReductionsInnermost : Pass<"stde-reductions-innermost"> {
  let summary = "Order linalg loops parallel dimensions first, reductions last (GPU)";
  let description = [{
    Interchanges the loops of every linalg op whose reduction dimensions are
    not all innermost (named ops are generalized first), keeping the
    relative order within parallel and within reduction dimensions. On the
    GPU this turns a host loop of kernel launches, each updating the whole
    accumulator, into one kernel whose threads run their own reduction;
    results are bit-identical (each element adds its terms in the same
    order). Not for the CPU pipeline, where innermost parallel loops are the
    ones LLVM vectorizes.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def MergeWeightProducts : Pass<"stde-merge-weight-products", "mlir::func::FuncOp"> {
  let summary = "Matrix products that share a weight become one product over stacked rows";
  let description = [{
    On tensors. Matrix products C[m..., n] = init + A[m..., k] W (W indexed
    [k, n] or [n, k], rows outermost in A and C) that read the same weight
    value with the same K and N, none of whose results is used before the
    last of them, become one product: the A blocks (and the inits) stacked
    along rows (tensor.insert_slice into a tensor.empty, or one splat when
    every init is the same splat), one linalg.generic with the members'
    body, and each member's rows cut back out (tensor.extract_slice, then
    tensor.expand_shape to its shape). A layer's jet coefficients and, in a
    zeroth-order step, both sides of every pair become one product per
    layer. Every row is computed as before (the same weight and reduction
    over K), so the values are unchanged.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def VectorizableMathReductions : Pass<"stde-vectorizable-math-reductions"> {
  let summary = "Sums of f32 transcendental terms in vector lanes (CPU)";
  let description = [{
    A linalg.generic on static buffers that sums (`out + term`, out read
    nowhere else) f32 terms containing transcendental math (sin, cos, exp,
    log, tanh, pow, atan, erf) over one reduction dimension R of at least
    `min-terms` and 2 `lanes` terms runs on the CPU as a scalar accumulation that LLVM cannot
    vectorize (it keeps the order of floating-point adds), so the math's
    polynomials run one lane at a time. The first S C terms (C = `lanes`,
    S = floor(R / C)) are viewed as [S, C] (memref.subview and
    memref.expand_shape) and summed by a first op into a zeroed
    [outputs..., C] buffer, lane c taking the terms s C + c, with the lane
    loop innermost and parallel (it vectorizes); a second op adds the C lanes
    to the output in order, and the original op sums the R - S C remaining
    terms. The summation order changes, deterministically. Runs on buffers
    before the linalg ops become loops.
  }];
  let options = [
    Option<"lanes", "lanes", "int64_t", "64",
           "accumulators per output (a multiple of the vector width)">,
    Option<"minTerms", "min-terms", "int64_t", "1024",
           "only sums of at least this many terms (and 2 lanes)">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect"];
}

def SplitLongReductions : Pass<"stde-split-long-reductions"> {
  let summary = "Split a long reduction with few outputs over many threads (GPU)";
  let description = [{
    A linalg.generic on buffers that sums (`out + f(ins)`) over one long
    reduction dimension into few outputs (a row sum over d = 10^6 for each
    of 100 points) would run as a few threads each adding a million terms.
    When the reduction has at least `min-terms` terms and the outputs number
    fewer than `target-threads`, the reduction dimension R is split as
    S x C (C the largest divisor of R with outputs x C <= target-threads and
    at least `min-terms-per-thread` terms per thread; every input reading
    that dimension is reshaped with memref.expand_shape): a first op sums,
    for each output and c, the terms c, c + C, c + 2C, ... into a zeroed
    workspace (adjacent threads read adjacent elements), a second adds the
    C partial sums to the output in order. The summation order changes (not
    bit-identical to the CPU; deterministic). Runs after
    stde-reductions-innermost, before convert-linalg-to-parallel-loops.
  }];
  let options = [
    Option<"minTerms", "min-terms", "int64_t", "8192",
           "split reductions of at least this many terms">,
    Option<"targetThreads", "target-threads", "int64_t", "65536",
           "threads the first op aims for (outputs x C)">,
    Option<"minTermsPerThread", "min-terms-per-thread", "int64_t", "64",
           "fewest terms each thread of the first op adds">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def ParallelizeOwnedLoops : Pass<"stde-parallelize-owned-loops", "mlir::func::FuncOp"> {
  let summary = "Run a sequential loop nest in parallel over a loop that owns its writes (GPU)";
  let description = [{
    For each perfect `scf.for` nest at the top of a function (no iter_args,
    bounds defined outside it, only loads, stores and pure ops inside): if
    the induction variable of one of its loops appears, at one fixed
    position, in every access to every memref the nest writes, written
    memrefs are distinct, and every memref it only reads is provably
    distinct from them (the function's alias analysis), then different
    iterations of that loop never touch the same element. The nest becomes
    `scf.parallel` over that loop around the others, in their order; each
    element sees the same operations in the same order. Used before
    convert-loops-to-gpu, so that such a nest (the one-hot weight-gradient
    scatter) is a parallel kernel, not a single-thread one.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect"];
}

def ThreadParallelLoops : Pass<"stde-thread-parallel-loops"> {
  let summary = "Keep the large outermost parallel loops for a thread team (CPU)";
  let description = [{
    Runs after `convert-linalg-to-parallel-loops` in the CPU pipeline, before
    `convert-scf-to-openmp`. For each outermost `scf.parallel`: nested
    `scf.parallel` become `scf.for` nests (one thread team per nest), and
    the loop itself stays parallel only if it has no reductions, its body
    has no memory effect but loads and stores (no call, no allocation), and
    its nest runs at least `min-iterations` innermost iterations (constant
    trip counts multiplied). The default, 2^18, is a few hundred
    microseconds of work: below it the team's wake-ups and its competition
    with OpenBLAS's own threads cost more than they save (measured in
    benchmarks/RESULTS.md, "Thread teams"). It then
    keeps the fewest leading dimensions that give at least `min-chunks`
    iterations (never the innermost of several, which LLVM vectorizes);
    the others become `scf.for`. A loop that does not qualify becomes a
    plain `scf.for` nest. The operations each element sees and their order
    are unchanged: results are bit-identical to sequential code. Loops with
    reductions (which convert-linalg-to-parallel-loops does not make) are
    left as they are, with the loops inside them; a loop whose bounds are
    not constants counts as one iteration.
  }];
  let options = [
    Option<"minIterations", "min-iterations", "int64_t", "262144",
           "run a nest on threads only from this many innermost iterations on">,
    Option<"minChunks", "min-chunks", "int64_t", "64",
           "keep leading dimensions until they give this many iterations">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect"];
}

def SplitLongFunctions : Pass<"stde-split-long-functions", "mlir::ModuleOp"> {
  let summary = "Split a function with many loop nests into calls to shorter functions (CPU)";
  let description = [{
    LLVM's loop passes are quadratic in the number of loop nests that follow
    one another in one function: for every loop, ScalarEvolution walks the
    chain of dominating blocks back through every earlier loop (a training
    step at width 64 has ~260 nests and spends 85% of its compile time in
    IndVarSimplify). A function body with more than `max-nests` top-level
    ops with regions is cut into consecutive parts of at most `max-nests`
    nests each; each part becomes a private `noinline` function called in
    its place. A part takes the values it uses as arguments (constants and
    other pure region-free ops, views included, are cloned into it instead,
    so its memrefs are whole allocations) and returns the values later
    parts use. A cut never separates a `memref.alloca` from its uses.
    Runs on structured (scf) code after bufferization.
  }];
  let options = [
    Option<"maxNests", "max-nests", "int64_t", "16",
           "most top-level loop nests (ops with regions) per function, >= 1">
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::LLVM::LLVMDialect"];
}

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
    `jet.dense` (W x + b) + `zo.project` (x B) + `zo.lift` (A M u + db),
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

def StdeParamGrad : Pass<"stde-param-grad", "mlir::ModuleOp"> {
  let summary = "Reverse-mode gradient of a scalar loss with respect to the parameters";
  let description = [{
    Runs on the lowered tensor program (after convert-jet-to-tensor and
    convert-rng-to-arith, before bufferization). For every selected function
    `@f(%params, ...) -> f` (one float scalar result) it adds
    `@f_grad(%params, ...) -> (f, tensor<P>)`: the forward computation
    followed by its adjoint, in reverse order, for the ops that both depend
    on the parameters and feed the result (activity analysis). Nothing else
    is kept alive for the adjoint: a forward value is stored only when an
    adjoint rule reads it (the elementwise rules read their operands or
    result, contractions their other operand).

    Rules: arith/math elementwise ops (tensor or scalar), linalg.generic
    (elementwise bodies, additive reductions such as contractions, and
    gathers through `tensor.extract` of a captured tensor, whose adjoint is a
    scatter-add loop), linalg named contractions (generalized first),
    broadcast/transpose/reduce/fill, tensor slices, reshapes, extract,
    insert and from_elements. Any other op on the active path is an error
    that names it. The gradient is checked against central finite
    differences in f64 by the unit tests.
  }];
  let options = [
    Option<"functions", "functions", "std::string", "\"\"",
           "comma-separated functions to differentiate (default: every function "
           "with one float scalar result whose argument `wrt` is a float tensor)">,
    Option<"wrt", "wrt", "unsigned", "0",
           "index of the parameter argument">,
    Option<"suffix", "suffix", "std::string", "\"_grad\"",
           "name suffix of the generated gradient functions">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::scf::SCFDialect"];
}

def StdeSumAcrossRanks : Pass<"stde-sum-across-ranks", "mlir::ModuleOp"> {
  let summary = "Sum the results of a rank's share of a step over all ranks (MPI)";
  let description = [{
    Data-parallel training: a function marked `stde.rank_share = array<i64:
    r, P>` (stde/Transforms/RankShare.h) computes rank r's share of a step,
    so its floating-point results (a loss, a parameter gradient, the
    zeroth-order pair losses) are partial sums whose sum over the P ranks is
    the one-process value. Where such a function is called from a function
    that is not itself a share (the training step, an entry point), each of
    those results is replaced by its sum over the ranks:

      %send = memref.alloc()            (the partial sum, materialized)
      %recv = memref.alloc()
      mpi.allreduce(%send, %recv, MPI_SUM, mpi.comm_world)
      bufferization.to_tensor %recv

    so the collective sits inside the compiled step, before the optimizer
    reads the gradient. Runs at the tensor level, before inlining; the upstream
    conversion (convert-to-llvm{filter-dialects=mpi}) lowers the mpi ops to
    MPI calls. The module is marked with the MPI ABI the conversion targets
    (DLTI "MPI:Implementation", by default OpenMPI).
  }];
  let options = [
    Option<"implementation", "implementation", "std::string", "\"OpenMPI\"",
           "the MPI ABI to target: OpenMPI or MPICH (when the module names none)">
  ];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect",
                           "mlir::DLTIDialect", "mlir::memref::MemRefDialect",
                           "mlir::mpi::MPIDialect", "mlir::tensor::TensorDialect"];
}

#endif // STDE_TRANSFORMS_PASSES_TD
