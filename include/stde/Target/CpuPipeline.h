//===- CpuPipeline.h - from jets to LLVM IR for the CPU --------*- C++ -*-===//
#ifndef STDE_TARGET_CPUPIPELINE_H
#define STDE_TARGET_CPUPIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace stde {

/// The front of every pipeline: jet pushforwards expanded and lowered to
/// tensor/linalg/arith/math, cleaned up (on a pass manager anchored on
/// builtin.module, as every function here).
void addJetToTensor(mlir::OpPassManager &pm);

/// Elementwise fusion and bufferization, shared by the CPU and GPU back
/// ends; `leanMemory` also fuses producers into reductions
/// (stde-fuse-elementwise{into-reductions}).
void addTensorBufferization(mlir::OpPassManager &pm, bool leanMemory);

/// The back of every CPU pipeline: tensor code (elementwise fusion,
/// bufferization, matrix products as runtime calls unless `runtimeMatmul` is
/// false) to the LLVM dialect. A training step runs stde-param-grad and
/// composes its functions between the two halves. `leanMemory` also fuses
/// producers into reductions (stde-fuse-elementwise{into-reductions}).
/// `threads` other than 1 runs the large parallel loops on an OpenMP team of
/// that many threads (0: OpenMP's default) through stde-thread-parallel-loops
/// and convert-scf-to-openmp; the JIT'd code then calls libomp.
/// `collectives`: the module holds mpi ops (stde-sum-across-ranks), lowered
/// to MPI calls by the upstream conversion (convert-to-llvm{filter-dialects=mpi}).
/// `mathLanes`: f32 sums of transcendental terms get vector lanes
/// (stde-vectorizable-math-reductions).
void addTensorToLLVM(mlir::OpPassManager &pm, bool runtimeMatmul = true, bool leanMemory = false,
                     int64_t threads = 1, bool collectives = false, bool mathLanes = true);

/// Host code that holds mpi ops (stde-sum-across-ranks): after
/// bufferization, the clones the deallocation pipeline may keep around a
/// collective's buffers become copies; both back ends need it.
void addCollectiveBufferCopies(mlir::OpPassManager &pm);
/// After memref lowering: the mpi ops to MPI calls (the upstream conversion,
/// convert-to-llvm{filter-dialects=mpi}).
void addCollectivesToLLVM(mlir::OpPassManager &pm);

/// The whole CPU pipeline (stde-cpu-pipeline): a module of jet pushforwards
/// (and plain tensor code) to the LLVM dialect for the host, addJetToTensor
/// then addTensorToLLVM.
void buildCpuPipeline(mlir::OpPassManager &pm);

/// Runs the pipeline on `module`; diagnostics go to the context's handler.
mlir::LogicalResult lowerToLLVMDialect(mlir::ModuleOp module);

/// Registers `stde-cpu-pipeline` for stde-opt.
void registerCpuPipeline();

} // namespace stde

#endif // STDE_TARGET_CPUPIPELINE_H
