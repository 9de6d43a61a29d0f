//===- FakeCudaDriver.cpp - a stand-in libcuda for the runtime's tests ----===//
//
// Implements the driver entry points CudaRuntime opens, on host memory, with
// a 1 GiB budget of "device" memory, so that the runtime's error paths (out
// of memory, a PTX the JIT rejects, a kernel that faults, a missing kernel)
// and its accounting are tested on machines without a GPU. It runs no
// kernel: launches and synchronizations are only counted. Test double only;
// never installed.
//
//===----------------------------------------------------------------------===//
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {
constexpr size_t kBudget = size_t(1) << 30, kTotal = size_t(2) << 30;
size_t allocated = 0;
std::map<void *, size_t> blocks;
int launches = 0, synchronizations = 0, managedAllocations = 0;
bool faulted = false;
std::map<std::string, std::string> functions; // name -> name (stable handles)
const char *const kCrash = "crash";
} // namespace

extern "C" {
using CUresult = int;
int fake_cuda_launches() { return launches; }
int fake_cuda_synchronizations() { return synchronizations; }
size_t fake_cuda_allocated_bytes() { return allocated; }
int fake_cuda_managed_allocations() { return managedAllocations; }

CUresult cuInit(unsigned) { return 0; }
CUresult cuDeviceGetCount(int *count) {
  const char *devices = std::getenv("STDE_FAKE_CUDA_DEVICES"); // tests of device choice
  *count = devices && *devices ? std::atoi(devices) : 1;
  return 0;
}
CUresult cuDeviceGet(int *device, int ordinal) { *device = ordinal; return 0; }
CUresult cuDeviceGetName(char *name, int length, int) {
  std::strncpy(name, "Fake GPU", size_t(length));
  return 0;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, int) {
  *value = attribute == 75 ? 9 : 0; // compute capability 9.0
  return 0;
}
CUresult cuDeviceTotalMem_v2(size_t *bytes, int) { *bytes = kTotal; return 0; }
CUresult cuDevicePrimaryCtxRetain(void **context, int) {
  static int token;
  *context = &token;
  return 0;
}
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void *) { return 0; }
CUresult cuGetErrorName(CUresult result, const char **name) {
  switch (result) {
  case 2: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return 0;
  case 218: *name = "CUDA_ERROR_INVALID_PTX"; return 0;
  case 500: *name = "CUDA_ERROR_NOT_FOUND"; return 0;
  case 700: *name = "CUDA_ERROR_ILLEGAL_ADDRESS"; return 0;
  default: *name = nullptr; return 1;
  }
}
CUresult cuGetErrorString(CUresult result, const char **text) {
  switch (result) {
  case 2: *text = "out of memory"; return 0;
  case 218: *text = "a PTX JIT compilation failed"; return 0;
  case 500: *text = "named symbol not found"; return 0;
  case 700: *text = "an illegal memory access was encountered"; return 0;
  default: *text = nullptr; return 1;
  }
}
CUresult cuMemAllocManaged(unsigned long long *pointer, size_t bytes, unsigned) {
  if (allocated + bytes > kBudget)
    return 2;
  ++managedAllocations;
  void *p = std::calloc(bytes, 1); // zeros: host code reading "kernel" results stays in bounds
  blocks[p] = bytes;
  allocated += bytes;
  *pointer = reinterpret_cast<unsigned long long>(p);
  return 0;
}
CUresult cuMemFree_v2(unsigned long long pointer) {
  void *p = reinterpret_cast<void *>(pointer);
  allocated -= blocks[p];
  blocks.erase(p);
  std::free(p);
  return 0;
}
CUresult cuMemAllocAsync(unsigned long long *pointer, size_t bytes, void *) {
  CUresult result = cuMemAllocManaged(pointer, bytes, 0);
  --managedAllocations;
  return result;
}
CUresult cuMemFreeAsync(unsigned long long pointer, void *) { return cuMemFree_v2(pointer); }
CUresult cuDeviceGetDefaultMemPool(void **pool, int) {
  static int token;
  *pool = &token;
  return 0;
}
CUresult cuMemPoolSetAttribute(void *, int, void *) { return 0; }
CUresult cuMemPoolGetAttribute(void *, int, void *value) {
  *static_cast<unsigned long long *>(value) = 0;
  return 0;
}
CUresult cuMemGetInfo_v2(size_t *free, size_t *total) {
  *free = kBudget - allocated;
  *total = kTotal;
  return 0;
}
CUresult cuMemcpy(unsigned long long dst, unsigned long long src, size_t bytes) {
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src), bytes);
  return 0;
}
CUresult cuMemsetD32Async(unsigned long long dst, unsigned value, size_t count, void *) {
  auto *p = reinterpret_cast<uint32_t *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
  return 0;
}
// PTX containing "bad" is rejected with a log, like the driver's JIT does.
CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned n, int *options,
                            void **values) {
  if (!std::strstr(static_cast<const char *>(image), "bad")) {
    *module = const_cast<void *>(image);
    return 0;
  }
  for (unsigned i = 0; i < n; ++i)
    if (options[i] == 5)
      std::strcpy(static_cast<char *>(values[i]),
                  "ptxas application ptx input, line 3; error   : Unknown symbol 'bad'");
  return 218;
}
CUresult cuModuleLoadData(void **module, const void *image) {
  return cuModuleLoadDataEx(module, image, 0, nullptr, nullptr);
}
CUresult cuModuleUnload(void *) { return 0; }
CUresult cuModuleGetFunction(void **function, void *, const char *name) {
  if (std::strcmp(name, "missing") == 0)
    return 500;
  if (std::strcmp(name, kCrash) == 0) {
    *function = const_cast<char *>(kCrash);
    return 0;
  }
  std::string &handle = functions[name]; // one handle per kernel name
  handle = name;
  *function = &handle;
  return 0;
}
CUresult cuLaunchKernel(void *function, unsigned, unsigned, unsigned, unsigned, unsigned,
                        unsigned, unsigned, void *, void **, void **) {
  ++launches;
  if (function == kCrash)
    faulted = true;
  return 0;
}
CUresult cuStreamCreate(void **stream, unsigned) {
  static int token;
  *stream = &token;
  return 0;
}
CUresult cuStreamSynchronize(void *) {
  ++synchronizations;
  bool fault = faulted; // reported once, as the driver reports a fault
  faulted = false;
  return fault ? 700 : 0;
}
CUresult cuStreamDestroy_v2(void *) { return 0; }
CUresult cuEventCreate(void **event, unsigned) {
  static int token;
  *event = &token;
  return 0;
}
CUresult cuEventRecord(void *, void *) { return 0; }
CUresult cuEventSynchronize(void *) { return 0; }
CUresult cuEventElapsedTime_v2(float *ms, void *, void *) { *ms = 1.5f; return 0; }
CUresult cuEventDestroy_v2(void *) { return 0; }
}
