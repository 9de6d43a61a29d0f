//===- CudaLauncher.cpp - the entry points compiled GPU programs call -----===//
#include "runtime/CudaLauncher.h"
#include "runtime/BufferPool.h"
#include "runtime/CudaRuntime.h"

using stde::runtime::CudaRuntime;

namespace {
/// The API opens the runtime before it compiles a GPU program, so this is
/// only null if a program is called on a machine without a GPU, where the
/// calls do nothing.
CudaRuntime *rt() { return CudaRuntime::global(); }
} // namespace

extern "C" {

void *mgpuModuleLoadJIT(void *ptx, int optLevel) {
  return rt() ? rt()->loadPtx(ptx, optLevel) : nullptr;
}
void *mgpuModuleLoad(void *data, size_t size) {
  return rt() ? rt()->loadBinary(data, size) : nullptr;
}
void mgpuModuleUnload(void *module) {
  if (rt())
    rt()->unload(module);
}
void *mgpuModuleGetFunction(void *module, const char *name) {
  return rt() ? rt()->function(module, name) : nullptr;
}
// Every launch goes to the runtime's one stream, so work is ordered: a
// "stream" the compiled code creates is that stream, and synchronizing it
// waits for everything queued (stde-gpu-async-launches puts those waits
// where the host reads).
void *mgpuStreamCreate() { return rt() ? rt()->stream() : nullptr; }
void mgpuStreamDestroy(void *) {}
void mgpuStreamSynchronize(void *) {
  if (rt())
    rt()->synchronize();
}
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                      intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t sharedBytes,
                      void *, void **params, void **, size_t parameterCount) {
  if (!rt())
    return;
  const size_t grid[3] = {size_t(gridX), size_t(gridY), size_t(gridZ)};
  const size_t block[3] = {size_t(blockX), size_t(blockY), size_t(blockZ)};
  rt()->launch(function, grid, block, unsigned(sharedBytes), params, int64_t(parameterCount));
}
// gpu.alloc: a temporary only kernels use, from the pool in stream order
// (host-shared ones are managed memory).
// Only kernels touch device memory, and after a failure nothing is launched
// any more; host-shared memory the host code may touch is like malloc's.
void *mgpuMemAlloc(uint64_t bytes, void *, bool hostShared) {
  if (!rt())
    return nullptr;
  if (!hostShared)
    return rt()->allocateOnDevice(bytes);
  return stde_cuda_malloc(bytes);
}
void mgpuMemFree(void *pointer, void *) {
  if (rt())
    rt()->release(pointer);
}
void mgpuMemcpy(void *destination, void *source, size_t bytes, void *) {
  if (rt())
    rt()->copy(destination, source, bytes);
}
void mgpuMemset32(void *destination, unsigned value, size_t count, void *) {
  if (rt())
    rt()->fill32(destination, value, count);
}

// Host code uses what this returns: a failure (the runtime has recorded
// why) ends the guarded call instead of handing it a null pointer.
void *stde_cuda_malloc(size_t bytes) {
  void *block = rt() ? rt()->allocate(bytes) : nullptr;
  if (!block)
    stde::runtime::failAllocation(bytes);
  return block;
}
void stde_cuda_free(void *pointer) {
  if (rt())
    rt()->release(pointer);
}
}
