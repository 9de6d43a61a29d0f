//===- GpuEmulatorProgramTest.cpp - compiled GPU programs, emulated -------===//
//
// The GPU target's code for whole training steps (STDE and zeroth order),
// run by the GPU emulator (Target::gpuEmulator), against the CPU target on
// the same seeds. The problem is sized so that the first layer's matrix
// products are tiled kernels with K split over blocks (d = 300: four
// splits) and tiles cut by the edges (width 20, 6 points): the emulator's
// counters show the barriers of the tiled kernels ran.
//
//===----------------------------------------------------------------------===//
#include "Compare.h"
#include "SmallProblems.h"

#include "runtime/GpuEmulator.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace {

using stde::runtime::GpuEmulator;

stde::test::SmallProblem problem(stde::TrainingMethod method, stde::Target target) {
  stde::test::SmallProblem p;
  p.name = "allen-cahn-two-body";
  p.estimator = stde::Estimator::sparse(3);
  p.dim = 300;
  p.width = 20;
  p.points = 6;
  p.spec.target = target;
  p.spec.method = method;
  p.spec.learningRate = method == stde::TrainingMethod::zo ? 1e-5 : 1e-3;
  p.spec.zo.pairs = 2;
  p.spec.zo.rank = 2;
  return p;
}

using stde::test::maxRelativeDifference;

class EmulatedGpuProgram : public ::testing::TestWithParam<stde::TrainingMethod> {};

/// The loss, the sampled points and the test error of one parameter vector.
void expectSameEvaluations(const stde::TrainingProgram &cpu, const stde::TrainingProgram &gpu) {
  std::vector<double> params;
  cpu.initialize(9, params);
  double lossCpu = 0.0, lossGpu = 0.0;
  ASSERT_TRUE(cpu.loss(params.data(), 4, 0, &lossCpu).ok());
  stde::Status g = gpu.loss(params.data(), 4, 0, &lossGpu);
  ASSERT_TRUE(g.ok()) << g.message();
  EXPECT_NEAR(lossGpu, lossCpu, 1e-12 * std::max(1.0, std::abs(lossCpu)));
  std::vector<double> xc(cpu.points() * cpu.dim()), xg(xc.size(), -1.0);
  ASSERT_TRUE(cpu.samplePoints(4, 2, xc.data(), nullptr).ok());
  ASSERT_TRUE(gpu.samplePoints(4, 2, xg.data(), nullptr).ok());
  EXPECT_EQ(xc, xg); // the random streams are the same integer arithmetic
  stde::TestError ec{}, eg{};
  ASSERT_TRUE(cpu.testError(params.data(), 4, 100, &ec).ok());
  g = gpu.testError(params.data(), 4, 100, &eg);
  ASSERT_TRUE(g.ok()) << g.message();
  EXPECT_EQ(eg.points, ec.points);
  EXPECT_NEAR(eg.relL2, ec.relL2, 1e-12 * ec.relL2);
}

TEST_P(EmulatedGpuProgram, MatchesTheCpuTarget) {
  auto cpu = stde::test::compileSmall(problem(GetParam(), stde::Target::cpu));
  auto gpu = stde::test::compileSmall(problem(GetParam(), stde::Target::gpuEmulator));
  ASSERT_TRUE(cpu && gpu);
  expectSameEvaluations(*cpu, *gpu);

  int64_t s = cpu->stateSize();
  ASSERT_EQ(gpu->stateSize(), s);
  std::vector<double> pc, pg, mc(s), vc(s), mg(s), vg(s);
  cpu->initialize(5, pc);
  pg = pc;

  GpuEmulator &emulator = GpuEmulator::global();
  emulator.resetStats();
  int64_t live = emulator.stats().liveAllocations;
  stde::DeviceMemory before = gpu->deviceMemory();
  for (int64_t step = 0; step < 3; ++step) {
    double lossCpu = 0.0, lossGpu = 0.0;
    stde::Status c = cpu->step(pc.data(), mc.data(), vc.data(), 11, step, &lossCpu);
    stde::Status g = gpu->step(pg.data(), mg.data(), vg.data(), 11, step, &lossGpu);
    ASSERT_TRUE(c.ok()) << c.message();
    ASSERT_TRUE(g.ok()) << g.message();
    EXPECT_NEAR(lossGpu, lossCpu, 1e-12 * std::max(1.0, std::abs(lossCpu)));
    EXPECT_LE(maxRelativeDifference(pc, pg), 1e-12) << "step " << step;
    // Every temporary of the step is freed (device and managed memory).
    EXPECT_EQ(emulator.stats().liveAllocations, live);
  }
  EXPECT_LE(maxRelativeDifference(mc, mg), 1e-12);
  // The step's temporaries are device memory, the parameter gradient among
  // them (STDE; ZO keeps no gradient), and all of it is given back.
  stde::DeviceMemory after = gpu->deviceMemory();
  EXPECT_EQ(after.liveBytes, before.liveBytes);
  int64_t element = gpu->dtype() == stde::DType::f64 ? 8 : 4;
  EXPECT_GE(after.peakBytes - before.liveBytes,
            GetParam() == stde::TrainingMethod::stde ? gpu->numParams() * element : 1);
  EXPECT_EQ(cpu->deviceMemory().peakBytes, 0);
  auto stats = emulator.stats();
  std::printf("  3 steps: %lld launches, %lld barrier rounds, %lld waits, peak device "
              "memory %lld bytes\n",
              (long long)stats.launches, (long long)stats.barrierRounds,
              (long long)stats.synchronizations, (long long)(after.peakBytes - before.liveBytes));
  EXPECT_GT(stats.launches, 3 * 50);
  EXPECT_GT(stats.barrierRounds, 0); // the tiled matrix products ran
  // The host waits where it reads, not once per kernel.
  EXPECT_LT(20 * stats.synchronizations, stats.launches);
}

// The first layer shared across blocks of 30 of the 300 coordinates: the
// folded point, its folded one-hot tangents and the shared weight's gradient
// on the emulated GPU agree with the CPU target.
TEST(EmulatedGpuProgramShared, MatchesTheCpuTarget) {
  stde::test::SmallProblem p = problem(stde::TrainingMethod::stde, stde::Target::cpu);
  p.shareBlock = 30;
  auto cpu = stde::test::compileSmall(p);
  p.spec.target = stde::Target::gpuEmulator;
  auto gpu = stde::test::compileSmall(p);
  ASSERT_TRUE(cpu && gpu);
  ASSERT_EQ(cpu->layers().front().in, 30);
  expectSameEvaluations(*cpu, *gpu);
  std::vector<double> pc, grad(cpu->numParams()), gradGpu(cpu->numParams());
  cpu->initialize(5, pc);
  double lc = 0, lg = 0;
  ASSERT_TRUE(cpu->lossAndGradient(pc.data(), 11, 1, &lc, grad.data()).ok());
  stde::Status g = gpu->lossAndGradient(pc.data(), 11, 1, &lg, gradGpu.data());
  ASSERT_TRUE(g.ok()) << g.message();
  EXPECT_NEAR(lg, lc, 1e-12 * std::max(1.0, std::abs(lc)));
  EXPECT_LE(maxRelativeDifference(grad, gradGpu), 1e-12);
}

/// The loss, the parameter gradient and the test error of the emulated GPU
/// code against the CPU target.
void expectEmulatorMatchesCpu(stde::test::SmallProblem p) {
  auto cpu = stde::test::compileSmall(p);
  p.spec.target = stde::Target::gpuEmulator;
  auto gpu = stde::test::compileSmall(p);
  ASSERT_TRUE(cpu && gpu);
  std::vector<double> params, grad(cpu->numParams()), gradGpu(cpu->numParams());
  cpu->initialize(3, params);
  double lc = 0, lg = 0;
  ASSERT_TRUE(cpu->lossAndGradient(params.data(), 7, 2, &lc, grad.data()).ok());
  stde::Status g = gpu->lossAndGradient(params.data(), 7, 2, &lg, gradGpu.data());
  ASSERT_TRUE(g.ok()) << g.message();
  EXPECT_NEAR(lg, lc, 1e-12 * std::max(1.0, std::abs(lc)));
  EXPECT_LE(maxRelativeDifference(grad, gradGpu), 1e-12);
  stde::TestError ec{}, eg{};
  ASSERT_TRUE(cpu->testError(params.data(), 4, 50, &ec).ok());
  g = gpu->testError(params.data(), 4, 50, &eg);
  ASSERT_TRUE(g.ok()) << g.message();
  EXPECT_NEAR(eg.relL2, ec.relL2, 1e-12 * ec.relL2);
}

// The diffusion generator with a point-dependent sigma (bsb: gathered
// sigma_i(x)^2 weights), |u_i|^p (hjb-lin: math.powf), |grad u|^2 from dense
// tangents (hjb-lqg), the wave's order-2 time derivative and the terminal data
// arctan(max_i x_i) (allen-cahn-time: an argmax reduction and a gather).
class EmulatedGpuOperators : public ::testing::TestWithParam<const char *> {};

TEST_P(EmulatedGpuOperators, MatchTheCpuTarget) {
  stde::test::SmallProblem p;
  p.name = GetParam();
  // allen-cahn-time has reference values (its test error) at d = 10, 100, ...
  p.dim = p.name == "allen-cahn-time" ? 10 : 12;
  p.width = 10;
  p.points = 6;
  p.estimator = std::string(GetParam()) == "hjb-lqg" ? stde::Estimator::dense(3)
                                                      : stde::Estimator::sparse(4);
  expectEmulatorMatchesCpu(p);
}

// A gradient-enhanced (gPINN) loss: the residual's partials from jets along
// sampled (i, j) pairs, the source field's partials, the chain rule of sin.
TEST(EmulatedGpuGradientEnhanced, MatchesTheCpuTarget) {
  stde::test::SmallProblem p;
  p.name = "sine-gordon-two-body";
  p.dim = 6;
  p.width = 6;
  p.points = 4;
  p.estimator = stde::Estimator::sparse(4);
  p.gradientWeight = 0.2;
  p.gradientSamples = 3;
  expectEmulatorMatchesCpu(p);
}

// A network that reads (x, 7 t): one-hot seeds with scales (the gathered
// column of t times 7) and a one-direction u_t that is not collapsed.
TEST(EmulatedGpuTimeScale, MatchesTheCpuTarget) {
  stde::test::SmallProblem p;
  p.name = "sine-gordon-time";
  p.dim = 10;
  p.width = 8;
  p.points = 5;
  p.estimator = stde::Estimator::sparse(4);
  p.timeScale = 7.0;
  expectEmulatorMatchesCpu(p);
}

INSTANTIATE_TEST_SUITE_P(ControlAndWaveProblems, EmulatedGpuOperators,
                         ::testing::Values("bsb", "hjb-lin", "hjb-lqg", "wave",
                                           "allen-cahn-time"),
                         [](const auto &info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

INSTANTIATE_TEST_SUITE_P(BothMethods, EmulatedGpuProgram,
                         ::testing::Values(stde::TrainingMethod::stde, stde::TrainingMethod::zo),
                         [](const auto &info) {
                           return info.param == stde::TrainingMethod::zo ? "zo" : "stde";
                         });

} // namespace
