//===- WeightSharingTest.cpp - a first layer shared across input blocks ---===//
//
// A network whose first layer shares one O x B weight block across the
// d / B blocks of its input (ProblemOptions::shareBlock) is the network
// whose first layer is that block repeated, [W W ... W]. In f64, through
// the public API: the loss and the gradient of the shared program equal
// those of the unshared program at the repeated parameters, the shared
// gradient of W being the sum of the unshared gradient's blocks. Every
// estimator (one-hot tangents fold to one-hot ones modulo B) and several
// block sizes.
//
//===----------------------------------------------------------------------===//
#include "SmallProblems.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace stde;

namespace {

struct SharingCase {
  const char *problem;
  int64_t dim, block;
  Estimator estimator;
};

class WeightSharing : public ::testing::TestWithParam<SharingCase> {};

/// The unshared parameters: the first layer's W (O x B) repeated along its
/// input axis to O x d, every other parameter as it is.
std::vector<double> repeatFirstLayer(const TrainingProgram &shared, const TrainingProgram &full,
                                     const std::vector<double> &theta) {
  const LayerShape &s = shared.layers().front(), &f = full.layers().front();
  std::vector<double> out(size_t(full.numParams()));
  for (int64_t o = 0; o < f.out; ++o)
    for (int64_t i = 0; i < f.in; ++i)
      out[size_t(f.offset + o * f.in + i)] = theta[size_t(s.offset + o * s.in + i % s.in)];
  int64_t sharedRest = s.offset + s.out * s.in, fullRest = f.offset + f.out * f.in;
  for (int64_t k = 0; k < shared.numParams() - sharedRest; ++k)
    out[size_t(fullRest + k)] = theta[size_t(sharedRest + k)];
  return out;
}

TEST_P(WeightSharing, LossAndGradientAreTheRepeatedBlocks) {
  SharingCase c = GetParam();
  auto shared = test::compileSmall(
      {c.problem, c.dim, 4, c.estimator, "tanh", {}, 6, /*shareBlock=*/c.block});
  auto full = test::compileSmall({c.problem, c.dim, 4, c.estimator, "tanh", {}, 6});
  ASSERT_TRUE(shared && full);
  const LayerShape &s = shared->layers().front(), &f = full->layers().front();
  ASSERT_EQ(s.in, c.block);
  ASSERT_EQ(f.in, c.dim);
  ASSERT_EQ(full->numParams() - shared->numParams(), f.out * (c.dim - c.block));

  std::vector<double> theta;
  shared->initialize(3, theta);
  std::vector<double> fullTheta = repeatFirstLayer(*shared, *full, theta);
  for (int64_t step : {0, 5}) {
    double sharedLoss = 0, fullLoss = 0;
    std::vector<double> sharedGrad(theta.size()), fullGrad(fullTheta.size());
    ASSERT_TRUE(shared->lossAndGradient(theta.data(), 11, step, &sharedLoss, sharedGrad.data()).ok());
    ASSERT_TRUE(full->lossAndGradient(fullTheta.data(), 11, step, &fullLoss, fullGrad.data()).ok());
    EXPECT_NEAR(sharedLoss, fullLoss, 1e-12 * std::abs(fullLoss)) << "step " << step;
    ASSERT_GT(std::abs(fullLoss), 0.0);

    // d L / d W_shared[o, j] = sum_k d L / d W_full[o, k B + j].
    std::vector<double> expected(theta.size(), 0.0);
    for (int64_t o = 0; o < f.out; ++o)
      for (int64_t i = 0; i < f.in; ++i)
        expected[size_t(s.offset + o * s.in + i % s.in)] += fullGrad[size_t(f.offset + o * f.in + i)];
    int64_t sharedRest = s.offset + s.out * s.in, fullRest = f.offset + f.out * f.in;
    for (int64_t k = 0; k < shared->numParams() - sharedRest; ++k)
      expected[size_t(sharedRest + k)] = fullGrad[size_t(fullRest + k)];
    double scale = 0;
    for (double g : expected)
      scale = std::max(scale, std::abs(g));
    ASSERT_GT(scale, 0.0);
    for (size_t i = 0; i < theta.size(); ++i)
      EXPECT_NEAR(sharedGrad[i], expected[i], 1e-12 * scale) << "parameter " << i << ", step " << step;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Problems, WeightSharing,
    ::testing::Values(SharingCase{"allen-cahn-two-body", 6, 2, Estimator::sparse(3)},
                      SharingCase{"allen-cahn-two-body", 6, 3, Estimator::exact()},
                      SharingCase{"poisson-two-body", 8, 4, Estimator::dense(2)},
                      SharingCase{"sine-gordon-three-body", 6, 1, Estimator::sparse(2)}));

TEST(WeightSharingOptions, ABlockThatDoesNotDivideTheInputsIsRefused) {
  ProblemOptions o;
  o.dim = 10;
  o.shareBlock = 4;
  Status valid = problemOptionsValid(o);
  ASSERT_FALSE(valid.ok());
  EXPECT_NE(valid.message().find("--share-block 4 must divide the network's 10 inputs"),
            std::string::npos)
      << valid.message();
  o.shareBlock = 5;
  EXPECT_TRUE(problemOptionsValid(o).ok());
  // The memory estimate counts the shared layer: 128 x 5 weights, not 128 x 10^7.
  o.dim = 10000000;
  o.shareBlock = 1000;
  auto sizes = problemSizes(o);
  ASSERT_TRUE(sizes.ok()) << sizes.error();
  EXPECT_EQ(sizes->firstLayerInputs, 1000);
  EXPECT_EQ(sizes->numParams, 1000 * 128 + 128 + 2 * (128 * 128 + 128) + 128 + 1);
}

} // namespace
