//===- GpuEmulator.h - a compiled GPU program's kernels run on the CPU ----===//
//
// The GPU target's lowering (kernels, tiling, split-K, launch order, the
// host's waits) is only as good as its last run on a GPU, and most machines
// that build stde have none. The emulator runs the same program on the CPU:
// stde-gpu-kernels-to-host made each kernel a host function and
// stde-gpu-launches-to-emulator made each launch a call of
// stde_emu_launch(); the mgpu* calls of the host code (allocations, frees,
// copies, waits) come here too, under the names gpu-to-llvm gives them.
//
// It models what the compiled code may rely on, and no more:
//  - one in-order stream: launches, stream-ordered frees, copies and sets
//    are queued and run only when the host waits (mgpuStreamSynchronize);
//    a host that reads before its wait reads stale memory, and one that
//    frees memory a queued kernel still uses is reported;
//  - blocks run one at a time; a block's threads are fibers that run to
//    their next barrier in turn, so shared memory (a host global per
//    workgroup buffer) and barriers behave as on the GPU; threads that meet
//    at different barriers, or a barrier some threads never reach, are
//    reported;
//  - fresh memory (device, managed, the program's malloc) is filled with
//    0xFF bytes (NaN for floats): a kernel that reads what nobody wrote
//    gives NaN, not a lucky zero.
// Errors are kept until the API asks (takeError), like CudaRuntime's.
// Slow (one fiber switch per thread per barrier): for checking, not for
// training.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_GPUEMULATOR_H
#define STDE_RUNTIME_GPUEMULATOR_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" {
/// One launch of kernel `name`: `entry(slots)` per thread, `slots` holding
/// the kernel's `slotCount` arguments, one per 8 bytes (copied: the caller's
/// stack may be gone when the launch runs). `usesBarriers` = 0: the kernel
/// has no barrier and its threads run one after the other on the caller's
/// stack.
void stde_emu_launch(void (*entry)(void *), const char *name, const void *slots,
                     int64_t slotCount, int64_t gridX, int64_t gridY, int64_t gridZ,
                     int64_t blockX, int64_t blockY, int64_t blockZ, int32_t usesBarriers);
/// The running thread's coordinates; dim 0, 1, 2 = x, y, z.
int64_t stde_emu_thread_id(int32_t dim);
int64_t stde_emu_block_id(int32_t dim);
int64_t stde_emu_block_dim(int32_t dim);
int64_t stde_emu_grid_dim(int32_t dim);
/// gpu.barrier number `site` (numbered per program by
/// stde-gpu-kernels-to-host).
void stde_emu_barrier(int32_t site);

/// The mgpu* entry points gpu-to-llvm calls, emulated (registered under the
/// mgpu* names when a program is compiled for the emulator).
void *stde_emu_stream_create();
void stde_emu_stream_destroy(void *stream);
void stde_emu_stream_synchronize(void *stream);
void *stde_emu_mem_alloc(uint64_t bytes, void *stream, bool isHostShared);
void stde_emu_mem_free(void *pointer, void *stream);
void stde_emu_memcpy(void *destination, void *source, size_t bytes, void *stream);
void stde_emu_memset32(void *destination, unsigned value, size_t count, void *stream);
/// The program's malloc/free.
void *stde_emu_malloc(size_t bytes);
void stde_emu_free(void *pointer);
}

namespace stde::runtime {

struct GpuEmulatorStats {
  int64_t launches = 0;        ///< kernels run
  int64_t threads = 0;         ///< thread runs, over all blocks
  int64_t barrierRounds = 0;   ///< barriers every thread of a block met
  int64_t synchronizations = 0;
  int64_t liveAllocations = 0; ///< device + managed + malloc, not yet freed
  /// Device memory (mgpuMemAlloc) allocated and not yet freed, and its
  /// high-water mark since the last resetStats(); a stream-ordered free counts
  /// when it is issued, as in CudaRuntime's CudaMemoryStats.
  int64_t deviceBytes = 0, peakDeviceBytes = 0;
};

/// What one kernel cost on the emulator, summed over its launches: where a
/// GPU would wait on a long serial chain shows as a large per-thread time
/// (one thread's work) next to few threads. Kernels with barriers include
/// the emulator's fiber switches.
struct KernelProfile {
  std::string name;
  int64_t launches = 0;
  int64_t threads = 0;        ///< over all launches
  double totalNs = 0;         ///< all threads, all launches
  double slowestThreadNs = 0; ///< the longest single thread of any launch (noisy: preemption)
  double meanThreadNs = 0;    ///< the largest mean over one launch's threads
};

/// The emulator's state: one queue (the stream), counters and the first
/// error. Every entry point above goes to global(). With
/// $STDE_GPU_EMULATOR_PROFILE set (a file name, or "-" for stderr) it times
/// every thread and writes the kernel table (profile()) at exit.
class GpuEmulator {
public:
  static GpuEmulator &global();

  /// The first error since the last call ("" if none), cleared; the queue
  /// is dropped when an error occurs (what follows it would be garbage).
  std::string takeError();
  /// Launches, copies and sets queued and not yet run: 0 after every wait.
  /// Stream-ordered frees are not counted: a compiled call may return with
  /// them queued (the CUDA target runs them after the call; nothing reads
  /// the memory), and the next wait runs them.
  size_t pending() const;
  GpuEmulatorStats stats() const;
  /// Zeroes the counters (not liveAllocations or deviceBytes; the peak
  /// restarts from deviceBytes) and the profile.
  void resetStats();
  /// Per kernel, most total time first; empty unless profiling is on.
  std::vector<KernelProfile> profile() const;
  void setProfiling(bool on);

  // The implementation of the extern "C" entry points.
  void launch(void (*entry)(void *), const char *name, const void *slots, int64_t slotCount,
              const int64_t grid[3], const int64_t block[3], bool usesBarriers);
  void synchronize();
  /// Poisoned memory; `onDevice`: counted as device memory (mgpuMemAlloc).
  void *allocate(size_t bytes, bool onDevice = false);
  void release(void *pointer, bool streamOrdered);
  void copy(void *destination, const void *source, size_t bytes);
  void set32(void *destination, uint32_t value, size_t count);
  void fail(const std::string &message);

  struct Impl;

private:
  GpuEmulator();
  Impl *impl;
};

} // namespace stde::runtime

#endif // STDE_RUNTIME_GPUEMULATOR_H
