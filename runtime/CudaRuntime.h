//===- CudaRuntime.h - the CUDA driver, loaded at run time ----------------===//
//
// Compiled GPU programs are host code that calls the mgpu* entry points
// (below, the ABI gpu-to-llvm emits) plus PTX embedded in the program. This
// runtime implements those entry points on the CUDA driver API, which it
// opens with dlopen("libcuda.so.1") the first time it is needed: nothing
// links a GPU library, and the same binaries run (CPU only) where there is
// no driver. It holds one context (the primary context of device 0, or
// $STDE_CUDA_DEVICE), one stream on which every launch is queued, and the
// accounting of the device memory it hands out.
//
// Buffers the host reads (parameters, results) are CUDA managed memory: the
// host may read them after synchronize(), the kernels use the same pointers.
// A compiled program's temporaries are device memory from the device's pool,
// allocated and freed in stream order (no synchronization).
//
// Errors: the mgpu* ABI returns no status, so the first failure is kept
// (a "sticky" error, with a message that says what went wrong and what to
// do) and every later launch is skipped; the caller asks takeError() after
// each compiled call.
//
// $STDE_LIBCUDA names another driver library (tests use a fake one).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_CUDARUNTIME_H
#define STDE_RUNTIME_CUDARUNTIME_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace stde::runtime {

struct CudaMemoryStats {
  int64_t liveBytes = 0, peakBytes = 0; ///< device memory handed out by this runtime
  int64_t allocations = 0, frees = 0;
  int64_t poolReservedPeakBytes = 0; ///< the memory pool's high-water mark (driver's count)
  int64_t freeBytes = 0, totalBytes = 0; ///< the device's, at the last query
};

class CudaRuntime {
public:
  /// `device` for open(): the launcher's local rank (OMPI_COMM_WORLD_LOCAL_RANK,
  /// SLURM_LOCALID, MPI_LOCALRANKID) modulo the visible devices, so that the
  /// ranks of a data-parallel run on one machine take one GPU each.
  static constexpr int kDeviceOfLocalRank = -1;
  /// Opens the driver library at `libraryPath` (empty: $STDE_LIBCUDA, else
  /// libcuda.so.1), initializes it and makes device `device`'s primary
  /// context current. Null with `error` set when that fails.
  static std::unique_ptr<CudaRuntime> open(const std::string &libraryPath, int device,
                                           std::string &error);
  /// The process-wide runtime the compiled programs call (opened on first
  /// use; device $STDE_CUDA_DEVICE, else the local rank's under an MPI
  /// launcher, else 0); null with `error` set where there is no usable GPU.
  static CudaRuntime *global(std::string *error = nullptr);

  ~CudaRuntime();
  CudaRuntime(const CudaRuntime &) = delete;
  CudaRuntime &operator=(const CudaRuntime &) = delete;

  /// "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB)".
  const std::string &deviceDescription() const;
  /// "sm_90".
  const std::string &architecture() const;
  /// The device's ordinal among the visible ones.
  int deviceOrdinal() const;

  /// Managed memory; null (and the sticky error set) when the device is out
  /// of memory: the message says how much was asked for and how much is free.
  void *allocate(size_t bytes);
  /// Device memory the host must not touch, from the device's memory pool in
  /// stream order: usable by every launch queued after this call. Compiled
  /// programs take their temporaries here (gpu.alloc).
  void *allocateOnDevice(size_t bytes);
  /// Frees either kind: device-only memory in stream order (after the
  /// launches queued before), managed memory at once.
  void release(void *pointer);
  /// A mark of the allocations made so far, and the release of every block
  /// allocated after it that is still held: what a compiled call that ended
  /// early (an allocation it could not get) leaves behind.
  uint64_t allocationMark();
  void releaseSince(uint64_t mark);
  /// Whether [pointer, pointer + bytes) is the start of one managed buffer
  /// this runtime handed out (such a buffer needs no staging copy).
  bool owns(const void *pointer, size_t bytes) const;
  CudaMemoryStats memoryStats();

  /// Loads PTX (NUL-terminated); on failure the sticky error carries the
  /// driver's JIT log. Returns a CUmodule.
  void *loadPtx(const void *ptx, int optimizationLevel);
  void *loadBinary(const void *data, size_t size);
  void unload(void *module);
  void *function(void *module, const char *name);
  /// Queues a launch on the runtime's stream (skipped after an error). With
  /// `parameterCount` >= 0 a kernel loaded from PTX is checked to declare that
  /// many parameters (an internal error otherwise: the launch would read
  /// garbage).
  void launch(void *function, const size_t grid[3], const size_t block[3], unsigned sharedBytes,
              void **params, int64_t parameterCount = -1);
  void copy(void *destination, const void *source, size_t bytes);
  void fill32(void *destination, uint32_t value, size_t count);

  /// The runtime's stream (a CUstream).
  void *stream() const;
  /// Events on that stream, for timing: record, then elapsedMs(start, end).
  void *createEvent();
  void recordEvent(void *event);
  float elapsedMs(void *start, void *end);
  void destroyEvent(void *event);

  /// Waits for every queued launch; a launch failure surfaces here.
  void synchronize();
  /// The first error since the last call ("" if none), and clears it.
  std::string takeError();
  bool hasError() const;

  struct Driver;

private:
  CudaRuntime();
  void *allocateBlock(size_t bytes, bool streamOrdered);
  std::unique_ptr<Driver> driver;
};

/// Each `.entry` of a PTX text and how many parameters it declares.
std::unordered_map<std::string, int> ptxEntryParameterCounts(const char *ptx);

} // namespace stde::runtime

#endif // STDE_RUNTIME_CUDARUNTIME_H
