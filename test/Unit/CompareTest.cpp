//===- CompareTest.cpp - the tests' comparison helpers fail on NaN --------===//
#include "Compare.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

using namespace stde::test;

namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();

/// Whether a difference would pass a test's tolerance, however loose.
bool passes(double difference) { return difference < 1e300; }

TEST(Compare, ANaNAnywhereFailsEveryHelper) {
  std::vector<double> good = {1.0, -2.0, 3.0};
  EXPECT_TRUE(passes(maxAbsDifference(good, good)));
  EXPECT_TRUE(passes(maxRelativeDifference(good, good)));
  EXPECT_TRUE(passes(gradientError(good, good)));
  EXPECT_TRUE(passes(relativeDifference(1.0, 1.0)));
  for (size_t i = 0; i < good.size(); ++i) {
    std::vector<double> bad = good;
    bad[i] = nan;
    EXPECT_FALSE(passes(maxAbsDifference(good, bad))) << i;
    EXPECT_FALSE(passes(maxAbsDifference(bad, good))) << i;
    EXPECT_FALSE(passes(maxAbs(bad))) << i;
    EXPECT_FALSE(passes(maxRelativeDifference(good, bad))) << i;
    EXPECT_FALSE(passes(maxRelativeDifference(bad, good))) << i;
    EXPECT_FALSE(passes(gradientError(good, bad))) << i;
    EXPECT_FALSE(passes(gradientError(bad, good))) << i;
  }
  EXPECT_FALSE(passes(relativeDifference(nan, 1.0)));
  EXPECT_FALSE(passes(relativeDifference(1.0, nan)));
  EXPECT_FALSE(passes(worseOf(0.0, nan)));
  EXPECT_FALSE(passes(worseOf(nan, 0.0)));
  // Sizes that differ are no match either.
  EXPECT_FALSE(passes(maxAbsDifference(good, std::vector<double>{1.0})));
}

} // namespace
