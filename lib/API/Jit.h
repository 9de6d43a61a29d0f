//===- Jit.h - one way to JIT-compile an LLVM-dialect module ----*- C++ -*-===//
#ifndef STDE_LIB_API_JIT_H
#define STDE_LIB_API_JIT_H

#include "stde/API/Status.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include <memory>

namespace stde {

/// What the compiled host code calls for memory and kernels.
enum class JitRuntime {
  cpu,      ///< the buffer pool (runtime/BufferPool.h) and the runtime's matmul
  cuda,     ///< mgpu* and malloc/free go to the CUDA runtime (runtime/CudaLauncher.h)
  emulator, ///< mgpu*, malloc/free and launches go to the GPU emulator (runtime/GpuEmulator.h)
};

/// An ExecutionEngine for the host CPU (its vector width known to LLVM),
/// optimized at -O3, its external calls resolved to `runtime`.
Expected<std::shared_ptr<mlir::ExecutionEngine>> jitCompile(mlir::ModuleOp module,
                                                            JitRuntime runtime = JitRuntime::cpu);

/// The packed entry `_mlir_ciface_<name>` of an emit_c_interface function.
Expected<void (*)(void **)> lookupEntry(mlir::ExecutionEngine &engine, const std::string &name);

} // namespace stde

#endif // STDE_LIB_API_JIT_H
