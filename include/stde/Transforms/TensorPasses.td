//===- TensorPasses.td - passes on tensors -----------------*- tablegen -*-===//
// Included by Passes.td (one generated header for every Transforms pass).
#ifndef STDE_TRANSFORMS_TENSORPASSES_TD
#define STDE_TRANSFORMS_TENSORPASSES_TD

include "mlir/Pass/PassBase.td"

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

#endif // STDE_TRANSFORMS_TENSORPASSES_TD
