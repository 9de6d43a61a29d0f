//===- DataParallelTest.cpp - a rank's share against the one-process step ===//
//
// Data parallel without a launcher: the programs of rank 0 and rank 1 of 2
// are compiled in this one process, whose MPI is a singleton (a
// communicator of one rank), so the compiled step's MPI_Allreduce hands
// back the rank's own partial sums. Oracle: the one-process program of the
// same problem, seed and step, in f64:
//  - the ranks' points are the one-process batch's rows, bit for bit (the
//    samplers draw slices of the one-process draw);
//  - the ranks' losses and gradients add up to the one-process loss and
//    gradient (to reduction order), with per-point dense tangents too.
//
//===----------------------------------------------------------------------===//
#include "SmallProblems.h"
#include "runtime/Mpi.h"

#include "Compare.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace stde;

namespace {

struct ShareCase {
  const char *problem;
  Estimator estimator;
};

class RankShares : public ::testing::TestWithParam<ShareCase> {};

TEST_P(RankShares, AddUpToTheOneProcessStep) {
  std::string error;
  ASSERT_TRUE(runtime::Mpi::world(&error)) << error;
  ShareCase c = GetParam();
  const int64_t ranks = 2, points = 4, seed = 7, step = 3;
  auto one = test::compileSmall({c.problem, 5, points, c.estimator});
  ASSERT_TRUE(one);
  std::vector<double> params;
  one->initialize(seed, params);
  size_t dim = size_t(one->dim()), n = size_t(one->numParams());
  std::vector<double> allPoints(points * dim), grad(n), gradSum(n, 0.0), shareGrad(n);
  double loss = 0.0, lossSum = 0.0;
  ASSERT_TRUE(one->samplePoints(seed, step, allPoints.data(), nullptr).ok());
  ASSERT_TRUE(one->lossAndGradient(params.data(), seed, step, &loss, grad.data()).ok());
  for (int64_t rank = 0; rank < ranks; ++rank) {
    TrainingSpec spec;
    spec.parallel = {rank, ranks};
    auto share = test::compileSmall({c.problem, 5, points / ranks, c.estimator, "tanh", spec});
    ASSERT_TRUE(share);
    std::vector<double> mine(size_t(points / ranks) * dim);
    ASSERT_TRUE(share->samplePoints(seed, step, mine.data(), nullptr).ok());
    for (size_t i = 0; i < mine.size(); ++i)
      ASSERT_EQ(mine[i], allPoints[size_t(rank) * mine.size() + i])
          << "rank " << rank << ", value " << i;
    double shareLoss = 0.0;
    ASSERT_TRUE(share->lossAndGradient(params.data(), seed, step, &shareLoss, shareGrad.data()).ok());
    lossSum += shareLoss;
    for (size_t i = 0; i < n; ++i)
      gradSum[i] += shareGrad[i];
  }
  EXPECT_NEAR(lossSum, loss, 1e-12 * std::fabs(loss));
  double scale = 0.0, worst = 0.0;
  for (size_t i = 0; i < n; ++i) {
    scale = std::max(scale, std::fabs(grad[i]));
    worst = std::max(worst, std::fabs(grad[i] - gradSum[i]));
  }
  EXPECT_LE(worst, 1e-12 * scale);
}

INSTANTIATE_TEST_SUITE_P(
    SparseAndDenseTangents, RankShares,
    ::testing::Values(ShareCase{"allen-cahn-two-body", Estimator::sparse(2)},
                      ShareCase{"poisson-two-body", Estimator::dense(3)}));

} // namespace
