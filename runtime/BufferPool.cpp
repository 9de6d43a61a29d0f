//===- BufferPool.cpp - reused large buffers for compiled code ------------===//
#include "BufferPool.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

using namespace stde::runtime;

namespace {

/// Every block starts with its size, so free() knows where it goes; the
/// header keeps malloc's 16-byte alignment of the returned pointer.
constexpr size_t kHeader = 16;

struct Pool {
  std::mutex mutex;
  std::unordered_map<size_t, std::vector<void *>> free;
  BufferPoolStats stats{0, 0, 0, 0};
  size_t limit = 0; ///< most bytes compiled code may hold at once (0: no limit)
};

Pool &pool() {
  static Pool *p = new Pool; // never destroyed: compiled code may run at exit
  return *p;
}

/// The guarded call running on this thread: where a failed allocation
/// returns to, and the blocks the call holds (given back when it fails).
struct Guard {
  std::jmp_buf jump;
  size_t failedBytes = 0;
  std::unordered_set<void *> held;
};
thread_local Guard *activeGuard = nullptr;

size_t blockBytes(void *block) { return *static_cast<size_t *>(block); }

/// Back to the pool (large) or the system (small); the caller holds no lock.
void release(void *block) {
  size_t bytes = blockBytes(block);
  Pool &p = pool();
  if (bytes >= kPooledBytes) {
    std::lock_guard<std::mutex> lock(p.mutex);
    p.free[bytes].push_back(block);
    p.stats.pooledBytes += int64_t(bytes);
    p.stats.liveBytes -= int64_t(bytes);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    p.stats.liveBytes -= int64_t(bytes);
  }
  std::free(block);
}

/// A request that cannot be served: inside a guarded call on this thread the
/// call ends here (no frame between this and the guard has anything to
/// clean up: compiled code, and this file's functions after their locks are
/// released). Elsewhere (a worker thread, an unguarded call) there is no
/// caller to tell: the process ends with the reason instead of a segfault.
[[noreturn]] void allocationFailed(size_t bytes) {
  if (Guard *guard = activeGuard) {
    guard->failedBytes = bytes;
    std::longjmp(guard->jump, 1);
  }
  std::fprintf(stderr, "stde: compiled code could not allocate %zu bytes outside a guarded call; "
                       "stopping\n", bytes);
  std::_Exit(3);
}

} // namespace

void stde::runtime::failAllocation(size_t bytes) { allocationFailed(bytes); }

BufferPoolStats stde::runtime::bufferPoolStats() {
  Pool &p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.stats;
}

void stde::runtime::setBufferPoolLimit(size_t bytes) {
  Pool &p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  p.limit = bytes;
}

size_t stde::runtime::runGuarded(void (*function)(void **), void **arguments) {
  Guard guard;
  Guard *outer = activeGuard;
  activeGuard = &guard;
  // Nothing with a destructor may be created between setjmp and the call.
  if (setjmp(guard.jump) == 0) {
    function(arguments);
    activeGuard = outer;
    return 0;
  }
  activeGuard = outer;
  for (void *block : guard.held)
    release(block);
  return guard.failedBytes;
}

extern "C" void *stde_pool_malloc(size_t bytes) {
  Pool &p = pool();
  void *block = nullptr;
  bool overLimit = false;
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    overLimit = p.limit > 0 && size_t(p.stats.liveBytes) + bytes > p.limit;
    if (!overLimit && bytes >= kPooledBytes) {
      auto it = p.free.find(bytes);
      if (it != p.free.end() && !it->second.empty()) {
        block = it->second.back();
        it->second.pop_back();
        p.stats.pooledBytes -= int64_t(bytes);
        ++p.stats.reuses;
      } else {
        ++p.stats.fresh;
      }
    }
    if (!overLimit)
      p.stats.liveBytes += int64_t(bytes);
  }
  if (overLimit)
    allocationFailed(bytes);
  if (!block) {
    block = bytes <= SIZE_MAX - kHeader ? std::malloc(bytes + kHeader) : nullptr;
    if (!block) {
      {
        std::lock_guard<std::mutex> lock(p.mutex);
        p.stats.liveBytes -= int64_t(bytes);
      }
      allocationFailed(bytes);
    }
    *static_cast<size_t *>(block) = bytes;
  }
  if (activeGuard)
    activeGuard->held.insert(block);
  return static_cast<char *>(block) + kHeader;
}

extern "C" void stde_pool_free(void *pointer) {
  if (!pointer)
    return;
  void *block = static_cast<char *>(pointer) - kHeader;
  if (activeGuard)
    activeGuard->held.erase(block);
  release(block);
}
