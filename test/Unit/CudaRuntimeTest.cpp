//===- CudaRuntimeTest.cpp - the CUDA runtime's errors and accounting -----===//
//
// Against a fake driver library (FakeCudaDriver.cpp), so the messages a user
// sees on a GPU machine are checked everywhere. Kernels themselves are
// tested on a GPU by the tests that REQUIRE cuda.
//
//===----------------------------------------------------------------------===//
#include "runtime/BufferPool.h"
#include "runtime/CudaLauncher.h"
#include "runtime/CudaRuntime.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <string>

using namespace stde::runtime;

namespace {

std::unique_ptr<CudaRuntime> openFake() {
  std::string error;
  auto runtime = CudaRuntime::open(STDE_FAKE_CUDA_DRIVER, 0, error);
  EXPECT_TRUE(runtime) << error;
  return runtime;
}

int fakeLaunches() {
  void *library = dlopen(STDE_FAKE_CUDA_DRIVER, RTLD_NOW | RTLD_NOLOAD);
  auto count = reinterpret_cast<int (*)()>(dlsym(library, "fake_cuda_launches"));
  return count ? count() : -1;
}

constexpr size_t MiB = size_t(1) << 20;

} // namespace

TEST(CudaRuntime, MissingDriverSaysWhatToDo) {
  std::string error;
  auto runtime = CudaRuntime::open("/nonexistent/libcuda.so.1", 0, error);
  EXPECT_FALSE(runtime);
  EXPECT_NE(error.find("cannot load the CUDA driver (/nonexistent/libcuda.so.1)"),
            std::string::npos) << error;
  EXPECT_NE(error.find("use the CPU target otherwise"), std::string::npos) << error;
}

TEST(CudaRuntime, MissingDeviceIsNamed) {
  std::string error;
  EXPECT_FALSE(CudaRuntime::open(STDE_FAKE_CUDA_DRIVER, 3, error));
  EXPECT_EQ(error, "CUDA device 3 does not exist (1 visible)");
}

// Data parallel on one machine: each rank takes the GPU of its local rank
// (modulo the GPUs it sees), so that P ranks do not share device 0.
TEST(CudaRuntime, RanksOfOneMachineTakeOneGpuEach) {
  setenv("STDE_FAKE_CUDA_DEVICES", "4", 1);
  std::string error;
  setenv("OMPI_COMM_WORLD_LOCAL_RANK", "6", 1);
  auto sixth = CudaRuntime::open(STDE_FAKE_CUDA_DRIVER, CudaRuntime::kDeviceOfLocalRank, error);
  unsetenv("OMPI_COMM_WORLD_LOCAL_RANK");
  auto alone = CudaRuntime::open(STDE_FAKE_CUDA_DRIVER, CudaRuntime::kDeviceOfLocalRank, error);
  unsetenv("STDE_FAKE_CUDA_DEVICES");
  ASSERT_TRUE(sixth) << error;
  ASSERT_TRUE(alone) << error;
  EXPECT_EQ(sixth->deviceOrdinal(), 2);
  EXPECT_EQ(alone->deviceOrdinal(), 0);
}

TEST(CudaRuntime, DescribesTheDevice) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  EXPECT_EQ(runtime->deviceDescription(), "Fake GPU (sm_90, 2.0 GiB)");
  EXPECT_EQ(runtime->architecture(), "sm_90");
}

TEST(CudaRuntime, OutOfMemorySaysRequestedAndFree) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  void *a = runtime->allocate(512 * MiB);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(runtime->allocate(768 * MiB), nullptr);
  EXPECT_EQ(runtime->takeError(),
            "device memory allocation of 768.0 MiB failed: CUDA_ERROR_OUT_OF_MEMORY (out of "
            "memory); 512.0 MiB free of 2048.0 MiB, 512.0 MiB held by stde. Use fewer points, a "
            "smaller network, or the zeroth-order method");
  EXPECT_EQ(runtime->takeError(), "") << "taking the error clears it";
  runtime->release(a);
}

TEST(CudaRuntime, AccountsLiveAndPeakMemory) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  void *a = runtime->allocate(10 * MiB), *b = runtime->allocate(20 * MiB);
  runtime->release(a);
  void *c = runtime->allocate(5 * MiB);
  CudaMemoryStats s = runtime->memoryStats();
  EXPECT_EQ(s.liveBytes, int64_t(25 * MiB));
  EXPECT_EQ(s.peakBytes, int64_t(30 * MiB));
  EXPECT_EQ(s.allocations, 3);
  EXPECT_EQ(s.frees, 1);
  EXPECT_EQ(s.freeBytes, int64_t(1024 * MiB - 25 * MiB));
  EXPECT_EQ(s.totalBytes, int64_t(2048 * MiB));
  runtime->release(b);
  runtime->release(c);
  EXPECT_EQ(runtime->memoryStats().liveBytes, 0);
  int local = 0;
  runtime->release(&local);
  EXPECT_EQ(runtime->takeError(),
            "internal: freeing device memory that the CUDA runtime did not allocate");
}

TEST(CudaRuntime, RejectedPtxCarriesTheJitLog) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  EXPECT_EQ(runtime->loadPtx(".version 8.0\n.target sm_90\nbad\n", 3), nullptr);
  std::string error = runtime->takeError();
  EXPECT_NE(error.find("loading the PTX failed: CUDA_ERROR_INVALID_PTX (a PTX JIT compilation "
                       "failed); the driver's JIT log:\nptxas application ptx input, line 3; "
                       "error   : Unknown symbol 'bad'"),
            std::string::npos) << error;
}

TEST(CudaRuntime, ErrorsAreStickyUntilTaken) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  void *module = runtime->loadPtx(".version 8.0\n", 3);
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(runtime->function(module, "missing"), nullptr);
  EXPECT_TRUE(runtime->hasError());
  void *kernel = runtime->function(module, "k");
  EXPECT_EQ(kernel, nullptr) << "nothing runs after an error";
  EXPECT_EQ(runtime->takeError(),
            "finding kernel 'missing' failed: CUDA_ERROR_NOT_FOUND (named symbol not found)");
  kernel = runtime->function(module, "k");
  ASSERT_NE(kernel, nullptr);
  const size_t grid[3] = {4, 1, 1}, block[3] = {256, 1, 1}, empty[3] = {0, 1, 1};
  int before = fakeLaunches();
  runtime->launch(kernel, grid, block, 0, nullptr);
  EXPECT_EQ(fakeLaunches(), before + 1);
  runtime->launch(kernel, empty, block, 0, nullptr);
  EXPECT_EQ(fakeLaunches(), before + 1) << "a grid of 0 blocks is refused, not launched";
  EXPECT_NE(runtime->takeError().find("0 x 1 x 1 blocks of 256 threads is outside the GPU's"),
            std::string::npos);
}

TEST(CudaRuntime, KernelFaultSurfacesAtSynchronize) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  void *module = runtime->loadPtx(".version 8.0\n", 3);
  void *crash = runtime->function(module, "crash");
  const size_t one[3] = {1, 1, 1};
  runtime->launch(crash, one, one, 0, nullptr);
  EXPECT_FALSE(runtime->hasError()) << "launches are asynchronous";
  runtime->synchronize();
  std::string error = runtime->takeError();
  EXPECT_NE(error.find("a GPU kernel failed: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory "
                       "access was encountered)"),
            std::string::npos) << error;
  EXPECT_NE(error.find("restart the run from its last checkpoint"), std::string::npos);
}

TEST(CudaRuntime, EventsTimeTheStream) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  void *start = runtime->createEvent(), *end = runtime->createEvent();
  runtime->recordEvent(start);
  runtime->recordEvent(end);
  EXPECT_FLOAT_EQ(runtime->elapsedMs(start, end), 1.5f);
  runtime->destroyEvent(start);
  runtime->destroyEvent(end);
  EXPECT_EQ(runtime->takeError(), "");
}

TEST(CudaRuntime, DeviceOnlyMemoryIsAccountedAndNotOwnedForStaging) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  void *managed = runtime->allocate(4 * MiB);
  void *device = runtime->allocateOnDevice(8 * MiB);
  ASSERT_TRUE(managed && device);
  EXPECT_EQ(runtime->memoryStats().liveBytes, int64_t(12 * MiB));
  // Staging may hand the kernels a managed buffer as it is, never a
  // device-only one (the host cannot fill it) nor a range that overruns.
  EXPECT_TRUE(runtime->owns(managed, 4 * MiB));
  EXPECT_TRUE(runtime->owns(managed, MiB));
  EXPECT_FALSE(runtime->owns(managed, 4 * MiB + 1));
  EXPECT_FALSE(runtime->owns(static_cast<char *>(managed) + 16, MiB));
  EXPECT_FALSE(runtime->owns(device, MiB));
  runtime->release(device);
  runtime->release(managed);
  CudaMemoryStats stats = runtime->memoryStats();
  EXPECT_EQ(stats.liveBytes, 0);
  EXPECT_EQ(stats.peakBytes, int64_t(12 * MiB));
  EXPECT_EQ(stats.frees, 2);
  EXPECT_FALSE(runtime->owns(managed, 1));
  EXPECT_EQ(runtime->takeError(), "");
}

TEST(CudaRuntime, CountsTheParametersOfEachPtxEntry) {
  const char *ptx = ".version 8.0\n.target sm_90\n"
                    ".visible .entry first(\n\t.param .u64 first_param_0,\n"
                    "\t.param .align 8 .b8 first_param_1[16],\n\t.param .f32 first_param_2\n)\n"
                    "{ ret; }\n"
                    ".visible .entry second()\n{ ret; }\n"
                    ".func helper(.param .b32 x) { ret; }\n";
  auto entries = ptxEntryParameterCounts(ptx);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries["first"], 3);
  EXPECT_EQ(entries["second"], 0);
}

TEST(CudaRuntime, LaunchWithTheWrongParameterCountIsAnInternalError) {
  auto runtime = openFake();
  ASSERT_TRUE(runtime);
  const char *ptx = ".visible .entry k(\n.param .u64 k_param_0,\n.param .u64 k_param_1\n)\n{}\n";
  void *module = runtime->loadPtx(ptx, 3);
  void *kernel = runtime->function(module, "k");
  ASSERT_TRUE(kernel) << runtime->takeError();
  const size_t grid[3] = {1, 1, 1}, block[3] = {32, 1, 1};
  int before = fakeLaunches();
  void *a = nullptr, *b = nullptr;
  void *params[] = {&a, &b};
  runtime->launch(kernel, grid, block, 0, params, 2);
  EXPECT_EQ(fakeLaunches(), before + 1);
  EXPECT_EQ(runtime->takeError(), "");
  runtime->launch(kernel, grid, block, 0, params, 5);
  EXPECT_EQ(fakeLaunches(), before + 1);
  EXPECT_EQ(runtime->takeError(),
            "internal: kernel 'k' declares 2 parameters but the program passes 5 (host and "
            "kernel calling conventions disagree)");
}

namespace {
void mallocThreeGiB(void **arguments) {
  *static_cast<void **>(arguments[0]) = stde_cuda_malloc(size_t(3) << 30);
}
} // namespace

// Compiled host code never sees a null pointer from the launcher's malloc:
// the guarded call ends, and the runtime keeps the reason.
TEST(CudaLauncher, AMallocTheDeviceCannotServeEndsTheGuardedCall) {
  setenv("STDE_LIBCUDA", STDE_FAKE_CUDA_DRIVER, 1);
  CudaRuntime *runtime = CudaRuntime::global();
  ASSERT_NE(runtime, nullptr);
  void *result = reinterpret_cast<void *>(1);
  void *arguments[] = {&result};
  EXPECT_EQ(runGuarded(mallocThreeGiB, arguments), size_t(3) << 30);
  EXPECT_EQ(result, reinterpret_cast<void *>(1)) << "the call ended inside the allocation";
  EXPECT_NE(runtime->takeError().find("allocation of 3072.0 MiB failed"), std::string::npos);
}
