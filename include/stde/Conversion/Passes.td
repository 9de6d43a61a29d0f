//===- Passes.td - conversions from one level to the next ----*- tablegen -*-===//
#ifndef STDE_CONVERSION_PASSES_TD
#define STDE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertJetToTensor : Pass<"convert-jet-to-tensor", "mlir::ModuleOp"> {
  let summary = "Lower jets to tensors: coefficient recurrences on tensor/linalg/arith/math";
  let description = [{
    Every jet becomes its primal `tensor<S>` and one stored tensor per
    coefficient, shaped by the coefficient's structure: nothing for zero, the
    index `tensor<R x index>` for onehot, `tensor<S>` for shared,
    `tensor<R x S>` for dense. Each jet op becomes its Taylor recurrence on
    those tensors (normalized coefficients inside; `jet.seed` divides by k!,
    `jet.coefficient` multiplies back): terms with a zero coefficient are not
    emitted, shared coefficients are computed once for all directions, a
    onehot tangent into a dense layer is a column gather, and all dense
    directions of a coefficient go through a layer in one product.
    Elementwise arithmetic stays on tensors (convert-elementwise-to-linalg
    turns it into linalg.generic). Run `jet-expand` first.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect", "mlir::tensor::TensorDialect"];
}

def ConvertRngToArith : Pass<"convert-rng-to-arith", "mlir::ModuleOp"> {
  let summary = "Lower counter-based random numbers to integer arithmetic";
  let description = [{
    `rng.philox` becomes Philox4x32-10's ten rounds of 32-bit multiplies
    (arith.mului_extended) and xors; `rng.draw` a `tensor.generate` in which
    element e computes the block of counter (e, stream, step lo, step hi) and
    transforms it (uniform: the top 53 bits for f64, 24 for f32; Rademacher:
    the lowest bit; Gaussian: Box-Muller on two uniforms); `rng.sample`
    Floyd's algorithm as an `scf.for`; `rng.choice` an alias-table lookup.
    Only integer arithmetic decides which numbers come out, so every target
    produces the same stream.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect"];
}

def ConvertZoToTensor : Pass<"convert-zo-to-tensor", "mlir::ModuleOp"> {
  let summary = "Regenerate the zo dialect's orthonormal bases from Philox counters";
  let description = [{
    `zo.basis` (n x r) becomes a Gaussian `rng.draw` keyed by the seed and the
    refresh epoch on the basis' stream, its Gram matrix G^T G (r x r, one
    reduction over n), the inverse of its Cholesky factor as straight-line
    scalar code, and B = G L^-T: orthonormal columns (Cholesky-QR), nothing
    kept between calls. Runs before convert-rng-to-arith. (The products
    with the bases are `jet.linear` maps: convert-jet-to-tensor lowers them.)
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
                           "mlir::math::MathDialect", "mlir::rng::RngDialect",
                           "mlir::tensor::TensorDialect"];
}

def ConvertLinalgToRuntime : Pass<"convert-linalg-to-runtime", "mlir::ModuleOp"> {
  let summary = "Matrix products on buffers become calls to the runtime's tuned matmul";
  let description = [{
    Runs after bufferization. Every `linalg.generic` on memrefs that is a
    2-D matrix product accumulated into its output, C[m, n] += A[., .] *
    B[., .] (two parallel loops, one reduction, a body `out + x * y` or
    `out + y * x`, inputs that only the product reads may be present and are
    ignored), and `linalg.matmul`, become a call

      func.call @stde_matmul_<f32|f64>(A', B', C)

    where A' (M x K) and B' (K x N) are `memref.transpose` views of the
    operands in product order, all cast to fully dynamic strided layouts.
    The callee (runtime/Matmul.h, declared here with
    `llvm.emit_c_interface`) reads the strides: row- or column-contiguous
    operands go straight to OpenBLAS sgemm/dgemm on both cores, others are
    packed first. Everything else is left for convert-linalg-to-loops.
  }];
  let options = [
    Option<"minFlops", "min-flops", "int64_t", "4096",
           "products with fewer multiply-adds (M*N*K) stay loops (a call costs more)">
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::memref::MemRefDialect"];
}

def ConvertLoopsToGpu : Pass<"convert-loops-to-gpu", "mlir::func::FuncOp"> {
  let summary = "Run the loop nests of a bufferized host function as GPU kernels";
  let description = [{
    Runs after `convert-linalg-to-parallel-loops`, on host functions whose
    buffers live in memory the GPU can address (the runtime allocates them
    as CUDA managed memory). Three rewrites, so that no loop touches memory
    on the host:

    - every `scf.parallel` (without reductions) becomes a one-dimensional
      `gpu.launch`: the iteration space is linearized, `block-size` threads
      per block, thread t of block b runs iteration b * block-size + t
      (delinearized, innermost dimension fastest, so neighbouring threads
      touch neighbouring elements) when it is inside the space;
    - `memref.copy` becomes such a kernel (a splat constant source: a fill);
    - a run of host operations that reads or writes memory (a sequential
      loop: a full reduction, Floyd's sampling loop, a scalar store) becomes a
      single-thread kernel, provided no value it defines is used after it;
      pure operations whose operands come from outside are hoisted out of the
      run first. A run whose values are needed on the host stays there
      (correct on managed memory, only slower).

    `memref.get_global` results that a kernel reads are re-materialized in
    the kernel, so `gpu-kernel-outlining` copies the global into the GPU
    module (host globals are not visible to the device). Host loops that
    contain kernels stay host loops; their bodies are converted in turn.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256",
           "threads per block of the parallel-loop kernels (1 ... 1024)">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
                           "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect"];
}

def ConvertMatmulToGpu : Pass<"convert-matmul-to-gpu", "mlir::func::FuncOp"> {
  let summary = "Run bufferized matrix products as shared-memory tiled GPU kernels";
  let description = [{
    Every matrix product (a linalg.matmul or a linalg.generic whose body is
    out + x * y over M, N and K dimension groups, operands possibly
    transposed: stde/Analysis/MatrixProduct.h) with at least `min-flops`
    multiply-adds becomes a `gpu.launch` over 64 x 64 tiles of C: 256
    threads per block stage 64 x 16 slices of A and 16 x 64 slices of B in
    workgroup memory (loads coalesced along the operand's contiguous axis,
    bounds-checked), and each thread accumulates 4 x 4 outputs with
    `math.fma`. C is accumulated into (C += A B).

    When the tiles of C number fewer than `target-blocks`, K is split over
    up to target-blocks / tiles blocks (each at least 4 stages of 16 deep):
    partial tiles go to a splits x M x N workspace and a second kernel adds
    them to C in split order, so results do not depend on scheduling.
    Products with dynamic sizes are not split.
  }];
  let options = [
    Option<"minFlops", "min-flops", "int64_t", "4096",
           "products with fewer multiply-adds (M*N*K) stay parallel loops">,
    Option<"targetBlocks", "target-blocks", "int64_t", "264",
           "blocks that fill the GPU (2 per SM of an H100), for splitting K">
  ];
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::math::MathDialect",
                           "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
                           "mlir::arith::ArithDialect"];
}

def MergeGpuModules : Pass<"stde-merge-gpu-modules", "mlir::ModuleOp"> {
  let summary = "Put every outlined kernel into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` makes one `gpu.module` per kernel; a training step
    has hundreds, and each would be compiled by LLVM, serialized and loaded by
    the driver on its own. This pass moves every kernel (and the globals the
    kernels read, deduplicated) into the first GPU module, renamed
    `module-name`, gives clashing symbols fresh names and retargets every
    `gpu.launch_func`: one PTX module per program.
  }];
  let options = [
    Option<"moduleName", "module-name", "std::string", "\"stde_kernels\"",
           "name of the merged gpu.module">
  ];
}

def GpuAsyncLaunches : Pass<"stde-gpu-async-launches", "mlir::func::FuncOp"> {
  let summary = "Queue a host function's kernels on one stream; wait only where the host reads";
  let description = [{
    Runs after outlining, on host functions. A synchronous `gpu.launch_func`
    waits for its kernel: hundreds of round trips per training step. Here
    each block's launches form one chain of async tokens (`gpu.wait async`,
    then every launch depends on the previous one: one stream, in order),
    and a blocking `gpu.wait` is inserted only before the first operation
    that may touch memory on the host (a load, a store, a call, a region
    with side effects, a `memref.dealloc` of host-visible memory) and
    before the block's terminator.

    Buffers that only kernels use (every use, through views, is a launch
    operand or their dealloc) become stream-ordered `gpu.alloc` /
    `gpu.dealloc` in the same chain: device memory from the runtime's pool,
    reused as soon as the kernels before the dealloc have run, with no
    host synchronization. Buffers the host touches stay `memref.alloc`
    (managed memory the host can read after the wait).
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

def GpuKernelsToHost : Pass<"stde-gpu-kernels-to-host", "mlir::ModuleOp"> {
  let summary = "Copy each GPU kernel into the host module, for the GPU emulator";
  let description = [{
    The first half of running a GPU program on the CPU (runtime/GpuEmulator.h).
    Every `gpu.func` kernel of every `gpu.module` becomes a private host
    function `__stde_emu.<module>.<kernel>` with the same arguments, run by
    the emulator once per thread:
      - `gpu.thread_id`, `gpu.block_id`, `gpu.block_dim`, `gpu.grid_dim`
        become calls of `stde_emu_thread_id` ... (dimension 0, 1, 2);
      - `gpu.barrier` becomes `stde_emu_barrier(site)`, the site numbered
        across the module so that threads meeting at different barriers
        can be reported;
      - each workgroup attribution becomes a host `memref.global` (the
        emulator runs one block at a time), each private attribution a
        `memref.alloca`; GPU address spaces are dropped from memref types.
    The kernels are left as bodiless `llvm.func`s marked `gpu.kernel`, so
    that `gpu.launch_func` still verifies while its operands are lowered; stde-gpu-launches-to-emulator replaces the launches once the
    host code is in the LLVM dialect. A GPU op the emulator does not model
    (shuffles, atomics on workgroup memory, device functions) is an error.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect", "mlir::LLVM::LLVMDialect"];
}

def GpuLaunchesToEmulator : Pass<"stde-gpu-launches-to-emulator", "mlir::ModuleOp"> {
  let summary = "Replace LLVM-level gpu.launch_func by calls of the GPU emulator";
  let description = [{
    The second half (after gpu-to-llvm and convert-func-to-llvm). Each
    `gpu.launch_func` becomes a call of
    `stde_emu_launch(entry, name, slots, count, grid x/y/z, block x/y/z, barriers)`:
    the kernel's (expanded) arguments are stored one per 8-byte slot of a
    stack array made in the function's entry block, and `entry` is a
    generated trampoline `__stde_emu.<module>.<kernel>.entry(ptr)` that loads
    them and calls the host copy of the kernel. `barriers` says whether the
    kernel calls `stde_emu_barrier` (only then are its threads fibers).
    The launch must name a kernel stde-gpu-kernels-to-host copied, with the
    same argument types, and use no dynamic shared memory or clusters. The
    gpu.modules and the container attribute are removed.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // STDE_CONVERSION_PASSES_TD
