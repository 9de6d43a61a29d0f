//===- GpuPipeline.h - from tensors to PTX and a host module ----*- C++ -*-===//
#ifndef STDE_TARGET_GPUPIPELINE_H
#define STDE_TARGET_GPUPIPELINE_H

#include "llvm/Support/Error.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace stde {

/// What the NVPTX back end is asked for.
struct GpuTargetOptions {
  std::string chip = "sm_90"; ///< sm_80, sm_86, sm_89, sm_90, ... (CUDA 13: sm_75 and newer)
  std::string libdevice;      ///< path of libdevice.10.bc ("" = defaultLibdevicePath())
  int64_t blockSize = 256;    ///< threads per block of the loop kernels
  bool leanMemory = false;    ///< fuse producers into reductions (the zeroth-order step)
  /// Lower for the GPU emulator (runtime/GpuEmulator.h) instead of PTX: the
  /// same kernels and launches, run on the CPU (chip and libdevice unused).
  bool emulate = false;
  /// The module holds mpi ops (data parallel, stde-sum-across-ranks): their
  /// buffers stay host allocations (managed memory on the GPU: MPI needs no
  /// CUDA support), the stream is drained before each, and the upstream
  /// conversion lowers them to MPI calls in the host code.
  bool collectives = false;
};

/// libdevice.10.bc: $STDE_LIBDEVICE, else the one found when stde was
/// configured, else under $CUDA_HOME; "" when there is none.
std::string defaultLibdevicePath();

/// Checks the options (a known chip, a readable libdevice): the error's
/// message says what to change.
llvm::Error validate(GpuTargetOptions &options);

/// The PTX ISA feature for a chip: +ptx80 (PTX 8.0, CUDA 12.0 drivers and
/// newer) covers sm_75 ... sm_90; sm_100 and newer need +ptx86.
std::string ptxFeaturesFor(const std::string &chip);

// Each adds passes to a pass manager anchored on builtin.module.

/// Tensor code to bufferized host functions whose parallel loops are the
/// future kernels (tiled matrix products already gpu.launch): where the
/// kernels' shapes can be read (benchmarks/gpu/kernel_shapes.sh).
void addTensorToGpuLoops(mlir::OpPassManager &pm, const GpuTargetOptions &options);

/// Tensor code (a training step composed at the tensor level) to bufferized
/// host functions that launch outlined kernels, all kernels in one gpu.module.
void addTensorToGpuKernels(mlir::OpPassManager &pm, const GpuTargetOptions &options);

/// The rest: kernels to NVVM with libdevice and PTX (gpu-module-to-binary
/// {format=isa}), the host side to the LLVM dialect calling the runtime's
/// mgpu* entry points (runtime/CudaLauncher.h).
void addGpuKernelsToLLVM(mlir::OpPassManager &pm, const GpuTargetOptions &options);

/// The emulator's second half: the kernels become host functions
/// (stde-gpu-kernels-to-host), everything goes to the LLVM dialect, and the
/// launches call the emulator (stde-gpu-launches-to-emulator).
void addGpuKernelsToEmulator(mlir::OpPassManager &pm, const GpuTargetOptions &options = {});

/// addTensorToGpuKernels, then addGpuKernelsToLLVM (addGpuKernelsToEmulator
/// when options.emulate).
void buildGpuPipeline(mlir::OpPassManager &pm, const GpuTargetOptions &options);

/// Runs both pipelines (the emulator's second half when options.emulate) on `module` (diagnostics to the context's handler).
mlir::LogicalResult lowerForGpu(mlir::ModuleOp module, const GpuTargetOptions &options);

/// The PTX of every gpu.binary in a lowered module. Fails if a module still
/// declares a libdevice function (`.extern .func __nv_...`): it would not load.
llvm::Expected<std::vector<std::string>> ptxOf(mlir::ModuleOp module);

/// Registers `stde-gpu-pipeline` (options chip, libdevice, block-size),
/// `stde-gpu-kernels-pipeline` (the first half only) and
/// `stde-gpu-emulator-pipeline` (the emulator's) for stde-opt.
void registerGpuPipelines();

} // namespace stde

#endif // STDE_TARGET_GPUPIPELINE_H
