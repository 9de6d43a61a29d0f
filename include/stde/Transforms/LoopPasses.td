//===- LoopPasses.td - buffer and loop passes (CPU, GPU) ----*- tablegen -*-===//
// Included by Passes.td (one generated header for every Transforms pass).
#ifndef STDE_TRANSFORMS_LOOPPASSES_TD
#define STDE_TRANSFORMS_LOOPPASSES_TD

include "mlir/Pass/PassBase.td"

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

#endif // STDE_TRANSFORMS_LOOPPASSES_TD
