//===- GpuEmulatorTest.cpp - the GPU emulator's model of a GPU ------------===//
//
// Kernels written by hand against the emulator's entry points (as
// stde-gpu-kernels-to-host makes them): barriers order shared memory between
// a block's threads, work runs only when the host waits, and what a GPU
// leaves undefined (fresh memory, barriers some threads skip, a free before
// the wait) is made visible.
//
//===----------------------------------------------------------------------===//
#include "runtime/GpuEmulator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

using stde::runtime::GpuEmulator;

namespace {

constexpr int64_t kBlock = 256;

/// Arguments the way compiled launches pass them: one per 8-byte slot.
std::vector<uint64_t> slots(std::initializer_list<const void *> pointers) {
  std::vector<uint64_t> s;
  for (const void *p : pointers)
    s.push_back(uint64_t(uintptr_t(p)));
  return s;
}
template <typename T> T *slotPointer(void *slots, int i) {
  return reinterpret_cast<T *>(static_cast<uint64_t *>(slots)[i]);
}

void launch(void (*entry)(void *), const std::vector<uint64_t> &args, int64_t blocks,
            int64_t threads, bool barriers, const char *name = "test_kernel") {
  stde_emu_launch(entry, name, args.data(), int64_t(args.size()), blocks, 1, 1, threads, 1, 1,
                  barriers ? 1 : 0);
}

/// out[block][t] = in[block][255 - t] through shared memory: only correct if
/// every thread's store is done before any thread's load (the barrier).
double gShared[kBlock];
void reverseKernel(void *args) {
  const double *in = slotPointer<double>(args, 0);
  double *out = slotPointer<double>(args, 1);
  int64_t t = stde_emu_thread_id(0), b = stde_emu_block_id(0), n = stde_emu_block_dim(0);
  gShared[t] = in[b * n + t];
  stde_emu_barrier(0);
  out[b * n + t] = gShared[n - 1 - t];
  stde_emu_barrier(1); // the next block reuses gShared
}

void incrementKernel(void *args) {
  double *data = slotPointer<double>(args, 0);
  data[stde_emu_block_id(0) * stde_emu_block_dim(0) + stde_emu_thread_id(0)] += 1.0;
}

void halfReachBarrierKernel(void *) {
  if (stde_emu_thread_id(0) < kBlock / 2)
    stde_emu_barrier(0);
}

void parityBarrierKernel(void *) { stde_emu_barrier(int32_t(stde_emu_thread_id(0) % 2)); }

class Emulator : public ::testing::Test {
protected:
  void SetUp() override {
    emulator().synchronize();
    (void)emulator().takeError();
    emulator().resetStats();
  }
  void TearDown() override {
    emulator().synchronize();
    (void)emulator().takeError();
  }
  static GpuEmulator &emulator() { return GpuEmulator::global(); }
};

TEST_F(Emulator, BarriersOrderSharedMemoryWithinEachBlock) {
  const int64_t blocks = 3;
  std::vector<double> in(blocks * kBlock), out(blocks * kBlock, -1.0);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = double(i);
  launch(reverseKernel, slots({in.data(), out.data()}), blocks, kBlock, true);
  emulator().synchronize();
  ASSERT_EQ(emulator().takeError(), "");
  for (int64_t b = 0; b < blocks; ++b)
    for (int64_t t = 0; t < kBlock; ++t)
      ASSERT_EQ(out[b * kBlock + t], in[b * kBlock + kBlock - 1 - t]) << b << " " << t;
  auto stats = emulator().stats();
  EXPECT_EQ(stats.launches, 1);
  EXPECT_EQ(stats.threads, blocks * kBlock);
  EXPECT_EQ(stats.barrierRounds, 2 * blocks);
}

TEST_F(Emulator, LaunchesRunWhenTheHostWaitsInOrder) {
  std::vector<double> data(2 * kBlock, 0.0);
  launch(incrementKernel, slots({data.data()}), 2, kBlock, false);
  launch(incrementKernel, slots({data.data()}), 2, kBlock, false);
  EXPECT_EQ(emulator().pending(), 2u);
  EXPECT_EQ(data[0], 0.0); // queued, not run: the host must wait before it reads
  stde_emu_stream_synchronize(stde_emu_stream_create());
  EXPECT_EQ(emulator().pending(), 0u);
  for (double v : data)
    ASSERT_EQ(v, 2.0);
}

TEST_F(Emulator, CopiesAndSetsAreStreamOrdered) {
  std::vector<uint32_t> a(8, 7), b(8, 0);
  stde_emu_memset32(a.data(), 5, 8, nullptr);
  stde_emu_memcpy(b.data(), a.data(), 8 * sizeof(uint32_t), nullptr);
  EXPECT_EQ(b[3], 0u);
  emulator().synchronize();
  for (uint32_t v : b)
    ASSERT_EQ(v, 5u); // the copy ran after the set
}

TEST_F(Emulator, FreshMemoryReadsAsNaN) {
  auto *device = static_cast<double *>(stde_emu_mem_alloc(64 * sizeof(double), nullptr, false));
  auto *host = static_cast<float *>(stde_emu_malloc(10 * sizeof(float)));
  ASSERT_NE(device, nullptr);
  ASSERT_NE(host, nullptr);
  EXPECT_TRUE(std::isnan(device[0]) && std::isnan(device[63]));
  EXPECT_TRUE(std::isnan(host[9]));
  EXPECT_EQ(emulator().stats().liveAllocations, 2);
  stde_emu_mem_free(device, nullptr);
  stde_emu_free(host);
  emulator().synchronize();
  EXPECT_EQ(emulator().stats().liveAllocations, 0);
  EXPECT_EQ(emulator().takeError(), "");
}

TEST_F(Emulator, CountsDeviceMemoryAndItsPeak) {
  int64_t base = emulator().stats().deviceBytes;
  void *a = stde_emu_mem_alloc(1000, nullptr, false);
  void *b = stde_emu_mem_alloc(3000, nullptr, false);
  void *host = stde_emu_malloc(50000); // the program's malloc: not device memory
  EXPECT_EQ(emulator().stats().deviceBytes - base, 4000);
  stde_emu_mem_free(a, nullptr); // stream-ordered: reusable by what is queued after it
  void *c = stde_emu_mem_alloc(500, nullptr, false);
  stde::runtime::GpuEmulatorStats stats = emulator().stats();
  EXPECT_EQ(stats.deviceBytes - base, 3500);
  EXPECT_EQ(stats.peakDeviceBytes - base, 4000);
  stde_emu_mem_free(b, nullptr);
  stde_emu_mem_free(c, nullptr);
  stde_emu_free(host);
  emulator().synchronize();
  EXPECT_EQ(emulator().stats().deviceBytes, base);
  emulator().resetStats(); // the peak restarts from what is live
  EXPECT_EQ(emulator().stats().peakDeviceBytes, base);
  EXPECT_EQ(emulator().takeError(), "");
}

TEST_F(Emulator, StreamOrderedFreesWaitForTheWorkBeforeThem) {
  auto *data = static_cast<double *>(stde_emu_mem_alloc(kBlock * sizeof(double), nullptr, false));
  std::memset(data, 0, kBlock * sizeof(double));
  launch(incrementKernel, slots({data}), 1, kBlock, false);
  stde_emu_mem_free(data, nullptr);
  // Only the launch is work the host would have to wait for.
  EXPECT_EQ(emulator().pending(), 1u);
  EXPECT_EQ(emulator().stats().liveAllocations, 1);
  emulator().synchronize();
  EXPECT_EQ(emulator().stats().liveAllocations, 0);
  EXPECT_EQ(emulator().takeError(), "");
}

TEST_F(Emulator, HostFreeBeforeTheWaitIsReported) {
  auto *data = static_cast<double *>(stde_emu_malloc(kBlock * sizeof(double)));
  launch(incrementKernel, slots({data}), 1, kBlock, false);
  stde_emu_free(data); // the kernel has not run: on a GPU a use after free
  EXPECT_NE(emulator().takeError().find("a wait is missing before the free"), std::string::npos);
  emulator().synchronize(); // the free was deferred behind the kernel
  EXPECT_EQ(emulator().stats().liveAllocations, 0);
}

TEST_F(Emulator, FreeingWhatWasNotAllocatedIsReported) {
  double local = 0.0;
  stde_emu_free(&local);
  EXPECT_NE(emulator().takeError().find("not live"), std::string::npos);
}

TEST_F(Emulator, BarrierSomeThreadsSkipIsReported) {
  launch(halfReachBarrierKernel, {}, 1, kBlock, true);
  emulator().synchronize();
  std::string error = emulator().takeError();
  EXPECT_NE(error.find("128 of 256 threads of block (0, 0, 0) wait at barrier #0"),
            std::string::npos)
      << error;
}

TEST_F(Emulator, ThreadsAtDifferentBarriersAreReported) {
  launch(parityBarrierKernel, {}, 1, 64, true, "parity");
  emulator().synchronize();
  std::string error = emulator().takeError();
  EXPECT_NE(error.find("kernel parity (launch #1): threads of block (0, 0, 0) wait at different "
                       "barriers (#0 and #1)"),
            std::string::npos)
      << error;
}

TEST_F(Emulator, ProfileNamesKernelsAndTheirSlowestThread) {
  emulator().setProfiling(true);
  std::vector<double> in(2 * kBlock, 1.0), out(2 * kBlock);
  launch(reverseKernel, slots({in.data(), out.data()}), 2, kBlock, true, "reverse");
  launch(incrementKernel, slots({out.data()}), 2, kBlock, false, "increment");
  launch(incrementKernel, slots({out.data()}), 2, kBlock, false, "increment");
  emulator().synchronize();
  emulator().setProfiling(false);
  auto kernels = emulator().profile();
  ASSERT_EQ(kernels.size(), 2u);
  for (const auto &k : kernels) {
    EXPECT_EQ(k.launches, k.name == "increment" ? 2 : 1) << k.name;
    EXPECT_EQ(k.threads, k.launches * 2 * kBlock) << k.name;
    EXPECT_GT(k.slowestThreadNs, 0.0);
    EXPECT_LE(k.slowestThreadNs, k.totalNs);
    EXPECT_GT(k.meanThreadNs, 0.0);
    EXPECT_LE(k.meanThreadNs * double(k.threads) / double(k.launches), k.totalNs * 1.0001);
  }
  EXPECT_GE(kernels[0].totalNs, kernels[1].totalNs);
  emulator().resetStats();
  EXPECT_TRUE(emulator().profile().empty());
}

TEST_F(Emulator, WorkAfterAnErrorIsDropped) {
  std::vector<double> data(kBlock, 0.0);
  launch(parityBarrierKernel, {}, 1, 64, true);
  launch(incrementKernel, slots({data.data()}), 1, kBlock, false);
  emulator().synchronize();
  EXPECT_NE(emulator().takeError(), "");
  EXPECT_EQ(data[0], 0.0);
  EXPECT_EQ(emulator().pending(), 0u);
}

TEST_F(Emulator, ImpossibleLaunchesAreErrors) {
  std::vector<double> data(4096, 0.0);
  launch(incrementKernel, slots({data.data()}), 1, 2048, false);
  EXPECT_NE(emulator().takeError().find("launch of kernel test_kernel with 2048 threads per "
                                       "block: a GPU runs at most 1024"),
            std::string::npos);
  launch(incrementKernel, slots({data.data()}), 0, 32, false);
  EXPECT_NE(emulator().takeError().find("every dimension must be at least 1"), std::string::npos);
  EXPECT_EQ(emulator().pending(), 0u);
}

} // namespace
