//===- ZerothOrderTest.cpp - the SDZE path against its definitions --------===//
//
// f64, small two-body Allen-Cahn networks with a sparse Laplacian. Oracles:
//   - the loss at theta +- eps P with P materialized (ZerothOrderProbe::directions) and
//     evaluated by the ordinary, unpaired loss: the implicit paired
//     evaluation must agree to 1e-12;
//   - the parameter gradient of the STDE program (checked against finite
//     differences elsewhere): c - grad L . P must shrink like eps^2;
//   - Var(c) over spatial draws, with common random numbers and with
//     independent draws for the two sides, at eps = 1e-1, 1e-2, 1e-3;
//   - the update written out in the full parameter space, theta -=
//     lr (1/q) sum_j c_j P_j (or heavy ball), against the compiled step
//     with its in-place cores and folds at every subspace refresh;
//   - the Adam update likewise: the subspace's unit directions E_c (read
//     back through the fold) give the coordinates <g, E_c> of the full-space
//     estimate g = (1/q) sum_j c_j P_j, Adam runs on them and the biases, and
//     theta moves by the sum of its steps times E_c;
//   - the default Adam rate lowers the loss at d = 100 and d = 10^5 alike.
//
//===----------------------------------------------------------------------===//
#include "Compare.h"
#include "lib/API/ZerothOrderProbe.h"
#include "SmallProblems.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace {

using stde::test::SmallProblem;

constexpr uint64_t kSeed = 5;

SmallProblem problem(double eps, int64_t rank = 2, int64_t pairs = 2) {
  SmallProblem p;
  p.name = "allen-cahn-two-body";
  p.estimator = stde::Estimator::sparse(3);
  p.dim = 6;
  p.points = 8;
  p.spec.method = stde::TrainingMethod::zo;
  p.spec.zo.eps = eps;
  p.spec.zo.rank = rank;
  p.spec.zo.pairs = pairs;
  return p;
}

using stde::test::relativeDifference;
double relDiff(double a, double b) { return relativeDifference(a, b); }

std::vector<double> axpy(const std::vector<double> &x, double a, const double *y) {
  std::vector<double> r(x);
  for (size_t i = 0; i < r.size(); ++i)
    r[i] += a * y[i];
  return r;
}

TEST(ZerothOrder, ImplicitPairMatchesMaterializedPerturbation) {
  const double eps = 1e-2;
  auto program = stde::test::compileSmall(problem(eps));
  ASSERT_TRUE(program);
  int64_t n = program->numParams(), q = 2;
  std::vector<double> params, state(program->stateSize(), 0.0), dirs(q * n), losses(2 * q);
  program->initialize(1, params);
  ASSERT_TRUE(stde::ZerothOrderProbe(*program).pairLosses(params.data(), state.data(), kSeed, 3, 7, 0, losses.data()).ok());
  ASSERT_TRUE(stde::ZerothOrderProbe(*program).directions(kSeed, 7, 0, dirs.data()).ok());
  for (int64_t j = 0; j < q; ++j)
    for (int side = 0; side < 2; ++side) {
      std::vector<double> shifted = axpy(params, side == 0 ? eps : -eps, &dirs[j * n]);
      double expected = 0.0;
      ASSERT_TRUE(program->loss(shifted.data(), kSeed, 3, &expected).ok());
      EXPECT_LT(relDiff(losses[2 * j + side], expected), 1e-12)
          << "pair " << j << (side ? " -" : " +") << ": " << losses[2 * j + side] << " vs "
          << expected;
    }
  // The perturbations are not degenerate: both pairs move the loss.
  EXPECT_GT(std::fabs(losses[0] - losses[1]), 1e-8);
  EXPECT_GT(std::fabs(losses[2] - losses[3]), 1e-8);
}

TEST(ZerothOrder, EffectiveWeightsAreTheFoldedWeights) {
  // After a few steps the cores are nonzero: the paired loss reads W + A S B^T
  // implicitly, which must be the loss at the folded weights.
  const double eps = 1e-2;
  SmallProblem p = problem(eps);
  p.spec.optimizer = stde::OptimizerKind::sgd; // its state is the cores alone: all cleared
  p.spec.learningRate = 1e-3;
  p.spec.zo.refresh = 1000;
  auto program = stde::test::compileSmall(p);
  ASSERT_TRUE(program);
  int64_t n = program->numParams(), q = 2;
  std::vector<double> params, m(program->stateSize(), 0.0), v(m), dirs(q * n), losses(2 * q);
  program->initialize(1, params);
  for (int64_t t = 0; t < 4; ++t)
    ASSERT_TRUE(program->step(params.data(), m.data(), v.data(), kSeed, t, nullptr).ok());
  double coreNorm = 0.0;
  for (double s : m)
    coreNorm += s * s;
  ASSERT_GT(coreNorm, 0.0);
  ASSERT_TRUE(stde::ZerothOrderProbe(*program).pairLosses(params.data(), m.data(), kSeed, 9, 9, 0, losses.data()).ok());
  std::vector<double> folded(params), cleared(m);
  ASSERT_TRUE(stde::ZerothOrderProbe(*program).fold(folded.data(), cleared.data(), kSeed, 0).ok());
  for (double s : cleared)
    EXPECT_EQ(s, 0.0);
  ASSERT_TRUE(stde::ZerothOrderProbe(*program).directions(kSeed, 9, 0, dirs.data()).ok());
  for (int side = 0; side < 2; ++side) {
    std::vector<double> shifted = axpy(folded, side == 0 ? eps : -eps, dirs.data());
    double expected = 0.0;
    ASSERT_TRUE(program->loss(shifted.data(), kSeed, 9, &expected).ok());
    EXPECT_LT(relDiff(losses[side], expected), 1e-12) << losses[side] << " vs " << expected;
  }
}

TEST(ZerothOrder, TwoPointValueIsTheDirectionalDerivativeToSecondOrder) {
  SmallProblem stdeProblem = problem(1e-3);
  stdeProblem.spec.method = stde::TrainingMethod::stde;
  auto gradientProgram = stde::test::compileSmall(stdeProblem);
  ASSERT_TRUE(gradientProgram);
  int64_t n = gradientProgram->numParams();
  std::vector<double> params, grad(n);
  gradientProgram->initialize(1, params);
  double loss = 0.0;
  ASSERT_TRUE(gradientProgram->lossAndGradient(params.data(), kSeed, 3, &loss, grad.data()).ok());

  double errors[3], derivative = 0.0;
  const double radii[3] = {1e-1, 1e-2, 1e-3};
  for (int e = 0; e < 3; ++e) {
    auto program = stde::test::compileSmall(problem(radii[e], 2, 1));
    ASSERT_TRUE(program);
    std::vector<double> state(program->stateSize(), 0.0), dir(n), losses(2);
    ASSERT_TRUE(stde::ZerothOrderProbe(*program).pairLosses(params.data(), state.data(), kSeed, 3, 4, 0, losses.data()).ok());
    ASSERT_TRUE(stde::ZerothOrderProbe(*program).directions(kSeed, 4, 0, dir.data()).ok());
    derivative = 0.0;
    for (int64_t i = 0; i < n; ++i)
      derivative += grad[i] * dir[i];
    double c = (losses[0] - losses[1]) / (2.0 * radii[e]);
    errors[e] = std::fabs(c - derivative);
    std::printf("eps %.0e: c = %.15g, grad L . P = %.15g, |c - grad L . P| = %.3e\n", radii[e], c,
                derivative, errors[e]);
  }
  ASSERT_GT(std::fabs(derivative), 1e-6);
  // O(eps^2): each tenfold smaller radius cuts the error about a hundredfold.
  EXPECT_LT(errors[0], 1e-1 * std::fabs(derivative));
  for (int e = 1; e < 3; ++e) {
    double slope = std::log10(errors[e - 1] / errors[e]);
    EXPECT_GT(slope, 1.8) << "eps " << radii[e] << ": error ratio 10^" << slope;
    EXPECT_LT(slope, 2.2) << "eps " << radii[e] << ": error ratio 10^" << slope;
  }
}

double variance(const std::vector<double> &x) {
  double mean = 0.0, var = 0.0;
  for (double v : x)
    mean += v / double(x.size());
  for (double v : x)
    var += (v - mean) * (v - mean) / double(x.size() - 1);
  return var;
}

TEST(ZerothOrder, CommonRandomNumbersKeepTheVarianceBounded) {
  // One fixed direction (param step 0), 64 spatial draws. With common random
  // numbers both sides see the same points and tangents; "independent" pairs
  // the + side of draw k with the - side of draw k + 1000.
  const double radii[3] = {1e-1, 1e-2, 1e-3};
  const int64_t draws = 64;
  double common[3], independent[3];
  for (int e = 0; e < 3; ++e) {
    auto program = stde::test::compileSmall(problem(radii[e], 2, 1));
    ASSERT_TRUE(program);
    std::vector<double> params, state(program->stateSize(), 0.0);
    program->initialize(1, params);
    std::vector<double> crn, ind;
    for (int64_t k = 0; k < draws; ++k) {
      double a[2], b[2];
      ASSERT_TRUE(stde::ZerothOrderProbe(*program).pairLosses(params.data(), state.data(), kSeed, k, 0, 0, a).ok());
      ASSERT_TRUE(stde::ZerothOrderProbe(*program).pairLosses(params.data(), state.data(), kSeed, k + 1000, 0, 0, b).ok());
      crn.push_back((a[0] - a[1]) / (2.0 * radii[e]));
      ind.push_back((a[0] - b[1]) / (2.0 * radii[e]));
    }
    common[e] = variance(crn);
    independent[e] = variance(ind);
    std::printf("eps %.0e: Var(c) common random numbers %.4e, independent draws %.4e\n", radii[e],
                common[e], independent[e]);
  }
  // Common: bounded (the variance of a stochastic directional derivative).
  EXPECT_LT(common[2], 2.0 * common[0]);
  EXPECT_GT(common[2], 0.5 * common[0]);
  // Independent: grows like 1/eps^2 (10^2 per decade), far above common.
  for (int e = 1; e < 3; ++e)
    EXPECT_GT(independent[e] / independent[e - 1], 30.0);
  EXPECT_GT(independent[2], 1e3 * common[2]);
}

/// The problem of `p` in f32 (the precision the pairing must hold bitwise in).
std::shared_ptr<const stde::TrainingProgram> compileF32(const SmallProblem &p) {
  stde::ProblemOptions o;
  o.name = p.name;
  o.dim = p.dim;
  o.width = p.width;
  o.depth = 3;
  o.points = p.points;
  o.dtype = stde::DType::f32;
  o.estimator = p.estimator;
  auto text = stde::problemModule(o);
  EXPECT_TRUE(text.ok()) << text.error();
  if (!text)
    return nullptr;
  static stde::Compiler compiler;
  auto program = compiler.compileTraining(*text, p.spec);
  EXPECT_TRUE(program.ok()) << program.error();
  return program ? *program : nullptr;
}

TEST(ZerothOrder, BothSidesOfAPairAreOneComputationBitForBit) {
  // Both sides of every pair go through each layer as row blocks of one
  // stacked product (stde-merge-weight-products). At eps = 1e-30 the
  // perturbation is below f32's resolution of every pre-activation, so the
  // two sides compute the same numbers: their losses must be equal bit for
  // bit (a block whose rows were reduced in another order would differ in
  // the last bits). Unstacked, the losses agree to f32 rounding.
  SmallProblem p = problem(1e-30, 4, 3);
  p.dim = 32;
  p.points = 24;
  p.width = 48;
  std::vector<float> losses[2];
  for (bool stacked : {true, false}) {
    p.spec.rewrites.stackProducts = stacked;
    auto program = compileF32(p);
    ASSERT_TRUE(program);
    std::vector<float> params, state(program->stateSize(), 0.0f);
    program->initialize(1, params);
    for (int64_t spaceStep : {int64_t(3), int64_t(11)}) {
      double pair[6];
      ASSERT_TRUE(stde::ZerothOrderProbe(*program)
                      .pairLosses(params.data(), state.data(), kSeed, spaceStep, 5, 0, pair)
                      .ok());
      for (int j = 0; j < 3; ++j) {
        float plus = float(pair[2 * j]), minus = float(pair[2 * j + 1]);
        EXPECT_EQ(std::memcmp(&plus, &minus, sizeof(float)), 0)
            << (stacked ? "stacked" : "unstacked") << ", space step " << spaceStep << ", pair "
            << j << ": " << plus << " vs " << minus;
        losses[stacked].push_back(plus);
      }
    }
  }
  ASSERT_EQ(losses[0].size(), losses[1].size());
  for (size_t i = 0; i < losses[0].size(); ++i)
    EXPECT_LT(relDiff(losses[1][i], losses[0][i]), 1e-5) << losses[1][i] << " vs " << losses[0][i];
}

struct UpdateCase {
  double momentum;
  int64_t decaySteps;
};

class ZerothOrderUpdate : public ::testing::TestWithParam<UpdateCase> {};

TEST_P(ZerothOrderUpdate, StepsAndFoldsAreTheFullSpaceUpdate) {
  // Subspace epochs of 2, 3, 5 steps: 7 steps cross two refreshes (folds).
  const UpdateCase &u = GetParam();
  SmallProblem p = problem(1e-2, 2, 2);
  // c P is about sqrt(numParams) times larger than a gradient: small rates.
  p.spec.optimizer = stde::OptimizerKind::sgd;
  p.spec.learningRate = 1e-4;
  p.spec.decaySteps = u.decaySteps;
  p.spec.zo.momentum = u.momentum;
  p.spec.zo.refresh = 2;
  p.spec.zo.refreshGrowth = 1.5;
  auto program = stde::test::compileSmall(p);
  ASSERT_TRUE(program);
  int64_t n = program->numParams(), q = 2;
  std::vector<double> params, m(program->stateSize(), 0.0), v(m), dirs(q * n), losses(2 * q);
  program->initialize(1, params);
  std::vector<double> expected(params), velocity(n, 0.0);
  const int64_t steps = 7;
  for (int64_t t = 0; t < steps; ++t) {
    int64_t epoch = stde::zoEpochOf(p.spec.zo, t);
    // c_j at the effective weights the step will see: at a refresh the step
    // first folds the old subspace's cores into the weights.
    std::vector<double> seenParams(params), seenState(m);
    if (t > 0 && stde::zoEpochOf(p.spec.zo, t - 1) != epoch) {
      ASSERT_TRUE(stde::ZerothOrderProbe(*program).fold(seenParams.data(), seenState.data(), kSeed,
                                  stde::zoEpochOf(p.spec.zo, t - 1)).ok());
      // The weights' momentum lived in the old subspace: it restarts; the
      // biases' momentum carries over.
      for (const stde::LayerShape &l : program->layers())
        std::fill(velocity.begin() + l.offset, velocity.begin() + l.offset + l.in * l.out, 0.0);
    }
    ASSERT_TRUE(stde::ZerothOrderProbe(*program).pairLosses(seenParams.data(), seenState.data(), kSeed, t, t, epoch,
                                      losses.data()).ok());
    ASSERT_TRUE(stde::ZerothOrderProbe(*program).directions(kSeed, t, epoch, dirs.data()).ok());
    double lr = p.spec.learningRate *
                (u.decaySteps > 0 ? std::max(0.0, 1.0 - double(t) / double(u.decaySteps)) : 1.0);
    std::vector<double> g(n, 0.0);
    for (int64_t j = 0; j < q; ++j) {
      double c = (losses[2 * j] - losses[2 * j + 1]) / (2.0 * p.spec.zo.eps);
      for (int64_t i = 0; i < n; ++i)
        g[i] += c * dirs[j * n + i] / double(q);
    }
    for (int64_t i = 0; i < n; ++i) {
      velocity[i] = u.momentum * velocity[i] + g[i];
      expected[i] -= lr * (u.momentum > 0.0 ? velocity[i] : g[i]);
    }
    double stepLoss = 0.0;
    ASSERT_TRUE(program->step(params.data(), m.data(), v.data(), kSeed, t, &stepLoss).ok());
    double mean = (losses[0] + losses[1] + losses[2] + losses[3]) / 4.0;
    EXPECT_LT(relDiff(stepLoss, mean), 1e-12);
  }
  ASSERT_TRUE(stde::ZerothOrderProbe(*program).fold(params.data(), m.data(), kSeed, stde::zoEpochOf(p.spec.zo, steps - 1)).ok());
  EXPECT_LT(stde::test::maxAbsDifference(params, expected) / stde::test::maxAbs(expected), 1e-12);
  // The update did something measurable.
  std::vector<double> initial;
  program->initialize(1, initial);
  EXPECT_GT(stde::test::maxAbsDifference(params, initial), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Optimizers, ZerothOrderUpdate,
                         ::testing::Values(UpdateCase{0.0, 0}, UpdateCase{0.0, 5},
                                           UpdateCase{0.9, 0}));

/// The unit directions E_c = A e_k e_l^T B^T of the subspace of `epoch`, one
/// per core coordinate c (numParams values each), read back by folding a
/// unit core into zero weights; and the step-size factor of each (its
/// layer's scale sqrt(in out) / r).
struct Subspace {
  std::vector<std::vector<double>> directions;
  std::vector<double> scales;
};
Subspace subspaceOf(const stde::TrainingProgram &program, int64_t cores, int64_t epoch) {
  Subspace s;
  int64_t n = program.numParams();
  std::vector<int64_t> perLayer(program.layers().size(), 0);
  std::vector<int64_t> layerOf;
  for (int64_t c = 0; c < cores; ++c) {
    std::vector<double> params(n, 0.0), state(program.stateSize(), 0.0);
    state[c] = 1.0;
    EXPECT_TRUE(stde::ZerothOrderProbe(program).fold(params.data(), state.data(), kSeed, epoch).ok());
    int64_t owner = -1;
    for (size_t l = 0; l < program.layers().size(); ++l) {
      const stde::LayerShape &shape = program.layers()[l];
      for (int64_t i = shape.offset; i < shape.offset + shape.in * shape.out; ++i)
        if (params[i] != 0.0)
          owner = int64_t(l);
    }
    EXPECT_GE(owner, 0) << "core coordinate " << c << " folds into no layer";
    ++perLayer[std::max<int64_t>(owner, 0)];
    layerOf.push_back(std::max<int64_t>(owner, 0));
    s.directions.push_back(params);
  }
  for (int64_t l : layerOf) {
    const stde::LayerShape &shape = program.layers()[l];
    double rank = std::sqrt(double(perLayer[l]));
    s.scales.push_back(std::sqrt(double(shape.in) * double(shape.out)) / rank);
  }
  return s;
}

TEST(ZerothOrder, AdamStepsAndFoldsAreAdamOnTheSubspaceCoordinates) {
  // Subspace epochs of 2, 3, 5 steps: 7 steps cross two refreshes (folds).
  SmallProblem p = problem(1e-2, 2, 2);
  ASSERT_EQ(p.spec.optimizer, stde::OptimizerKind::adam); // the default
  p.spec.learningRate = 1e-3;
  p.spec.decaySteps = 9;
  p.spec.zo.refresh = 2;
  p.spec.zo.refreshGrowth = 1.5;
  auto program = stde::test::compileSmall(p);
  ASSERT_TRUE(program);
  int64_t n = program->numParams(), q = 2, biases = 0;
  for (const stde::LayerShape &l : program->layers())
    biases += l.out;
  // State: cores S, their m and v, the biases' m and v.
  ASSERT_EQ((program->stateSize() - 2 * biases) % 3, 0);
  int64_t cores = (program->stateSize() - 2 * biases) / 3;
  std::vector<double> params, state(program->stateSize(), 0.0), unused(state), dirs(q * n),
      losses(2 * q);
  program->initialize(1, params);
  std::vector<double> expected(params);
  std::vector<double> mS(cores, 0.0), vS(cores, 0.0), mb(biases, 0.0), vb(biases, 0.0);
  const double b1 = p.spec.beta1, b2 = p.spec.beta2, adamEps = p.spec.epsilon;
  const int64_t steps = 7;
  Subspace sub = subspaceOf(*program, cores, 0);
  for (int64_t t = 0; t < steps; ++t) {
    int64_t epoch = stde::zoEpochOf(p.spec.zo, t);
    std::vector<double> seenParams(params), seenState(state);
    if (t > 0 && stde::zoEpochOf(p.spec.zo, t - 1) != epoch) {
      ASSERT_TRUE(stde::ZerothOrderProbe(*program)
                      .fold(seenParams.data(), seenState.data(), kSeed,
                            stde::zoEpochOf(p.spec.zo, t - 1))
                      .ok());
      // The first moments lived in the old subspace: they restart; the
      // second moments and the biases' moments carry over.
      std::fill(mS.begin(), mS.end(), 0.0);
      sub = subspaceOf(*program, cores, epoch);
    }
    ASSERT_TRUE(stde::ZerothOrderProbe(*program)
                    .pairLosses(seenParams.data(), seenState.data(), kSeed, t, t, epoch,
                                losses.data())
                    .ok());
    ASSERT_TRUE(stde::ZerothOrderProbe(*program).directions(kSeed, t, epoch, dirs.data()).ok());
    std::vector<double> g(n, 0.0);
    for (int64_t j = 0; j < q; ++j) {
      double c = (losses[2 * j] - losses[2 * j + 1]) / (2.0 * p.spec.zo.eps);
      for (int64_t i = 0; i < n; ++i)
        g[i] += c * dirs[j * n + i] / double(q);
    }
    double lr = p.spec.learningRate * std::max(0.0, 1.0 - double(t) / double(p.spec.decaySteps));
    double c1 = 1.0 - std::pow(b1, double(t + 1)), c2 = 1.0 - std::pow(b2, double(t + 1));
    auto adam = [&](double grad, double &m, double &v) {
      m = b1 * m + (1.0 - b1) * grad;
      v = b2 * v + (1.0 - b2) * grad * grad;
      return (m / c1) / (std::sqrt(v / c2) + adamEps);
    };
    for (int64_t c = 0; c < cores; ++c) {
      double coordinate = 0.0; // <g, E_c>
      for (int64_t i = 0; i < n; ++i)
        coordinate += g[i] * sub.directions[c][i];
      double step = lr * sub.scales[c] * adam(coordinate, mS[c], vS[c]);
      for (int64_t i = 0; i < n; ++i)
        expected[i] -= step * sub.directions[c][i];
    }
    int64_t k = 0;
    for (const stde::LayerShape &l : program->layers())
      for (int64_t o = 0; o < l.out; ++o, ++k) {
        int64_t i = l.offset + l.in * l.out + o;
        expected[i] -= lr * adam(g[i], mb[k], vb[k]);
      }
    ASSERT_TRUE(program->step(params.data(), state.data(), unused.data(), kSeed, t, nullptr).ok());
  }
  ASSERT_TRUE(stde::ZerothOrderProbe(*program)
                  .fold(params.data(), state.data(), kSeed, stde::zoEpochOf(p.spec.zo, steps - 1))
                  .ok());
  EXPECT_LT(stde::test::maxAbsDifference(params, expected) / stde::test::maxAbs(expected), 1e-12);
  std::vector<double> initial;
  program->initialize(1, initial);
  // Adam moves every coordinate by about lr per step: far above rounding.
  EXPECT_GT(stde::test::maxAbsDifference(params, initial), 1e-4);
}

TEST(ZerothOrder, DefaultAdamRateLowersTheLossAtSmallAndLargeDimension) {
  // The same settings (the default rate) at d = 100 and d = 10^5: the loss on
  // one fixed set of points falls (a random walk would raise it: the loss
  // curves up around the start). The exact solution grows like sqrt(d) and
  // the loss like d^3, and an Adam-type step moves each weight by about lr,
  // so at 10^5 100 steps only start the descent, for STDE's Adam alike
  // (300 steps at width 16: rel. L2 0.997 -> 0.982 STDE, 0.998 -> 0.985 ZO).
  for (int64_t dim : {int64_t(100), int64_t(100000)}) {
    SmallProblem p;
    p.name = "allen-cahn-two-body";
    p.estimator = stde::Estimator::sparse(4);
    p.dim = dim;
    p.points = 16;
    p.width = 16;
    p.spec.method = stde::TrainingMethod::zo;
    p.spec.learningRate = stde::kZoAdamLearningRate;
    const int64_t steps = 100, fixedPoints = 1000000;
    p.spec.decaySteps = steps;
    auto program = stde::test::compileSmall(p);
    ASSERT_TRUE(program);
    std::vector<double> params, state(program->stateSize(), 0.0), unused(state);
    program->initialize(1, params);
    double before = 0.0, after = 0.0;
    ASSERT_TRUE(program->loss(params.data(), kSeed, fixedPoints, &before).ok());
    for (int64_t t = 0; t < steps; ++t) {
      double loss = 0.0;
      ASSERT_TRUE(program->step(params.data(), state.data(), unused.data(), kSeed, t, &loss).ok());
      ASSERT_TRUE(std::isfinite(loss));
    }
    ASSERT_TRUE(stde::ZerothOrderProbe(*program)
                    .fold(params.data(), state.data(), kSeed, stde::zoEpochOf(p.spec.zo, steps - 1))
                    .ok());
    ASSERT_TRUE(program->loss(params.data(), kSeed, fixedPoints, &after).ok());
    std::printf("d = %lld: loss on fixed points %.4e before, %.4e after %lld steps\n",
                (long long)dim, before, after, (long long)steps);
    EXPECT_LT(after, (dim == 100 ? 0.95 : 0.999) * before) << "d = " << dim;
  }
}

TEST(ZerothOrder, RefreshScheduleGrows) {
  stde::ZoSpec z;
  z.refresh = 10;
  z.refreshGrowth = 2.0;
  EXPECT_EQ(stde::zoEpochOf(z, 0), 0);
  EXPECT_EQ(stde::zoEpochOf(z, 9), 0);
  EXPECT_EQ(stde::zoEpochOf(z, 10), 1);
  EXPECT_EQ(stde::zoEpochOf(z, 29), 1);
  EXPECT_EQ(stde::zoEpochOf(z, 30), 2);
  EXPECT_EQ(stde::zoEpochOf(z, 69), 2);
  EXPECT_EQ(stde::zoEpochOf(z, 70), 3);
}

TEST(ZerothOrder, BadSettingsAndMisuseSayWhatToChange) {
  SmallProblem p = problem(1e-2);
  p.spec.zo.rank = 0;
  stde::Compiler compiler;
  auto text = stde::problemModule({});
  ASSERT_TRUE(text.ok());
  auto bad = compiler.compileTraining(*text, p.spec);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("rank must be in [1, 32]"), std::string::npos) << bad.error();
  p.spec.zo.rank = 2;
  p.spec.zo.eps = -1.0;
  bad = compiler.compileTraining(*text, p.spec);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("eps must be positive"), std::string::npos) << bad.error();

  auto program = stde::test::compileSmall(problem(1e-2));
  ASSERT_TRUE(program);
  std::vector<double> params, grad(program->numParams());
  program->initialize(1, params);
  double loss;
  stde::Status s = program->lossAndGradient(params.data(), 1, 0, &loss, grad.data());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("computes no gradient"), std::string::npos) << s.message();

  SmallProblem sp = problem(1e-2);
  sp.spec.method = stde::TrainingMethod::stde;
  auto stdeProgram = stde::test::compileSmall(sp);
  ASSERT_TRUE(stdeProgram);
  std::vector<double> dirs(stdeProgram->numParams());
  s = stde::ZerothOrderProbe(*stdeProgram).directions(1, 0, 0, dirs.data());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no zeroth-order entry points"), std::string::npos);
}

} // namespace
