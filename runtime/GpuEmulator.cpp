//===- GpuEmulator.cpp - a compiled GPU program's kernels run on the CPU --===//
#include "runtime/GpuEmulator.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <ucontext.h>

#if defined(__SANITIZE_ADDRESS__)
#define STDE_EMU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STDE_EMU_ASAN 1
#endif
#endif
#ifdef STDE_EMU_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

using namespace stde::runtime;

namespace {

constexpr unsigned char kPoison = 0xFF; // NaN in every float format
constexpr size_t kFiberStackBytes = 128 * 1024;
constexpr int64_t kMaxThreadsPerBlock = 1024; // every GPU stde targets

/// One thread of the block being run. With barriers it is a fiber with a
/// stack of its own; without, it runs on the caller's stack.
struct Fiber {
  enum class State { ready, atBarrier, finished };
  ucontext_t context;
  char *stack = nullptr;
  int64_t id[3] = {0, 0, 0};
  State state = State::ready;
  int32_t site = -1;
  double ns = 0; ///< time run so far (profiling)
};

double nowNs() {
  return std::chrono::duration<double, std::nano>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The block being run on this OS thread: what the stde_emu_* queries read.
struct BlockRun {
  void (*entry)(void *) = nullptr;
  void *slots = nullptr;
  int64_t block[3], blockDim[3], gridDim[3];
  Fiber *current = nullptr;
  bool fibers = false;
  bool timed = false;            ///< profiling: time every thread
  bool misplacedBarrier = false; ///< a barrier in a kernel launched as barrier-free
  ucontext_t scheduler;
#ifdef STDE_EMU_ASAN
  const void *schedulerBottom = nullptr;
  size_t schedulerSize = 0;
#endif
};
thread_local BlockRun *active = nullptr;

void fiberMain() {
  BlockRun &run = *active;
#ifdef STDE_EMU_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &run.schedulerBottom, &run.schedulerSize);
#endif
  run.entry(run.slots);
  run.current->state = Fiber::State::finished;
#ifdef STDE_EMU_ASAN
  __sanitizer_start_switch_fiber(nullptr, run.schedulerBottom, run.schedulerSize);
#endif
  setcontext(&run.scheduler); // never returns: the scheduler resumes
}

/// Scheduler -> fiber, back when it reaches a barrier or finishes.
void enterFiber(BlockRun &run, Fiber &fiber) {
  run.current = &fiber;
  fiber.state = Fiber::State::ready;
#ifdef STDE_EMU_ASAN
  void *fakeStack = nullptr;
  __sanitizer_start_switch_fiber(&fakeStack, fiber.stack, kFiberStackBytes);
#endif
  swapcontext(&run.scheduler, &fiber.context);
#ifdef STDE_EMU_ASAN
  __sanitizer_finish_switch_fiber(fakeStack, nullptr, nullptr);
#endif
}

/// Fiber -> scheduler, at a barrier.
void yieldAtBarrier(BlockRun &run, int32_t site) {
  Fiber &fiber = *run.current;
  fiber.state = Fiber::State::atBarrier;
  fiber.site = site;
#ifdef STDE_EMU_ASAN
  void *fakeStack = nullptr;
  __sanitizer_start_switch_fiber(&fakeStack, run.schedulerBottom, run.schedulerSize);
#endif
  swapcontext(&fiber.context, &run.scheduler);
#ifdef STDE_EMU_ASAN
  __sanitizer_finish_switch_fiber(fakeStack, &run.schedulerBottom, &run.schedulerSize);
#endif
}

std::string coordinates(const int64_t v[3]) {
  return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ", " + std::to_string(v[2]) +
         ")";
}

/// What the stream holds: a launch, or a stream-ordered free / copy / set.
struct QueuedOp {
  enum class Kind { launch, free, copy, set32 } kind;
  void (*entry)(void *) = nullptr;
  std::string name;
  std::vector<uint64_t> slots;
  int64_t grid[3] = {1, 1, 1}, block[3] = {1, 1, 1};
  bool barriers = false;
  void *pointer = nullptr;
  const void *source = nullptr;
  size_t count = 0;
  uint32_t value = 0;

  /// Whether the operation reads or writes through `p` (a launch: one of its
  /// arguments is that pointer; memref descriptors pass allocated and
  /// aligned pointers, both the malloc'd one when the alignment is met).
  bool uses(const void *p) const {
    if (kind != Kind::launch)
      return pointer == p || source == p;
    return std::find(slots.begin(), slots.end(), uint64_t(uintptr_t(p))) != slots.end();
  }
};

} // namespace

struct GpuEmulator::Impl {
  std::mutex mutex;
  std::deque<QueuedOp> queue;
  std::unordered_set<void *> live;
  /// Device allocations (mgpuMemAlloc) and their sizes, for the memory
  /// counts: host malloc is not device memory.
  std::unordered_map<void *, size_t> deviceBlocks;
  std::string error;
  GpuEmulatorStats stats;
  std::vector<char> stacks;
  std::vector<Fiber> fibers;
  bool profiling = false;
  std::map<std::string, KernelProfile> profile;

  void fail(const std::string &message) {
    if (error.empty())
      error = message;
  }
  void run(QueuedOp &op);
  void runLaunch(QueuedOp &op);
  bool runBlock(BlockRun &run, const std::string &name, double &slowestNs);
  /// "kernel NAME (launch #N)", for messages about the launch being run.
  std::string label(const std::string &name) const {
    return "kernel " + name + " (launch #" + std::to_string(stats.launches) + ")";
  }
  void freeNow(void *pointer);
};

void GpuEmulator::Impl::freeNow(void *pointer) {
  if (live.erase(pointer))
    std::free(pointer);
}

void GpuEmulator::Impl::run(QueuedOp &op) {
  switch (op.kind) {
  case QueuedOp::Kind::free:
    freeNow(op.pointer);
    return;
  case QueuedOp::Kind::copy:
    if (error.empty())
      std::memmove(op.pointer, op.source, op.count);
    return;
  case QueuedOp::Kind::set32:
    if (error.empty())
      for (size_t i = 0; i < op.count; ++i)
        std::memcpy(static_cast<char *>(op.pointer) + 4 * i, &op.value, 4);
    return;
  case QueuedOp::Kind::launch:
    if (error.empty())
      runLaunch(op);
    return;
  }
}

void GpuEmulator::Impl::runLaunch(QueuedOp &op) {
  ++stats.launches;
  BlockRun run;
  run.entry = op.entry;
  run.slots = op.slots.data();
  run.fibers = op.barriers;
  std::copy(op.grid, op.grid + 3, run.gridDim);
  std::copy(op.block, op.block + 3, run.blockDim);
  int64_t threads = op.block[0] * op.block[1] * op.block[2];
  if (op.barriers) {
    stacks.resize(std::max(stacks.size(), size_t(threads) * kFiberStackBytes));
    fibers.resize(std::max(fibers.size(), size_t(threads)));
  }
  run.timed = profiling;
  BlockRun *outer = active;
  active = &run;
  double start = profiling ? nowNs() : 0, slowestNs = 0;
  for (int64_t z = 0; z < op.grid[2] && error.empty(); ++z)
    for (int64_t y = 0; y < op.grid[1] && error.empty(); ++y)
      for (int64_t x = 0; x < op.grid[0] && error.empty(); ++x) {
        run.block[0] = x, run.block[1] = y, run.block[2] = z;
        if (!runBlock(run, op.name, slowestNs))
          break;
      }
  active = outer;
  if (profiling) {
    KernelProfile &p = profile[op.name];
    p.name = op.name;
    ++p.launches;
    int64_t launched = threads * op.grid[0] * op.grid[1] * op.grid[2];
    double elapsed = nowNs() - start;
    p.threads += launched;
    p.totalNs += elapsed;
    p.slowestThreadNs = std::max(p.slowestThreadNs, slowestNs);
    p.meanThreadNs = std::max(p.meanThreadNs, elapsed / double(launched));
  }
}

/// Every thread of run.block, to the end; with barriers, round by round.
bool GpuEmulator::Impl::runBlock(BlockRun &run, const std::string &name, double &slowestNs) {
  const int64_t *dim = run.blockDim;
  int64_t threads = dim[0] * dim[1] * dim[2];
  stats.threads += threads;
  auto idOf = [&](int64_t t, int64_t id[3]) {
    id[0] = t % dim[0], id[1] = (t / dim[0]) % dim[1], id[2] = t / (dim[0] * dim[1]);
  };
  if (!run.fibers) {
    Fiber plain;
    run.current = &plain;
    for (int64_t t = 0; t < threads; ++t) {
      idOf(t, plain.id);
      double start = run.timed ? nowNs() : 0;
      run.entry(run.slots);
      if (run.timed)
        slowestNs = std::max(slowestNs, nowNs() - start);
    }
    if (run.misplacedBarrier) {
      fail("internal: " + label(name) + " reached a barrier but was launched as barrier-free");
      return false;
    }
    return true;
  }
  for (int64_t t = 0; t < threads; ++t) {
    Fiber &f = fibers[t];
    idOf(t, f.id);
    f.state = Fiber::State::ready;
    f.site = -1;
    f.ns = 0;
    f.stack = stacks.data() + t * kFiberStackBytes;
#ifdef STDE_EMU_ASAN
    __asan_unpoison_memory_region(f.stack, kFiberStackBytes);
#endif
    getcontext(&f.context);
    f.context.uc_stack.ss_sp = f.stack;
    f.context.uc_stack.ss_size = kFiberStackBytes;
    f.context.uc_link = nullptr;
    makecontext(&f.context, fiberMain, 0);
  }
  for (;;) {
    for (int64_t t = 0; t < threads; ++t)
      if (fibers[t].state != Fiber::State::finished) {
        double start = run.timed ? nowNs() : 0;
        enterFiber(run, fibers[t]);
        if (run.timed)
          fibers[t].ns += nowNs() - start;
      }
    int64_t waiting = 0, finished = 0;
    int32_t site = -1;
    for (int64_t t = 0; t < threads; ++t) {
      const Fiber &f = fibers[t];
      if (f.state == Fiber::State::finished) {
        ++finished;
        continue;
      }
      ++waiting;
      if (site >= 0 && f.site != site) {
        fail(label(name) + ": threads of block " + coordinates(run.block) +
             " wait at different barriers (#" + std::to_string(site) + " and #" +
             std::to_string(f.site) + "): a barrier inside control flow that differs between threads");
        return false;
      }
      site = f.site;
    }
    if (waiting == 0) {
      for (int64_t t = 0; t < threads; ++t)
        slowestNs = std::max(slowestNs, fibers[t].ns);
      return true;
    }
    if (finished > 0) {
      fail(label(name) + ": " + std::to_string(waiting) + " of " + std::to_string(threads) +
           " threads of block " + coordinates(run.block) + " wait at barrier #" +
           std::to_string(site) + ", which the other threads never reach (they returned)");
      return false;
    }
    ++stats.barrierRounds;
  }
}

GpuEmulator::GpuEmulator() : impl(new Impl) {}

namespace {
/// $STDE_GPU_EMULATOR_PROFILE: the table, most total time first.
void writeProfileAtExit() {
  const char *path = std::getenv("STDE_GPU_EMULATOR_PROFILE");
  std::vector<KernelProfile> kernels = GpuEmulator::global().profile();
  if (!path || kernels.empty())
    return;
  bool toStderr = std::string(path) == "-";
  FILE *out = toStderr ? stderr : std::fopen(path, "w");
  if (!out)
    return;
  std::fprintf(out, "%-40s %9s %12s %12s %15s %18s\n", "kernel", "launches", "threads",
               "total ms", "mean thread us", "slowest thread us");
  for (const KernelProfile &k : kernels)
    std::fprintf(out, "%-40s %9lld %12lld %12.3f %15.3f %18.3f\n", k.name.c_str(),
                 (long long)k.launches, (long long)k.threads, k.totalNs / 1e6,
                 k.meanThreadNs / 1e3, k.slowestThreadNs / 1e3);
  if (!toStderr)
    std::fclose(out);
}
} // namespace

GpuEmulator &GpuEmulator::global() {
  static GpuEmulator *emulator = [] {
    auto *e = new GpuEmulator; // lives as long as JIT code may call it
    if (const char *path = std::getenv("STDE_GPU_EMULATOR_PROFILE"); path && *path) {
      e->setProfiling(true);
      std::atexit(writeProfileAtExit);
    }
    return e;
  }();
  return *emulator;
}

std::vector<KernelProfile> GpuEmulator::profile() const {
  std::lock_guard<std::mutex> lock(impl->mutex);
  std::vector<KernelProfile> kernels;
  for (const auto &entry : impl->profile)
    kernels.push_back(entry.second);
  std::sort(kernels.begin(), kernels.end(),
            [](const KernelProfile &a, const KernelProfile &b) { return a.totalNs > b.totalNs; });
  return kernels;
}

void GpuEmulator::setProfiling(bool on) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  impl->profiling = on;
}

std::string GpuEmulator::takeError() {
  std::lock_guard<std::mutex> lock(impl->mutex);
  std::string error;
  error.swap(impl->error);
  return error;
}

size_t GpuEmulator::pending() const {
  std::lock_guard<std::mutex> lock(impl->mutex);
  return std::count_if(impl->queue.begin(), impl->queue.end(),
                       [](const QueuedOp &op) { return op.kind != QueuedOp::Kind::free; });
}

GpuEmulatorStats GpuEmulator::stats() const {
  std::lock_guard<std::mutex> lock(impl->mutex);
  GpuEmulatorStats s = impl->stats;
  s.liveAllocations = int64_t(impl->live.size());
  return s;
}

void GpuEmulator::resetStats() {
  std::lock_guard<std::mutex> lock(impl->mutex);
  int64_t deviceBytes = impl->stats.deviceBytes;
  impl->stats = GpuEmulatorStats();
  impl->stats.deviceBytes = impl->stats.peakDeviceBytes = deviceBytes;
  impl->profile.clear();
}

void GpuEmulator::fail(const std::string &message) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  impl->fail(message);
}

void GpuEmulator::launch(void (*entry)(void *), const char *name, const void *slots,
                         int64_t slotCount, const int64_t grid[3], const int64_t block[3],
                         bool usesBarriers) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  for (int i = 0; i < 3; ++i)
    if (grid[i] < 1 || block[i] < 1) {
      impl->fail("launch of kernel " + std::string(name ? name : "?") + " with grid " + coordinates(grid) + " and block " +
                 coordinates(block) + ": every dimension must be at least 1");
      return;
    }
  if (block[0] * block[1] * block[2] > kMaxThreadsPerBlock) {
    impl->fail("launch of kernel " + std::string(name ? name : "?") + " with " + std::to_string(block[0] * block[1] * block[2]) +
               " threads per block: a GPU runs at most " + std::to_string(kMaxThreadsPerBlock));
    return;
  }
  if (!entry || slotCount < 0 || (slotCount > 0 && !slots)) {
    impl->fail("internal: a kernel launch without a kernel or its arguments");
    return;
  }
  QueuedOp op{QueuedOp::Kind::launch};
  op.entry = entry;
  op.name = name ? name : "(unnamed)";
  op.slots.resize(size_t(slotCount) + 1); // never empty: data() is what entry gets
  if (slotCount > 0)
    std::memcpy(op.slots.data(), slots, size_t(slotCount) * 8);
  std::copy(grid, grid + 3, op.grid);
  std::copy(block, block + 3, op.block);
  op.barriers = usesBarriers;
  impl->queue.push_back(std::move(op));
}

void GpuEmulator::synchronize() {
  std::lock_guard<std::mutex> lock(impl->mutex);

  ++impl->stats.synchronizations;
  while (!impl->queue.empty()) {
    QueuedOp op = std::move(impl->queue.front());
    impl->queue.pop_front();
    impl->run(op);
  }
}

void *GpuEmulator::allocate(size_t bytes, bool onDevice) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  void *memory = std::aligned_alloc(64, rounded);
  if (!memory) {
    fail("out of emulated device memory: " + std::to_string(bytes) + " bytes requested");
    return nullptr;
  }
  std::memset(memory, kPoison, rounded);
  std::lock_guard<std::mutex> lock(impl->mutex);
  impl->live.insert(memory);
  if (onDevice) {
    impl->deviceBlocks[memory] = bytes;
    impl->stats.deviceBytes += int64_t(bytes);
    impl->stats.peakDeviceBytes = std::max(impl->stats.peakDeviceBytes, impl->stats.deviceBytes);
  }
  return memory;
}

void GpuEmulator::release(void *pointer, bool streamOrdered) {
  if (!pointer)
    return;
  std::lock_guard<std::mutex> lock(impl->mutex);
  if (!impl->live.count(pointer)) {
    impl->fail("the program freed " + std::string(streamOrdered ? "device" : "host") +
               " memory that is not live (never allocated, or freed twice)");
    return;
  }
  // Counted as CudaRuntime counts it: a stream-ordered free makes the memory
  // available to the allocations queued after it.
  if (auto block = impl->deviceBlocks.find(pointer); block != impl->deviceBlocks.end()) {
    impl->stats.deviceBytes -= int64_t(block->second);
    impl->deviceBlocks.erase(block);
  }
  if (!streamOrdered) {
    bool queuedUse = std::any_of(impl->queue.begin(), impl->queue.end(),
                                 [&](const QueuedOp &op) { return op.uses(pointer); });
    if (!queuedUse) {
      impl->freeNow(pointer);
      return;
    }
    impl->fail("the host freed memory that a queued kernel still uses: a wait is missing "
               "before the free (stde-gpu-async-launches)");
  }
  QueuedOp op{QueuedOp::Kind::free};
  op.pointer = pointer;
  impl->queue.push_back(std::move(op)); // freed after the work that uses it
}

void GpuEmulator::copy(void *destination, const void *source, size_t bytes) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  QueuedOp op{QueuedOp::Kind::copy};
  op.pointer = destination;
  op.source = source;
  op.count = bytes;
  impl->queue.push_back(std::move(op));
}

void GpuEmulator::set32(void *destination, uint32_t value, size_t count) {
  std::lock_guard<std::mutex> lock(impl->mutex);
  QueuedOp op{QueuedOp::Kind::set32};
  op.pointer = destination;
  op.value = value;
  op.count = count;
  impl->queue.push_back(std::move(op));
}

//===----------------------------------------------------------------------===//
// The entry points compiled code calls.
//===----------------------------------------------------------------------===//

extern "C" {

void stde_emu_launch(void (*entry)(void *), const char *name, const void *slots,
                     int64_t slotCount, int64_t gridX, int64_t gridY, int64_t gridZ,
                     int64_t blockX, int64_t blockY, int64_t blockZ, int32_t usesBarriers) {
  const int64_t grid[3] = {gridX, gridY, gridZ}, block[3] = {blockX, blockY, blockZ};
  GpuEmulator::global().launch(entry, name, slots, slotCount, grid, block, usesBarriers != 0);
}

static int64_t component(const int64_t v[3], int32_t dim) { return dim >= 0 && dim < 3 ? v[dim] : 0; }

int64_t stde_emu_thread_id(int32_t dim) {
  return active ? component(active->current->id, dim) : 0;
}
int64_t stde_emu_block_id(int32_t dim) { return active ? component(active->block, dim) : 0; }
int64_t stde_emu_block_dim(int32_t dim) { return active ? component(active->blockDim, dim) : 1; }
int64_t stde_emu_grid_dim(int32_t dim) { return active ? component(active->gridDim, dim) : 1; }

void stde_emu_barrier(int32_t site) {
  if (!active)
    return;
  if (!active->fibers) {
    active->misplacedBarrier = true; // reported when the block ends
    return;
  }
  yieldAtBarrier(*active, site);
}

// One stream, as on the CUDA target (runtime/CudaLauncher.cpp): any non-null
// handle names it.
void *stde_emu_stream_create() { return &GpuEmulator::global(); }
void stde_emu_stream_destroy(void *) {}
void stde_emu_stream_synchronize(void *) { GpuEmulator::global().synchronize(); }

void *stde_emu_mem_alloc(uint64_t bytes, void *, bool) {
  return GpuEmulator::global().allocate(bytes, /*onDevice=*/true);
}
void stde_emu_mem_free(void *pointer, void *) { GpuEmulator::global().release(pointer, true); }
void stde_emu_memcpy(void *destination, void *source, size_t bytes, void *) {
  GpuEmulator::global().copy(destination, source, bytes);
}
void stde_emu_memset32(void *destination, unsigned value, size_t count, void *) {
  GpuEmulator::global().set32(destination, value, count);
}

void *stde_emu_malloc(size_t bytes) { return GpuEmulator::global().allocate(bytes); }
void stde_emu_free(void *pointer) { GpuEmulator::global().release(pointer, false); }

} // extern "C"
