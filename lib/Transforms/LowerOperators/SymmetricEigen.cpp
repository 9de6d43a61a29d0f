//===- SymmetricEigen.cpp - eigendecomposition by cyclic Jacobi -----------===//
//
// The dense estimator of a general second-order operator splits its
// coefficient matrix C = M+ M+^T - M- M-^T from C's eigendecomposition on
// the few coordinates it involves. Jacobi rotations: simple, accurate to
// rounding for symmetric matrices, cubic per sweep in n (n is small here:
// kMaxMixedCoordinates). Tested in test/Unit/SymmetricEigenTest.cpp.
//
//===----------------------------------------------------------------------===//
#include "SymmetricEigen.h"

#include <cmath>

void stde::lowering::symmetricEigen(std::vector<double> a, int64_t n,
                                    std::vector<double> &values,
                                    std::vector<std::vector<double>> &vectors) {
  std::vector<double> v(n * n, 0.0);
  for (int64_t i = 0; i < n; ++i)
    v[i * n + i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (int64_t p = 0; p < n; ++p)
      for (int64_t q = p + 1; q < n; ++q)
        off += a[p * n + q] * a[p * n + q];
    if (off < 1e-30)
      break;
    for (int64_t p = 0; p < n; ++p)
      for (int64_t q = p + 1; q < n; ++q) {
        double apq = a[p * n + q];
        if (std::abs(apq) < 1e-300)
          continue;
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int64_t k = 0; k < n; ++k) { // A <- A J (columns p, q)
          double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (int64_t k = 0; k < n; ++k) { // A <- J^T A (rows p, q)
          double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (int64_t k = 0; k < n; ++k) {
          double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  values.assign(n, 0.0);
  vectors.assign(n, std::vector<double>(n, 0.0));
  for (int64_t i = 0; i < n; ++i) {
    values[i] = a[i * n + i];
    for (int64_t k = 0; k < n; ++k)
      vectors[i][k] = v[k * n + i];
  }
}
