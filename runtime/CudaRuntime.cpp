//===- CudaRuntime.cpp - the CUDA driver, loaded at run time --------------===//
//
// The driver API is declared here with the few types it needs (no cuda.h:
// the runtime builds where no CUDA toolkit is installed). Entry points that
// CUDA versioned (_v2) are looked up by their current name first.
//
//===----------------------------------------------------------------------===//
#include "runtime/CudaRuntime.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace stde::runtime {

namespace {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using Handle = void *; // CUcontext, CUmodule, CUfunction, CUstream, CUevent

constexpr CUresult kSuccess = 0, kOutOfMemory = 2, kNoDevice = 100;
constexpr int kJitErrorLogBuffer = 5, kJitErrorLogBufferSize = 6, kJitOptimizationLevel = 7;
constexpr int kComputeCapabilityMajor = 75, kComputeCapabilityMinor = 76;
constexpr unsigned kAttachGlobal = 1;
constexpr int kPoolReleaseThreshold = 4, kPoolReservedMemHigh = 6;

std::string mib(int64_t bytes) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
  return text;
}

} // namespace

std::unordered_map<std::string, int> ptxEntryParameterCounts(const char *ptx) {
  std::unordered_map<std::string, int> entries;
  std::string text = ptx ? ptx : "";
  const std::string entry = ".entry";
  for (size_t at = text.find(entry); at != std::string::npos; at = text.find(entry, at + 1)) {
    size_t name = text.find_first_not_of(" \t\r\n", at + entry.size());
    size_t open = text.find('(', name);
    size_t close = open == std::string::npos ? open : text.find(')', open);
    if (name == std::string::npos || close == std::string::npos || name == at + entry.size())
      continue; // not a kernel declaration
    size_t nameEnd = text.find_first_of(" \t\r\n(", name);
    int count = 0;
    for (size_t p = text.find(".param", open); p != std::string::npos && p < close;
         p = text.find(".param", p + 1))
      ++count;
    entries[text.substr(name, nameEnd - name)] = count;
  }
  return entries;
}

struct CudaRuntime::Driver {
  void *library = nullptr;
  CUresult (*init)(unsigned) = nullptr;
  CUresult (*deviceGetCount)(int *) = nullptr;
  CUresult (*deviceGet)(CUdevice *, int) = nullptr;
  CUresult (*deviceGetName)(char *, int, CUdevice) = nullptr;
  CUresult (*deviceGetAttribute)(int *, int, CUdevice) = nullptr;
  CUresult (*deviceTotalMem)(size_t *, CUdevice) = nullptr;
  CUresult (*primaryCtxRetain)(Handle *, CUdevice) = nullptr;
  CUresult (*primaryCtxRelease)(CUdevice) = nullptr;
  CUresult (*ctxSetCurrent)(Handle) = nullptr;
  CUresult (*getErrorName)(CUresult, const char **) = nullptr;
  CUresult (*getErrorString)(CUresult, const char **) = nullptr;
  CUresult (*memAllocManaged)(CUdeviceptr *, size_t, unsigned) = nullptr;
  CUresult (*memFree)(CUdeviceptr) = nullptr;
  CUresult (*memGetInfo)(size_t *, size_t *) = nullptr;
  CUresult (*memcpy)(CUdeviceptr, CUdeviceptr, size_t) = nullptr;
  CUresult (*memsetD32Async)(CUdeviceptr, unsigned, size_t, Handle) = nullptr;
  CUresult (*memAllocAsync)(CUdeviceptr *, size_t, Handle) = nullptr;
  CUresult (*memFreeAsync)(CUdeviceptr, Handle) = nullptr;
  CUresult (*deviceGetDefaultMemPool)(Handle *, CUdevice) = nullptr;
  CUresult (*memPoolSetAttribute)(Handle, int, void *) = nullptr;
  CUresult (*memPoolGetAttribute)(Handle, int, void *) = nullptr;
  CUresult (*moduleLoadDataEx)(Handle *, const void *, unsigned, int *, void **) = nullptr;
  CUresult (*moduleLoadData)(Handle *, const void *) = nullptr;
  CUresult (*moduleUnload)(Handle) = nullptr;
  CUresult (*moduleGetFunction)(Handle *, Handle, const char *) = nullptr;
  CUresult (*launchKernel)(Handle, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                           unsigned, Handle, void **, void **) = nullptr;
  CUresult (*streamCreate)(Handle *, unsigned) = nullptr;
  CUresult (*streamSynchronize)(Handle) = nullptr;
  CUresult (*streamDestroy)(Handle) = nullptr;
  CUresult (*eventCreate)(Handle *, unsigned) = nullptr;
  CUresult (*eventRecord)(Handle, Handle) = nullptr;
  CUresult (*eventSynchronize)(Handle) = nullptr;
  CUresult (*eventElapsedTime)(float *, Handle, Handle) = nullptr;
  CUresult (*eventDestroy)(Handle) = nullptr;

  CUdevice device = 0;
  Handle context = nullptr, stream = nullptr, pool = nullptr;
  std::string description, architecture;

  std::mutex mutex; // guards what follows
  std::string error;
  struct Block {
    size_t bytes;
    bool streamOrdered; ///< from the pool (allocateOnDevice), else managed
    uint64_t serial;    ///< allocations before it
  };
  std::unordered_map<const void *, Block> blocks;
  uint64_t allocationsMade = 0;
  /// Parameters each kernel of each loaded PTX module declares, and the
  /// kernel behind each function handle: launches are checked against them.
  std::unordered_map<Handle, std::unordered_map<std::string, int>> moduleEntries;
  std::unordered_map<Handle, std::pair<std::string, int>> kernels;
  CudaMemoryStats stats;

  /// "CUDA_ERROR_X (what it means)" for a driver result.
  std::string describe(CUresult result) const {
    const char *name = nullptr, *text = nullptr;
    if (getErrorName)
      getErrorName(result, &name);
    if (getErrorString)
      getErrorString(result, &text);
    std::string s = name ? name : "CUDA error " + std::to_string(result);
    if (text)
      s += std::string(" (") + text + ")";
    return s;
  }

  /// Records the first error; returns false if `result` is one.
  bool check(CUresult result, const std::string &what) {
    if (result == kSuccess)
      return true;
    fail(what + " failed: " + describe(result));
    return false;
  }
  void fail(const std::string &message) {
    std::lock_guard<std::mutex> lock(mutex);
    if (error.empty())
      error = message;
  }
  bool failed() {
    std::lock_guard<std::mutex> lock(mutex);
    return !error.empty();
  }

  template <typename F> bool load(F &slot, const char *name) {
    std::string v2 = std::string(name) + "_v2";
    void *symbol = dlsym(library, v2.c_str());
    if (!symbol)
      symbol = dlsym(library, name);
    slot = reinterpret_cast<F>(symbol);
    return symbol != nullptr;
  }
};

CudaRuntime::CudaRuntime() : driver(std::make_unique<Driver>()) {}

CudaRuntime::~CudaRuntime() {
  Driver &d = *driver;
  if (d.stream && d.streamDestroy)
    d.streamDestroy(d.stream);
  if (d.context && d.primaryCtxRelease)
    d.primaryCtxRelease(d.device);
  // The library stays mapped: compiled code may still hold its functions.
}

std::unique_ptr<CudaRuntime> CudaRuntime::open(const std::string &libraryPath, int device,
                                               std::string &error) {
  std::string path = libraryPath;
  if (path.empty()) {
    const char *env = std::getenv("STDE_LIBCUDA");
    path = env && *env ? env : "libcuda.so.1";
  }
  std::unique_ptr<CudaRuntime> runtime(new CudaRuntime());
  Driver &d = *runtime->driver;
  d.library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!d.library) {
    const char *why = dlerror();
    error = "cannot load the CUDA driver (" + path + "): " + (why ? why : "unknown reason") +
            ". Running on the GPU needs an NVIDIA GPU and its driver; use the CPU target "
            "otherwise";
    return nullptr;
  }
  bool all = d.load(d.init, "cuInit") & d.load(d.deviceGetCount, "cuDeviceGetCount") &
             d.load(d.deviceGet, "cuDeviceGet") & d.load(d.deviceGetName, "cuDeviceGetName") &
             d.load(d.deviceGetAttribute, "cuDeviceGetAttribute") &
             d.load(d.deviceTotalMem, "cuDeviceTotalMem") &
             d.load(d.primaryCtxRetain, "cuDevicePrimaryCtxRetain") &
             d.load(d.primaryCtxRelease, "cuDevicePrimaryCtxRelease") &
             d.load(d.ctxSetCurrent, "cuCtxSetCurrent") &
             d.load(d.getErrorName, "cuGetErrorName") &
             d.load(d.getErrorString, "cuGetErrorString") &
             d.load(d.memAllocManaged, "cuMemAllocManaged") & d.load(d.memFree, "cuMemFree") &
             d.load(d.memGetInfo, "cuMemGetInfo") & d.load(d.memcpy, "cuMemcpy") &
             d.load(d.memsetD32Async, "cuMemsetD32Async") &
             d.load(d.memAllocAsync, "cuMemAllocAsync") &
             d.load(d.memFreeAsync, "cuMemFreeAsync") &
             d.load(d.deviceGetDefaultMemPool, "cuDeviceGetDefaultMemPool") &
             d.load(d.memPoolSetAttribute, "cuMemPoolSetAttribute") &
             d.load(d.memPoolGetAttribute, "cuMemPoolGetAttribute") &
             d.load(d.moduleLoadDataEx, "cuModuleLoadDataEx") &
             d.load(d.moduleLoadData, "cuModuleLoadData") &
             d.load(d.moduleUnload, "cuModuleUnload") &
             d.load(d.moduleGetFunction, "cuModuleGetFunction") &
             d.load(d.launchKernel, "cuLaunchKernel") &
             d.load(d.streamCreate, "cuStreamCreate") &
             d.load(d.streamSynchronize, "cuStreamSynchronize") &
             d.load(d.streamDestroy, "cuStreamDestroy") & d.load(d.eventCreate, "cuEventCreate") &
             d.load(d.eventRecord, "cuEventRecord") &
             d.load(d.eventSynchronize, "cuEventSynchronize") &
             d.load(d.eventElapsedTime, "cuEventElapsedTime") &
             d.load(d.eventDestroy, "cuEventDestroy");
  if (!all) {
    error = "the CUDA driver at " + path +
            " lacks entry points stde needs (a driver for CUDA 12.0 or newer is required)";
    return nullptr;
  }
  auto step = [&](CUresult result, const std::string &what) {
    if (result == kSuccess)
      return true;
    error = what + " failed: " + d.describe(result);
    if (result == kNoDevice)
      error += ". No CUDA GPU is visible (check nvidia-smi and CUDA_VISIBLE_DEVICES)";
    return false;
  };
  int count = 0;
  if (!step(d.init(0), "cuInit") || !step(d.deviceGetCount(&count), "cuDeviceGetCount"))
    return nullptr;
  if (device == kDeviceOfLocalRank) {
    int localRank = 0;
    for (const char *name : {"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID"})
      if (const char *env = std::getenv(name); env && *env) {
        localRank = std::atoi(env);
        break;
      }
    device = count > 0 ? localRank % count : 0;
  }
  if (device < 0 || device >= count) {
    error = "CUDA device " + std::to_string(device) + " does not exist (" +
            std::to_string(count) + " visible)";
    return nullptr;
  }
  int major = 0, minor = 0;
  size_t total = 0;
  char name[256] = {0};
  if (!step(d.deviceGet(&d.device, device), "cuDeviceGet") ||
      !step(d.deviceGetName(name, sizeof name - 1, d.device), "cuDeviceGetName") ||
      !step(d.deviceGetAttribute(&major, kComputeCapabilityMajor, d.device), "cuDeviceGetAttribute") ||
      !step(d.deviceGetAttribute(&minor, kComputeCapabilityMinor, d.device), "cuDeviceGetAttribute") ||
      !step(d.deviceTotalMem(&total, d.device), "cuDeviceTotalMem") ||
      !step(d.primaryCtxRetain(&d.context, d.device), "cuDevicePrimaryCtxRetain") ||
      !step(d.ctxSetCurrent(d.context), "cuCtxSetCurrent") ||
      !step(d.streamCreate(&d.stream, 0), "cuStreamCreate") ||
      !step(d.deviceGetDefaultMemPool(&d.pool, d.device), "cuDeviceGetDefaultMemPool"))
    return nullptr;
  // The pool keeps what it has reserved (by default it returns memory to the
  // driver at every synchronization): a training step's temporaries are
  // allocated again at the next step.
  uint64_t keepAll = ~uint64_t(0);
  if (!step(d.memPoolSetAttribute(d.pool, kPoolReleaseThreshold, &keepAll),
            "cuMemPoolSetAttribute"))
    return nullptr;
  d.architecture = "sm_" + std::to_string(major) + std::to_string(minor);
  char gib[32];
  std::snprintf(gib, sizeof gib, "%.1f GiB", double(total) / (1024.0 * 1024.0 * 1024.0));
  d.description = std::string(name) + " (" + d.architecture + ", " + gib + ")";
  d.stats.totalBytes = int64_t(total);
  return runtime;
}

CudaRuntime *CudaRuntime::global(std::string *error) {
  static std::string openError;
  static std::unique_ptr<CudaRuntime> instance = [] {
    int device = 0;
    if (const char *env = std::getenv("STDE_CUDA_DEVICE"); env && *env)
      device = std::atoi(env);
    else
      for (const char *name : {"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID"})
        if (const char *env = std::getenv(name); env && *env)
          device = kDeviceOfLocalRank;
    return open("", device, openError);
  }();
  if (!instance && error)
    *error = openError;
  return instance.get();
}

const std::string &CudaRuntime::deviceDescription() const { return driver->description; }
int CudaRuntime::deviceOrdinal() const { return int(driver->device); }
const std::string &CudaRuntime::architecture() const { return driver->architecture; }

namespace {
/// What an allocation failure tells the user.
std::string allocationFailure(const std::string &what, size_t bytes, const std::string &cause,
                              size_t free, size_t total, int64_t held, bool outOfMemory) {
  std::string message = what + " of " + mib(int64_t(bytes)) + " failed: " + cause + "; " +
                        mib(int64_t(free)) + " free of " + mib(int64_t(total)) + ", " +
                        mib(held) + " held by stde";
  if (outOfMemory)
    message += ". Use fewer points, a smaller network, or the zeroth-order method";
  return message;
}
} // namespace

void *CudaRuntime::allocateBlock(size_t bytes, bool streamOrdered) {
  Driver &d = *driver;
  if (bytes == 0)
    bytes = 1;
  if (streamOrdered && d.failed())
    return nullptr; // compiled code after an error: nothing runs any more
  CUdeviceptr pointer = 0;
  CUresult result = streamOrdered ? d.memAllocAsync(&pointer, bytes, d.stream)
                                  : d.memAllocManaged(&pointer, bytes, kAttachGlobal);
  if (result != kSuccess) {
    size_t free = 0, total = 0;
    d.memGetInfo(&free, &total);
    d.fail(allocationFailure("device memory allocation", bytes, d.describe(result), free, total,
                             memoryStats().liveBytes, result == kOutOfMemory));
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(d.mutex);
  d.blocks[reinterpret_cast<void *>(pointer)] = {bytes, streamOrdered, d.allocationsMade++};
  d.stats.liveBytes += int64_t(bytes);
  d.stats.peakBytes = std::max(d.stats.peakBytes, d.stats.liveBytes);
  ++d.stats.allocations;
  return reinterpret_cast<void *>(pointer);
}

void *CudaRuntime::allocate(size_t bytes) { return allocateBlock(bytes, false); }
void *CudaRuntime::allocateOnDevice(size_t bytes) { return allocateBlock(bytes, true); }

uint64_t CudaRuntime::allocationMark() {
  std::lock_guard<std::mutex> lock(driver->mutex);
  return driver->allocationsMade;
}

void CudaRuntime::releaseSince(uint64_t mark) {
  std::vector<void *> held;
  {
    std::lock_guard<std::mutex> lock(driver->mutex);
    for (const auto &[pointer, block] : driver->blocks)
      if (block.serial >= mark)
        held.push_back(const_cast<void *>(pointer));
  }
  for (void *pointer : held)
    release(pointer);
}

void CudaRuntime::release(void *pointer) {
  if (!pointer)
    return;
  Driver &d = *driver;
  bool streamOrdered = false;
  {
    std::lock_guard<std::mutex> lock(d.mutex);
    auto it = d.blocks.find(pointer);
    if (it == d.blocks.end()) {
      if (d.error.empty())
        d.error = "internal: freeing device memory that the CUDA runtime did not allocate";
      return;
    }
    streamOrdered = it->second.streamOrdered;
    d.stats.liveBytes -= int64_t(it->second.bytes);
    ++d.stats.frees;
    d.blocks.erase(it);
  }
  if (streamOrdered)
    d.check(d.memFreeAsync(reinterpret_cast<CUdeviceptr>(pointer), d.stream), "cuMemFreeAsync");
  else // kernels still queued may use the buffer: cuMemFree waits for them
    d.check(d.memFree(reinterpret_cast<CUdeviceptr>(pointer)), "cuMemFree");
}

bool CudaRuntime::owns(const void *pointer, size_t bytes) const {
  std::lock_guard<std::mutex> lock(driver->mutex);
  auto it = driver->blocks.find(pointer);
  return it != driver->blocks.end() && !it->second.streamOrdered && it->second.bytes >= bytes;
}

CudaMemoryStats CudaRuntime::memoryStats() {
  Driver &d = *driver;
  size_t free = 0, total = 0;
  bool known = d.memGetInfo(&free, &total) == kSuccess;
  std::lock_guard<std::mutex> lock(d.mutex);
  if (known) {
    d.stats.freeBytes = int64_t(free);
    d.stats.totalBytes = int64_t(total);
  }
  uint64_t reservedHigh = 0;
  if (d.pool && d.memPoolGetAttribute(d.pool, kPoolReservedMemHigh, &reservedHigh) == kSuccess)
    d.stats.poolReservedPeakBytes = int64_t(reservedHigh);
  return d.stats;
}

void *CudaRuntime::loadPtx(const void *ptx, int optimizationLevel) {
  Driver &d = *driver;
  if (d.failed())
    return nullptr;
  std::vector<char> log(16384, '\0');
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize, kJitOptimizationLevel};
  void *values[] = {log.data(), reinterpret_cast<void *>(uintptr_t(log.size() - 1)),
                    reinterpret_cast<void *>(uintptr_t(std::max(0, std::min(4, optimizationLevel))))};
  Handle module = nullptr;
  CUresult result = d.moduleLoadDataEx(&module, ptx, 3, options, values);
  if (result != kSuccess) {
    std::string message = "loading the PTX failed: " + d.describe(result);
    if (log[0])
      message += "; the driver's JIT log:\n" + std::string(log.data());
    message += "\n(the GPU's driver may be older than the PTX ISA 8.0 the code targets, or the "
               "chip option does not match the GPU)";
    d.fail(message);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(d.mutex);
  d.moduleEntries[module] = ptxEntryParameterCounts(static_cast<const char *>(ptx));
  return module;
}

void *CudaRuntime::loadBinary(const void *data, size_t) {
  Driver &d = *driver;
  if (d.failed())
    return nullptr;
  Handle module = nullptr;
  if (!d.check(d.moduleLoadData(&module, data), "loading a GPU binary (cuModuleLoadData)"))
    return nullptr;
  return module;
}

void CudaRuntime::unload(void *module) {
  if (module)
    driver->moduleUnload(module);
}

void *CudaRuntime::function(void *module, const char *name) {
  Driver &d = *driver;
  if (!module || d.failed())
    return nullptr;
  Handle function = nullptr;
  if (!d.check(d.moduleGetFunction(&function, module, name),
               std::string("finding kernel '") + name + "'"))
    return nullptr;
  std::lock_guard<std::mutex> lock(d.mutex);
  auto entries = d.moduleEntries.find(module);
  int parameters = -1;
  if (entries != d.moduleEntries.end())
    if (auto it = entries->second.find(name); it != entries->second.end())
      parameters = it->second;
  d.kernels[function] = {name, parameters};
  return function;
}

void CudaRuntime::launch(void *function, const size_t grid[3], const size_t block[3],
                         unsigned sharedBytes, void **params, int64_t parameterCount) {
  Driver &d = *driver;
  if (!function || d.failed())
    return;
  if (parameterCount >= 0) {
    std::unique_lock<std::mutex> lock(d.mutex);
    auto it = d.kernels.find(function);
    if (it != d.kernels.end() && it->second.second >= 0 &&
        it->second.second != parameterCount) {
      std::string message = "internal: kernel '" + it->second.first + "' declares " +
                            std::to_string(it->second.second) + " parameters but the program " +
                            "passes " + std::to_string(parameterCount) +
                            " (host and kernel calling conventions disagree)";
      lock.unlock();
      d.fail(message);
      return;
    }
  }
  for (int i = 0; i < 3; ++i)
    if (grid[i] == 0 || grid[i] > 0x7fffffffu || block[i] == 0 || block[i] > 1024) {
      d.fail("internal: a kernel launch of " + std::to_string(grid[0]) + " x " +
             std::to_string(grid[1]) + " x " + std::to_string(grid[2]) + " blocks of " +
             std::to_string(block[0]) + " threads is outside the GPU's limits");
      return;
    }
  d.check(d.launchKernel(function, unsigned(grid[0]), unsigned(grid[1]), unsigned(grid[2]),
                         unsigned(block[0]), unsigned(block[1]), unsigned(block[2]), sharedBytes,
                         d.stream, params, nullptr),
          "launching a kernel");
}

void CudaRuntime::copy(void *destination, const void *source, size_t bytes) {
  Driver &d = *driver;
  if (d.failed() || bytes == 0)
    return;
  d.check(d.memcpy(reinterpret_cast<CUdeviceptr>(destination),
                   reinterpret_cast<CUdeviceptr>(source), bytes),
          "cuMemcpy");
}

void CudaRuntime::fill32(void *destination, uint32_t value, size_t count) {
  Driver &d = *driver;
  if (d.failed() || count == 0)
    return;
  d.check(d.memsetD32Async(reinterpret_cast<CUdeviceptr>(destination), value, count, d.stream),
          "cuMemsetD32Async");
}

void *CudaRuntime::stream() const { return driver->stream; }

void *CudaRuntime::createEvent() {
  Handle event = nullptr;
  driver->check(driver->eventCreate(&event, 0), "cuEventCreate");
  return event;
}
void CudaRuntime::recordEvent(void *event) {
  if (event)
    driver->check(driver->eventRecord(event, driver->stream), "cuEventRecord");
}
float CudaRuntime::elapsedMs(void *start, void *end) {
  float ms = 0;
  if (start && end && driver->check(driver->eventSynchronize(end), "cuEventSynchronize"))
    driver->check(driver->eventElapsedTime(&ms, start, end), "cuEventElapsedTime");
  return ms;
}
void CudaRuntime::destroyEvent(void *event) {
  if (event)
    driver->eventDestroy(event);
}

void CudaRuntime::synchronize() {
  Driver &d = *driver;
  CUresult result = d.streamSynchronize(d.stream);
  if (result != kSuccess)
    d.fail("a GPU kernel failed: " + d.describe(result) +
           " (the CUDA context is unusable now; restart the run from its last checkpoint)");
}

std::string CudaRuntime::takeError() {
  std::lock_guard<std::mutex> lock(driver->mutex);
  std::string error;
  error.swap(driver->error);
  return error;
}

bool CudaRuntime::hasError() const { return driver->failed(); }

} // namespace stde::runtime
