//===- TrainingTest.cpp - training programs against oracles ---------------===//
//
// Through the public API alone (libstde), in f64:
//  - the compiled parameter gradient (stde-param-grad) against central
//    finite differences of the compiled loss, for every activation and every
//    estimator (the same seed and step on both sides: common random numbers);
//  - the problem library's closed-form sources against finite differences of
//    its exact solutions (the derivation in Problems.cpp, tested
//    independently of it);
//  - Adam and SGD steps against the update computed here from the gradient.
//
//===----------------------------------------------------------------------===//
#include "SmallProblems.h"
#include "stde/stde.h"

#include "Compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sys/resource.h>

using namespace stde;

namespace {

/// A small f64 program of a built-in problem (SmallProblems.h).
std::shared_ptr<const TrainingProgram> compileSmall(const std::string &name,
                                                    const Estimator &estimator,
                                                    const std::string &activation,
                                                    TrainingSpec spec = {}, int64_t dim = 5,
                                                    double gradientWeight = 0.0,
                                                    int64_t gradientSamples = 0) {
  test::SmallProblem p{name, dim, 3, estimator, activation, spec};
  p.gradientWeight = gradientWeight;
  p.gradientSamples = gradientSamples;
  return test::compileSmall(p);
}

/// max_i |g_i - fd_i| / (|fd_i| + 1e-3 max|fd|) over every parameter.
double gradientError(const TrainingProgram &program, uint64_t seed) {
  std::vector<double> params, grad(program.numParams()), scratch(program.numParams());
  program.initialize(seed, params);
  double loss = 0.0;
  EXPECT_TRUE(program.lossAndGradient(params.data(), seed, 3, &loss, grad.data()).ok());
  EXPECT_TRUE(std::isfinite(loss));
  std::vector<double> fd(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    double h = 1e-5 * std::max(1.0, std::fabs(params[i])), plus, minus;
    double saved = params[i];
    params[i] = saved + h;
    EXPECT_TRUE(program.lossAndGradient(params.data(), seed, 3, &plus, scratch.data()).ok());
    params[i] = saved - h;
    EXPECT_TRUE(program.lossAndGradient(params.data(), seed, 3, &minus, scratch.data()).ok());
    params[i] = saved;
    fd[i] = (plus - minus) / (2 * h);
  }
  return test::gradientError(grad, fd);
}

struct GradientCase {
  const char *problem;
  Estimator estimator;
  const char *activation;
  int64_t dim = 5;
  double gradientWeight = 0.0; ///< gPINN
  int64_t gradientSamples = 0;
};

class ParamGradient : public ::testing::TestWithParam<GradientCase> {};

TEST_P(ParamGradient, MatchesCentralFiniteDifferences) {
  GradientCase c = GetParam();
  auto program = compileSmall(c.problem, c.estimator, c.activation, {}, c.dim,
                              c.gradientWeight, c.gradientSamples);
  ASSERT_TRUE(program);
  double error = gradientError(*program, 11);
  std::printf("  %-24s %-52s %-9s%s max rel. error %.2e\n", c.problem, c.estimator.str().c_str(),
              c.activation, c.gradientWeight > 0 ? " gPINN" : "", error);
  EXPECT_LT(error, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(
    EveryActivationAndEstimator, ParamGradient,
    ::testing::Values(
        GradientCase{"allen-cahn-two-body", Estimator::exact(), "tanh"},
        GradientCase{"allen-cahn-two-body", Estimator::exact(), "sin"},
        GradientCase{"allen-cahn-two-body", Estimator::exact(), "cos"},
        GradientCase{"allen-cahn-two-body", Estimator::exact(), "exp"},
        GradientCase{"allen-cahn-two-body", Estimator::exact(), "sigmoid"},
        GradientCase{"allen-cahn-two-body", Estimator::exact(), "softplus"},
        GradientCase{"allen-cahn-two-body", Estimator::exact(), "identity"},
        GradientCase{"allen-cahn-two-body", Estimator::sparse(2), "tanh"},
        GradientCase{"sine-gordon-three-body", Estimator::sparse(3), "sin"},
        GradientCase{"poisson-two-body", Estimator::dense(3),
                     "tanh"},
        GradientCase{"allen-cahn-three-body", Estimator::dense(2, TangentDistribution::gaussian),
                     "softplus"},
        GradientCase{"biharmonic", Estimator::exact(), "tanh"},
        GradientCase{"biharmonic", Estimator::sparse(2), "sigmoid"},
        GradientCase{"biharmonic", Estimator::dense(2, TangentDistribution::gaussian), "tanh"},
        GradientCase{"biharmonic", Estimator::dense(2), "exp"},
        GradientCase{"semilinear-heat", Estimator::sparse(2), "tanh"},
        GradientCase{"semilinear-heat", Estimator::exact(), "sin"},
        // A terminal residual whose data arctan(max_i x_i) has no parameters.
        GradientCase{"allen-cahn-time", Estimator::sparse(2), "tanh", 4},
        GradientCase{"sine-gordon-time", Estimator::exact(), "sin", 3},
        GradientCase{"gkdv", Estimator::exact(), "tanh", 1},
        GradientCase{"hjb-lin", Estimator::sparse(2), "tanh", 3},
        GradientCase{"hjb-lqg", Estimator::dense(2), "sin", 3},
        GradientCase{"bsb", Estimator::sparse(2), "tanh", 3},
        GradientCase{"bsb", Estimator::dense(2, TangentDistribution::gaussian), "tanh", 3},
        // Gradient-enhanced (gPINN): partials of the residual by jets.
        GradientCase{"sine-gordon-two-body", Estimator::sparse(2), "sin", 5, 0.3, 2},
        GradientCase{"poisson-two-body", Estimator::dense(2), "tanh", 5, 0.3, 3},
        GradientCase{"semilinear-heat", Estimator::sparse(2), "tanh", 5, 0.2, 2}));

/// Lap of f at x by central differences in double precision.
double laplacianFD(const std::function<double(const std::vector<double> &)> &f,
                   std::vector<double> x, double h) {
  double center = f(x), sum = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    double saved = x[i];
    x[i] = saved + h;
    double plus = f(x);
    x[i] = saved - h;
    double minus = f(x);
    x[i] = saved;
    sum += (plus - 2 * center + minus) / (h * h);
  }
  return sum;
}

TEST(Problems, SourcesMatchFiniteDifferencesOfTheExactSolutions) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  for (const ProblemInfo &info : problemCatalog()) {
    if (info.domain != "unit_ball")
      continue; // SpaceTimeProblemsTest.cpp
    ProblemOptions o;
    o.name = info.name;
    o.dim = 7;
    auto u = [&](const std::vector<double> &x) { return exactValues(o, x)->u; };
    for (int trial = 0; trial < 4; ++trial) {
      std::vector<double> x(o.dim);
      for (double &xi : x)
        xi = 0.3 * normal(rng);
      auto values = exactValues(o, x);
      ASSERT_TRUE(values.ok()) << values.error();
      double expected;
      bool biharmonic = info.name == "biharmonic";
      if (biharmonic) {
        // Lap(Lap u) with nested central differences (u is a quintic).
        auto lap = [&](const std::vector<double> &y) { return laplacianFD(u, y, 1e-3); };
        expected = laplacianFD(lap, x, 2e-2);
      } else {
        double lap = laplacianFD(u, x, 1e-4), ux = values->u;
        expected = lap;
        if (info.name.rfind("allen-cahn", 0) == 0)
          expected += ux - ux * ux * ux;
        if (info.name.rfind("sine-gordon", 0) == 0)
          expected += std::sin(ux);
      }
      double tolerance = (biharmonic ? 2e-3 : 1e-5) * std::max(1.0, std::fabs(expected));
      EXPECT_NEAR(values->source, expected, tolerance) << info.name << " trial " << trial;
    }
  }
}

TEST(Problems, ExactSolutionsVanishOnTheSphere) {
  for (const ProblemInfo &info : problemCatalog()) {
    if (info.domain != "unit_ball")
      continue;
    ProblemOptions o;
    o.name = info.name;
    o.dim = 4;
    std::vector<double> x{0.5, -0.5, 0.5, 0.5}; // |x| = 1
    EXPECT_NEAR(exactValues(o, x)->u, 0.0, 1e-14) << info.name;
  }
}

TEST(Problems, BadOptionsSayWhatToChange) {
  ProblemOptions o;
  o.name = "no-such-problem";
  auto text = problemModule(o);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().find("allen-cahn-two-body"), std::string::npos) << text.error();
  o.name = "allen-cahn-three-body";
  o.dim = 2;
  EXPECT_NE(problemModule(o).error().find("--dim >= 3"), std::string::npos);
  o.dim = 5;
  EXPECT_NE(activationNamed("relu").error().find("tanh"), std::string::npos);
  o.estimator = Estimator::sparse(0);
  EXPECT_NE(problemModule(o).error().find("samples >= 1"), std::string::npos);
}

/// One optimizer step equals the update computed here from the compiled
/// gradient at the same seed and step.
void checkOptimizerStep(OptimizerKind kind) {
  TrainingSpec spec;
  spec.optimizer = kind;
  spec.learningRate = 0.01;
  spec.decaySteps = 100;
  auto program = compileSmall("allen-cahn-two-body", Estimator::sparse(2), "tanh", spec);
  ASSERT_TRUE(program);
  std::vector<double> params, grad(program->numParams());
  program->initialize(3, params);
  std::vector<double> m(params.size()), v(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    m[i] = 0.01 * std::sin(double(i));
    v[i] = 0.001 * (1.0 + std::cos(double(i)));
  }
  int64_t step = 7;
  double loss = 0.0, stepLoss = 0.0;
  ASSERT_TRUE(program->lossAndGradient(params.data(), 9, step, &loss, grad.data()).ok());
  std::vector<double> p2 = params, m2 = m, v2 = v;
  ASSERT_TRUE(program->step(p2.data(), m2.data(), v2.data(), 9, step, &stepLoss).ok());
  EXPECT_DOUBLE_EQ(loss, stepLoss);
  double lr = 0.01 * (1.0 - double(step) / 100.0);
  for (size_t i = 0; i < params.size(); ++i) {
    double expected;
    if (kind == OptimizerKind::sgd) {
      expected = params[i] - lr * grad[i];
    } else {
      double mi = 0.9 * m[i] + 0.1 * grad[i], vi = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
      double mh = mi / (1 - std::pow(0.9, step + 1)), vh = vi / (1 - std::pow(0.999, step + 1));
      expected = params[i] - lr * mh / (std::sqrt(vh) + 1e-8);
      EXPECT_NEAR(m2[i], mi, 1e-14);
      EXPECT_NEAR(v2[i], vi, 1e-14);
    }
    EXPECT_NEAR(p2[i], expected, 1e-12 * std::max(1.0, std::fabs(expected))) << i;
  }
}

TEST(Optimizer, AdamStepMatchesTheFormula) { checkOptimizerStep(OptimizerKind::adam); }
TEST(Optimizer, SgdStepMatchesTheFormula) { checkOptimizerStep(OptimizerKind::sgd); }

TEST(Initialization, KaimingUniformBoundsAndDeterminism) {
  auto program = compileSmall("poisson-two-body", Estimator::exact(), "tanh");
  ASSERT_TRUE(program);
  std::vector<double> a, b, c;
  program->initialize(1, a);
  program->initialize(1, b);
  program->initialize(2, c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  for (const LayerShape &layer : program->layers()) {
    double bound = 1.0 / std::sqrt(double(layer.in)), sum = 0.0, maxAbs = 0.0;
    int64_t size = layer.out * (layer.in + 1);
    for (int64_t i = 0; i < size; ++i) {
      maxAbs = test::worseOf(maxAbs, std::fabs(a[layer.offset + i]));
      sum += a[layer.offset + i];
    }
    EXPECT_LE(maxAbs, bound);
    EXPECT_GT(maxAbs, 0.5 * bound); // not all tiny
  }
}

long minorPageFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

/// A step asks for the same temporaries every time: after the first steps
/// they come from the JIT's buffer pool, not as fresh pages from the system.
/// (Left to glibc, blocks of 100 KB .. 1 MB grew its heap and were trimmed
/// away again at every step: here 2,968 page faults per step; at d = 100,
/// width 128 in f32, 4,700, and three times the step's time.)
TEST(TrainingProgram, StepsReuseTheirTemporaries) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer replaces malloc (its quarantine hands out fresh pages): "
                  "this counts glibc's page faults, in the Release build";
#endif
  test::SmallProblem small{"allen-cahn-two-body", 16, 100, Estimator::sparse(8)};
  small.width = 128;
  auto program = test::compileSmall(small);
  ASSERT_TRUE(program);
  std::vector<double> params;
  program->initialize(1, params);
  std::vector<double> m(params.size()), v(params.size());
  double loss = 0.0;
  auto steps = [&](int64_t first, int64_t count) {
    for (int64_t step = first; step < first + count; ++step)
      ASSERT_TRUE(program->step(params.data(), m.data(), v.data(), 1, step, &loss).ok());
  };
  steps(0, 3);
  long before = minorPageFaults();
  steps(3, 20);
  double perStep = double(minorPageFaults() - before) / 20;
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_LT(perStep, 8.0) << "pages faulted in per step";
}

/// Parameters and optimizer state after `steps` steps of `p` compiled with
/// `rewrites`, and the step's IR at the LLVM level.
struct ThreadedRun {
  std::vector<double> params, m, losses;
  std::string llvmIR;
};

ThreadedRun runSteps(test::SmallProblem p, const Rewrites &rewrites, int64_t steps, bool withIR) {
  p.spec.rewrites = rewrites;
  ThreadedRun run;
  std::string problem = test::smallProblemText(p);
  Compiler compiler;
  if (auto ir = withIR ? compiler.trainingIR(problem, p.spec, Stage::llvm) : std::string(); ir)
    run.llvmIR = *ir;
  auto program = test::compileSmall(p);
  if (!program)
    return run;
  program->initialize(2, run.params);
  run.m.assign(program->stateSize(), 0.0);
  std::vector<double> v(run.m.size(), 0.0);
  for (int64_t t = 0; t < steps; ++t) {
    double loss = 0.0;
    EXPECT_TRUE(program->step(run.params.data(), run.m.data(), v.data(), 4, t, &loss).ok());
    run.losses.push_back(loss);
  }
  return run;
}

size_t countOf(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

// The large loops of a step run on an OpenMP team (stde-thread-parallel-loops):
// each element sees the same operations in the same order, so parameters,
// optimizer state and losses are bit-identical to the single-threaded step,
// for the STDE step (Adam) and the zeroth-order step. Sizes are chosen so
// that several nests pass the pass's threshold (2^18 iterations): the
// first layer's gather and weight gradient (points x samples x width), the
// |x|^2 sums and source terms over points x d, the optimizer over d x width.
// The lean-memory step (point expressions fused into their reductions)
// computes the same loss and gradient, up to the order of its sums, and its
// gradient matches finite differences.
TEST(TrainingProgram, LeanMemoryStepComputesTheSameLossAndGradient) {
  for (const Estimator &estimator : {Estimator::sparse(3), Estimator::dense(2)}) {
    TrainingSpec lean;
    lean.leanMemory = true;
    auto fast = compileSmall("allen-cahn-two-body", estimator, "tanh", {}, 7);
    auto small = compileSmall("allen-cahn-two-body", estimator, "tanh", lean, 7);
    ASSERT_TRUE(fast && small);
    std::vector<double> params, gFast(fast->numParams()), gLean(small->numParams());
    fast->initialize(5, params);
    double lossFast = 0.0, lossLean = 0.0;
    ASSERT_TRUE(fast->lossAndGradient(params.data(), 5, 2, &lossFast, gFast.data()).ok());
    ASSERT_TRUE(small->lossAndGradient(params.data(), 5, 2, &lossLean, gLean.data()).ok());
    EXPECT_NEAR(lossLean, lossFast, 1e-12 * std::fabs(lossFast)) << estimator.str();
    EXPECT_LT(test::gradientError(gLean, gFast), 1e-10) << estimator.str();
    EXPECT_LT(gradientError(*small, 11), 1e-5) << estimator.str();
  }
}

TEST(TrainingProgram, ThreadTeamsGiveBitIdenticalSteps) {
  auto noThreads = rewritesWithout("threads");
  ASSERT_TRUE(noThreads.ok());
  test::SmallProblem stde{"allen-cahn-two-body", 12000, 24, Estimator::sparse(8)};
  stde.width = 24;
  test::SmallProblem zo = stde;
  zo.spec.method = TrainingMethod::zo;
  zo.spec.learningRate = 1e-6;
  zo.spec.zo.refresh = 2; // a fold of the subspace inside the run
  for (const test::SmallProblem &p : {stde, zo}) {
    ThreadedRun threaded = runSteps(p, Rewrites{}, 4, /*withIR=*/true);
    ThreadedRun sequential = runSteps(p, *noThreads, 4, /*withIR=*/false);
    ASSERT_EQ(threaded.params.size(), sequential.params.size());
    ASSERT_FALSE(threaded.params.empty());
    EXPECT_GE(countOf(threaded.llvmIR, "omp.wsloop"), 3u) << "too few loops on the thread team";
    EXPECT_EQ(threaded.losses, sequential.losses);
    EXPECT_EQ(threaded.m, sequential.m);
    size_t differing = 0;
    for (size_t i = 0; i < threaded.params.size(); ++i)
      differing += threaded.params[i] != sequential.params[i];
    EXPECT_EQ(differing, 0u) << "of " << threaded.params.size() << " parameters";
    for (double loss : threaded.losses)
      EXPECT_TRUE(std::isfinite(loss));
  }
}

TEST(TrainingProgram, ThreadCountIsChecked) {
  ProblemOptions o;
  o.name = "allen-cahn-two-body";
  o.dim = 4;
  o.width = 4;
  auto text = problemModule(o);
  ASSERT_TRUE(text.ok());
  Compiler compiler;
  TrainingSpec spec;
  spec.cpuThreads = -1;
  auto bad = compiler.compileTraining(*text, spec);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("cpuThreads must be in 0 ... 4096"), std::string::npos) << bad.error();
  EXPECT_GE(defaultCpuThreads(), 1);
}

TEST(TrainingProgram, BadProblemModulesGetClearErrors) {
  Compiler compiler;
  auto missingDomain = compiler.compileTraining("module {}", {});
  ASSERT_FALSE(missingDomain.ok());
  EXPECT_NE(missingDomain.error().find("stde.domain"), std::string::npos) << missingDomain.error();
  auto noNetwork = compiler.compileTraining("module attributes {stde.domain = \"unit_ball\"} {}", {});
  ASSERT_FALSE(noNetwork.ok());
  EXPECT_NE(noNetwork.error().find("stde.network @u"), std::string::npos) << noNetwork.error();
  auto garbage = compiler.compileTraining("this is not MLIR", {});
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().find("does not parse"), std::string::npos);
}

TEST(TrainingProgram, BadSettingsSayWhatToChange) {
  ProblemOptions o;
  o.dim = 5;
  o.width = 4;
  auto text = problemModule(o);
  ASSERT_TRUE(text.ok());
  Compiler compiler;
  auto expectError = [&](const TrainingSpec &spec, const std::string &text,
                         const std::string &says) {
    auto program = compiler.compileTraining(text, spec);
    ASSERT_FALSE(program.ok()) << says;
    EXPECT_NE(program.error().find(says), std::string::npos) << program.error();
  };
  // Each setting becomes an IR constant: inf or NaN would not even parse.
  TrainingSpec spec;
  spec.learningRate = std::numeric_limits<double>::infinity();
  expectError(spec, *text, "learning rate must be positive and finite");
  spec = {};
  spec.learningRate = 0.0;
  expectError(spec, *text, "learning rate must be positive and finite");
  spec = {};
  spec.beta2 = 1.0;
  expectError(spec, *text, "beta1 and beta2 must be in [0, 1)");
  spec = {};
  spec.epsilon = std::nan("");
  expectError(spec, *text, "epsilon must be positive and finite");
  spec = {};
  spec.decaySteps = -1;
  expectError(spec, *text, "decaySteps must be >= 0");
  // One random stream draws at most 2^32 coordinates per step: the problem
  // library refuses such options before building anything...
  o.points = 50000;
  o.dim = 100000;
  auto wide = problemModule(o);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.error().find("use at most 42949 residual points per step"), std::string::npos)
      << wide.error();
  // ...and the compiler refuses a module (a problem file) that asks for them.
  o.points = 40000;
  auto fits = problemModule(o);
  ASSERT_TRUE(fits.ok()) << fits.error();
  std::string text40k = *fits, text50k;
  const std::string from = "tensor<40000", to = "tensor<50000";
  for (size_t at = 0;;) {
    size_t next = text40k.find(from, at);
    text50k += text40k.substr(at, next == std::string::npos ? std::string::npos : next - at);
    if (next == std::string::npos)
      break;
    text50k += to;
    at = next + from.size();
  }
  ASSERT_NE(text50k, text40k);
  expectError({}, text50k, "use at most 42949 residual points per step");
}

} // namespace
