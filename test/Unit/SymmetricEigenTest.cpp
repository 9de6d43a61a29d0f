//===- SymmetricEigenTest.cpp - the Jacobi eigensolver of the estimators ---===//
//
// Oracles: A v_i = lambda_i v_i and V^T V = I to rounding for random
// symmetric matrices (f64), the reconstruction A = sum_i lambda_i v_i v_i^T,
// and a matrix with known eigenvalues (diag(3, -1, 0) rotated).
//
//===----------------------------------------------------------------------===//
#include "lib/Transforms/LowerOperators/SymmetricEigen.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace {

using stde::lowering::symmetricEigen;

TEST(SymmetricEigen, DecomposesRandomSymmetricMatrices) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  for (int64_t n : {1, 2, 5, 12}) {
    std::vector<double> a(n * n);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j <= i; ++j)
        a[i * n + j] = a[j * n + i] = normal(rng);
    std::vector<double> values;
    std::vector<std::vector<double>> vectors;
    symmetricEigen(a, n, values, vectors);
    ASSERT_EQ(int64_t(values.size()), n);
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t r = 0; r < n; ++r) {
        double av = 0.0;
        for (int64_t c = 0; c < n; ++c)
          av += a[r * n + c] * vectors[i][c];
        EXPECT_NEAR(av, values[i] * vectors[i][r], 1e-12) << "n " << n << ", pair " << i;
      }
      for (int64_t j = 0; j < n; ++j) {
        double dot = 0.0;
        for (int64_t k = 0; k < n; ++k)
          dot += vectors[i][k] * vectors[j][k];
        EXPECT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-12);
      }
    }
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < n; ++c) {
        double sum = 0.0;
        for (int64_t i = 0; i < n; ++i)
          sum += values[i] * vectors[i][r] * vectors[i][c];
        EXPECT_NEAR(sum, a[r * n + c], 1e-12);
      }
  }
}

TEST(SymmetricEigen, FindsKnownEigenvalues) {
  // Q diag(3, -1, 0) Q^T with Q a rotation about (1, 1, 1).
  const double t = 0.7, c = std::cos(t), s = std::sin(t), w = 1.0 / 3.0;
  const double q[3][3] = {{c + (1 - c) * w, (1 - c) * w - s / std::sqrt(3.0), (1 - c) * w + s / std::sqrt(3.0)},
                          {(1 - c) * w + s / std::sqrt(3.0), c + (1 - c) * w, (1 - c) * w - s / std::sqrt(3.0)},
                          {(1 - c) * w - s / std::sqrt(3.0), (1 - c) * w + s / std::sqrt(3.0), c + (1 - c) * w}};
  const double d[3] = {3.0, -1.0, 0.0};
  std::vector<double> a(9, 0.0);
  for (int r = 0; r < 3; ++r)
    for (int col = 0; col < 3; ++col)
      for (int k = 0; k < 3; ++k)
        a[r * 3 + col] += q[r][k] * d[k] * q[col][k];
  std::vector<double> values;
  std::vector<std::vector<double>> vectors;
  symmetricEigen(a, 3, values, vectors);
  std::sort(values.begin(), values.end());
  EXPECT_NEAR(values[0], -1.0, 1e-13);
  EXPECT_NEAR(values[1], 0.0, 1e-13);
  EXPECT_NEAR(values[2], 3.0, 1e-13);
}

} // namespace
