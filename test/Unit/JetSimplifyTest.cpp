//===- JetSimplifyTest.cpp - every rewrite leaves the numbers alone -------===//
//
// The loss and its gradient (f64) of a compiled step with all rewrites on
// against the same step with each rewrite turned off in turn, for the
// estimators the rewrites meet: sparse one-hot Laplacians (collapse, merge,
// one-hot gathers), dense Rademacher and Gaussian probes, the exact
// Laplacian, the space-time heat problem and a time-dependent problem whose
// network reads (x, C t), where the one-hot tangents of the space coordinates
// pass the scaling x * (1, ..., 1, C) unchanged. Same seed and step, so the same random numbers
// on both sides: the results must agree to rounding (1e-12 relative).
//
//===----------------------------------------------------------------------===//
#include "Compare.h"
#include "SmallProblems.h"

#include <algorithm>
#include <cmath>

namespace {

using stde::Estimator;
using stde::TangentDistribution;
using stde::test::SmallProblem;

struct Case {
  std::string problem;
  Estimator estimator;
  int64_t dim, width = 6;
  double timeScale = 1.0;
  /// The rewrites turned off in turn; the time-scaled cases take only the
  /// two their structure meets (the others are covered above: test time).
  std::vector<const char *> rewrites = {"collapse", "merge", "one-hot", "zero", "runtime-matmul"};
};

std::vector<Case> cases() {
  // Width 40: the hidden products (8 x 40 x 40 and up) are large enough for
  // convert-linalg-to-runtime, so "runtime-matmul" compares OpenBLAS with loops.
  return {{"allen-cahn-two-body", Estimator::sparse(3), 7, 40},
          {"sine-gordon-three-body", Estimator::sparse(4), 6},
          {"poisson-two-body", Estimator::dense(3), 5},
          {"allen-cahn-two-body", Estimator::dense(2, TangentDistribution::gaussian), 5},
          {"allen-cahn-two-body", Estimator::exact(), 4},
          {"semilinear-heat", Estimator::sparse(2), 5},
          {"allen-cahn-time", Estimator::sparse(2), 5, 6, 7.0, {"collapse", "one-hot"}},
          {"sine-gordon-time", Estimator::exact(), 4, 6, 7.0, {"collapse", "one-hot"}}};
}

struct Result {
  double loss;
  std::vector<double> grad;
};

Result evaluate(const Case &c, const stde::Rewrites &rewrites, std::vector<double> &params) {
  SmallProblem p;
  p.name = c.problem;
  p.estimator = c.estimator;
  p.dim = c.dim;
  p.points = 8;
  p.width = c.width;
  p.timeScale = c.timeScale;
  p.spec.rewrites = rewrites;
  auto program = stde::test::compileSmall(p);
  if (!program)
    return {};
  if (params.empty())
    program->initialize(3, params);
  Result r{0.0, std::vector<double>(program->numParams())};
  stde::Status status = program->lossAndGradient(params.data(), 11, 2, &r.loss, r.grad.data());
  EXPECT_TRUE(status.ok()) << status.message();
  return r;
}

/// The loss's relative difference and the gradients' (relative to max |a.grad|).
double relativeDifference(const Result &a, const Result &b) {
  return stde::test::worseOf(stde::test::relativeDifference(b.loss, a.loss),
                             stde::test::maxRelativeDifference(a.grad, b.grad));
}

TEST(JetSimplifyComparison, ANaNIsADifference) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Result a{1.0, {1.0, 2.0}};
  EXPECT_LT(relativeDifference(a, a), 1e-300);
  EXPECT_FALSE(relativeDifference(a, Result{nan, {1.0, 2.0}}) < 1e300);
  EXPECT_FALSE(relativeDifference(a, Result{1.0, {1.0, nan}}) < 1e300);
  EXPECT_FALSE(relativeDifference(Result{1.0, {nan, 2.0}}, a) < 1e300);
}

class EachRewriteOff : public ::testing::TestWithParam<Case> {};

TEST_P(EachRewriteOff, SameLossAndGradient) {
  const Case &c = GetParam();
  std::vector<double> params;
  Result all = evaluate(c, stde::Rewrites{}, params);
  ASSERT_FALSE(all.grad.empty());
  ASSERT_TRUE(std::isfinite(all.loss));
  for (const char *name : c.rewrites) {
    auto rewrites = stde::rewritesWithout(name);
    ASSERT_TRUE(rewrites.ok());
    Result off = evaluate(c, *rewrites, params);
    ASSERT_EQ(off.grad.size(), all.grad.size());
    double diff = relativeDifference(all, off);
    std::printf("  %-24s %-52s without %-15s rel. diff %.2e\n", c.problem.c_str(),
                c.estimator.str().c_str(), name, diff);
    EXPECT_LE(diff, 1e-12) << c.problem << " " << c.estimator.str() << " without " << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Problems, EachRewriteOff, ::testing::ValuesIn(cases()));

TEST(Rewrites, NamesAreChecked) {
  auto all = stde::rewritesWithout("");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->collapse && all->merge && all->oneHot && all->zero && all->runtimeMatmul);
  auto two = stde::rewritesWithout("collapse,one-hot");
  ASSERT_TRUE(two.ok());
  EXPECT_FALSE(two->collapse);
  EXPECT_FALSE(two->oneHot);
  EXPECT_TRUE(two->merge && two->zero && two->runtimeMatmul);
  auto bad = stde::rewritesWithout("collapse,fusion");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("unknown rewrite 'fusion'"), std::string::npos) << bad.error();
}

} // namespace
