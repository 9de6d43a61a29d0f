//===- GpuProgramTest.cpp - compiled GPU programs against a fake driver ----===//
//
// Compiles real training programs for the GPU (PTX through the NVPTX backend,
// host code through the JIT) and runs their calls against the fake driver
// (FakeCudaDriver.cpp), which executes no kernel. What a machine without a GPU
// can check of the launcher ABI: every launch names a kernel of the loaded PTX
// with the parameter count the PTX declares (the runtime makes a mismatch an
// error), the host waits a bounded number of times per step instead of once
// per kernel, every temporary is freed, and state from allocateState() is used
// in place. The numbers themselves are checked on a GPU (lit, REQUIRES: cuda).
//
//===----------------------------------------------------------------------===//
#include "SmallProblems.h"

#include <dlfcn.h>

#include <cstdlib>
#include <unistd.h>

namespace {

// Before anything opens the driver: the runtime reads $STDE_LIBCUDA once.
const bool kUsesFakeDriver = setenv("STDE_LIBCUDA", STDE_FAKE_CUDA_DRIVER, 1) == 0;

template <typename R> R fake(const char *name) {
  void *library = dlopen(STDE_FAKE_CUDA_DRIVER, RTLD_NOW | RTLD_NOLOAD);
  auto counter = library ? reinterpret_cast<R (*)()>(dlsym(library, name)) : nullptr;
  return counter ? counter() : R(-1);
}
int launches() { return fake<int>("fake_cuda_launches"); }
int synchronizations() { return fake<int>("fake_cuda_synchronizations"); }
size_t allocatedBytes() { return fake<size_t>("fake_cuda_allocated_bytes"); }
int managedAllocations() { return fake<int>("fake_cuda_managed_allocations"); }

stde::test::SmallProblem gpuProblem(stde::TrainingMethod method) {
  stde::test::SmallProblem p;
  p.name = "allen-cahn-two-body";
  p.estimator = stde::Estimator::sparse(3);
  p.dim = 8;
  p.points = 4;
  p.spec.target = stde::Target::cuda;
  p.spec.method = method;
  p.spec.zo.pairs = 2;
  p.spec.zo.rank = 2;
  return p;
}

/// The configure-time libdevice (as the compiler finds it) or $STDE_LIBDEVICE.
bool haveLibdevice() {
  const char *env = std::getenv("STDE_LIBDEVICE");
  return access(env ? env : STDE_CONFIGURED_LIBDEVICE, R_OK) == 0;
}

class GpuProgram : public ::testing::TestWithParam<stde::TrainingMethod> {
protected:
  void SetUp() override {
    ASSERT_TRUE(kUsesFakeDriver);
    if (!haveLibdevice())
      GTEST_SKIP() << "no libdevice.10.bc (CUDA toolkit) to compile GPU code with";
  }
};

class GpuStepMemory : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(kUsesFakeDriver);
    if (!haveLibdevice())
      GTEST_SKIP() << "no libdevice.10.bc (CUDA toolkit) to compile GPU code with";
  }
};

TEST_P(GpuProgram, StepLaunchesThroughTheAbiWaitsRarelyAndFreesEverything) {
  auto program = stde::test::compileSmall(gpuProblem(GetParam()));
  ASSERT_TRUE(program);
  int64_t n = program->numParams(), s = program->stateSize();
  auto params = program->allocateState(n * sizeof(double));
  auto m = program->allocateState(s * sizeof(double));
  auto v = program->allocateState(s * sizeof(double));
  ASSERT_TRUE(params && m && v) << params.error() << m.error() << v.error();
  std::vector<double> initial;
  program->initialize(3, initial);
  std::copy(initial.begin(), initial.end(), params->as<double>());

  size_t resident = allocatedBytes();
  for (int64_t step = 0; step < 2; ++step) {
    int launchesBefore = launches(), waitsBefore = synchronizations();
    double loss = 0.0;
    stde::Status status = program->step(params->data(), m->data(), v->data(), 1, step, &loss);
    ASSERT_TRUE(status.ok()) << status.message();
    int stepLaunches = launches() - launchesBefore, stepWaits = synchronizations() - waitsBefore;
    std::printf("  step %lld: %d kernel launches, %d host waits\n", (long long)step,
                stepLaunches, stepWaits);
    EXPECT_GT(stepLaunches, 50);
    // The host waits where it reads (loss reductions kept on the host) and
    // at the end; not once per kernel, as synchronous launches would.
    EXPECT_GE(stepWaits, 1);
    EXPECT_LT(20 * stepWaits, stepLaunches);
    // Temporaries (stream-ordered device memory) and staging copies are gone.
    EXPECT_EQ(allocatedBytes(), resident);
  }
  // The parameters were updated in place by the (fake) kernels' buffers: the
  // host's copy is the program's buffer itself.
  EXPECT_EQ(params->bytes(), size_t(n) * sizeof(double));
}

TEST_P(GpuProgram, OnlyHostBuffersAreStaged) {
  auto program = stde::test::compileSmall(gpuProblem(GetParam()));
  ASSERT_TRUE(program);
  int64_t n = program->numParams(), s = program->stateSize();
  std::vector<double> params, m(s), v(s);
  program->initialize(3, params);
  size_t before = allocatedBytes();
  int managedBefore = managedAllocations();
  double loss = 0.0;
  stde::Status status = program->step(params.data(), m.data(), v.data(), 1, 0, &loss);
  ASSERT_TRUE(status.ok()) << status.message();
  int stagedStep = managedAllocations() - managedBefore;
  EXPECT_EQ(allocatedBytes(), before); // the staging copies are released

  auto p = program->allocateState(n * sizeof(double));
  auto pm = program->allocateState(s * sizeof(double));
  auto pv = program->allocateState(s * sizeof(double));
  ASSERT_TRUE(p && pm && pv);
  managedBefore = managedAllocations();
  status = program->step(p->data(), pm->data(), pv->data(), 1, 0, &loss);
  ASSERT_TRUE(status.ok()) << status.message();
  // Parameters and optimizer state (m and v; zeroth order: its state in m)
  // were copies in the first step and are used in place here.
  int buffers = GetParam() == stde::TrainingMethod::zo ? 2 : 3;
  EXPECT_EQ(stagedStep - (managedAllocations() - managedBefore), buffers);
}

// More than the fake device's 2 GiB: the step ends with the device
// runtime's account of the failed allocation, never a crash on a null
// pointer, and gives back the device memory it held. (STDE only: zo's program at this size compiles 6x longer, and
// the failure is the runtime's.)
TEST_F(GpuStepMemory, AStepTheDeviceCannotHoldIsAnError) {
  stde::test::SmallProblem p = gpuProblem(stde::TrainingMethod::stde);
  p.points = 1 << 22;
  p.width = 64;
  auto program = stde::test::compileSmall(p);
  ASSERT_TRUE(program);
  int64_t s = program->stateSize();
  std::vector<double> params, m(s), v(s);
  program->initialize(3, params);
  size_t before = allocatedBytes();
  double loss = 0.0;
  stde::Status status = program->step(params.data(), m.data(), v.data(), 1, 0, &loss);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(allocatedBytes(), before) << "device memory the failed step left held";
  EXPECT_NE(status.message().find("device memory allocation of"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("free of 2048.0 MiB"), std::string::npos) << status.message();
}

INSTANTIATE_TEST_SUITE_P(BothMethods, GpuProgram,
                         ::testing::Values(stde::TrainingMethod::stde, stde::TrainingMethod::zo),
                         [](const auto &info) {
                           return info.param == stde::TrainingMethod::zo ? "zo" : "stde";
                         });

} // namespace
