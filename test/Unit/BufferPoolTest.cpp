//===- BufferPoolTest.cpp - the JIT's malloc/free -------------------------===//
#include "runtime/BufferPool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

using namespace stde::runtime;

TEST(BufferPool, LargeBlocksAreReusedBySize) {
  size_t big = 3 * kPooledBytes + 40;
  BufferPoolStats before = bufferPoolStats();
  char *a = static_cast<char *>(stde_pool_malloc(big));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
  std::memset(a, 7, big); // the whole block is usable
  stde_pool_free(a);
  char *b = static_cast<char *>(stde_pool_malloc(big));
  EXPECT_EQ(a, b) << "the freed block of that size is handed out again";
  char *c = static_cast<char *>(stde_pool_malloc(big)); // a second live block: fresh
  EXPECT_NE(c, b);
  BufferPoolStats after = bufferPoolStats();
  EXPECT_EQ(after.reuses - before.reuses, 1);
  EXPECT_EQ(after.fresh - before.fresh, 2);
  stde_pool_free(b);
  stde_pool_free(c);
  EXPECT_EQ(bufferPoolStats().pooledBytes - after.pooledBytes, int64_t(2 * big));
  // Another size does not take these blocks.
  char *d = static_cast<char *>(stde_pool_malloc(big + 16));
  EXPECT_NE(d, b);
  EXPECT_NE(d, c);
  stde_pool_free(d);
}

TEST(BufferPool, SmallBlocksAndNull) {
  BufferPoolStats before = bufferPoolStats();
  void *p = stde_pool_malloc(100);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
  std::memset(p, 1, 100);
  stde_pool_free(p);
  stde_pool_free(nullptr);
  BufferPoolStats after = bufferPoolStats();
  EXPECT_EQ(after.pooledBytes, before.pooledBytes) << "small blocks go back to malloc";
  EXPECT_EQ(after.reuses, before.reuses);
  EXPECT_EQ(after.fresh, before.fresh);
}

namespace {

size_t firstRequest, secondRequest;

/// Stands for compiled code: takes two temporaries, frees them, returns.
void takeTwo(void **) {
  void *a = stde_pool_malloc(firstRequest);
  void *b = stde_pool_malloc(secondRequest);
  std::memset(b, 1, secondRequest);
  stde_pool_free(b);
  stde_pool_free(a);
}

} // namespace

TEST(BufferPool, AGuardedCallEndsAtTheAllocationItCannotGetAndGivesBackWhatItHeld) {
  firstRequest = 5 * kPooledBytes;
  secondRequest = 7 * kPooledBytes;
  int64_t liveBefore = bufferPoolStats().liveBytes;
  EXPECT_EQ(runGuarded(takeTwo, nullptr), 0u);
  EXPECT_EQ(bufferPoolStats().liveBytes, liveBefore);

  // Under a limit that holds the first block but not both, the call ends at
  // the second request; the first block is back, nothing stays live.
  setBufferPoolLimit(size_t(liveBefore) + 8 * kPooledBytes);
  EXPECT_EQ(runGuarded(takeTwo, nullptr), 7 * kPooledBytes);
  EXPECT_EQ(bufferPoolStats().liveBytes, liveBefore);
  // A request the system refuses (more than the address space) alike.
  setBufferPoolLimit(0);
  secondRequest = SIZE_MAX - 8;
  EXPECT_EQ(runGuarded(takeTwo, nullptr), SIZE_MAX - 8);
  EXPECT_EQ(bufferPoolStats().liveBytes, liveBefore);
  // And the next call runs to its end.
  secondRequest = 7 * kPooledBytes;
  EXPECT_EQ(runGuarded(takeTwo, nullptr), 0u);
  EXPECT_EQ(bufferPoolStats().liveBytes, liveBefore);
}
