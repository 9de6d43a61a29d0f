//===- CudaLauncher.h - the entry points compiled GPU programs call -------===//
//
// gpu-to-llvm lowers gpu.launch_func to calls of these functions (the names
// and signatures are that pass's ABI, the same as MLIR's CUDA runtime
// wrappers, which Debian does not ship); the embedded PTX is loaded by a
// global constructor through mgpuModuleLoadJIT. The JIT resolves them, and
// the programs' malloc/free, to this file when a program is compiled for the
// GPU. Everything goes to CudaRuntime::global(): one context, one stream,
// errors kept until the API asks (CudaRuntime::takeError).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_CUDALAUNCHER_H
#define STDE_RUNTIME_CUDALAUNCHER_H

#include <cstddef>
#include <cstdint>

extern "C" {
void *mgpuModuleLoadJIT(void *ptx, int optLevel);
void *mgpuModuleLoad(void *data, size_t size);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void *mgpuStreamCreate();
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                      intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t sharedBytes,
                      void *stream, void **params, void **extra, size_t paramsCount);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared);
void mgpuMemFree(void *pointer, void *stream);
void mgpuMemcpy(void *destination, void *source, size_t bytes, void *stream);
void mgpuMemset32(void *destination, unsigned value, size_t count, void *stream);

/// The compiled programs' malloc/free on the GPU target: managed memory.
void *stde_cuda_malloc(size_t bytes);
void stde_cuda_free(void *pointer);
}

#endif // STDE_RUNTIME_CUDALAUNCHER_H
