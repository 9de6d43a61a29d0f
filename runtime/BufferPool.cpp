//===- BufferPool.cpp - reused large buffers for compiled code ------------===//
#include "BufferPool.h"

#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

using namespace stde::runtime;

namespace {

/// Every block starts with its size, so free() knows where it goes; the
/// header keeps malloc's 16-byte alignment of the returned pointer.
constexpr size_t kHeader = 16;

struct Pool {
  std::mutex mutex;
  std::unordered_map<size_t, std::vector<void *>> free;
  BufferPoolStats stats{0, 0, 0};
};

Pool &pool() {
  static Pool *p = new Pool; // never destroyed: compiled code may run at exit
  return *p;
}

} // namespace

BufferPoolStats stde::runtime::bufferPoolStats() {
  Pool &p = pool();
  std::lock_guard<std::mutex> lock(p.mutex);
  return p.stats;
}

extern "C" void *stde_pool_malloc(size_t bytes) {
  if (bytes >= kPooledBytes) {
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    auto it = p.free.find(bytes);
    if (it != p.free.end() && !it->second.empty()) {
      void *block = it->second.back();
      it->second.pop_back();
      p.stats.pooledBytes -= int64_t(bytes);
      ++p.stats.reuses;
      return static_cast<char *>(block) + kHeader;
    }
    ++p.stats.fresh;
  }
  void *block = std::malloc(bytes + kHeader);
  if (!block)
    return nullptr;
  *static_cast<size_t *>(block) = bytes;
  return static_cast<char *>(block) + kHeader;
}

extern "C" void stde_pool_free(void *pointer) {
  if (!pointer)
    return;
  void *block = static_cast<char *>(pointer) - kHeader;
  size_t bytes = *static_cast<size_t *>(block);
  if (bytes >= kPooledBytes) {
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    p.free[bytes].push_back(block);
    p.stats.pooledBytes += int64_t(bytes);
    return;
  }
  std::free(block);
}
