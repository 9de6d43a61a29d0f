//===- Compare.h - differences that a NaN cannot hide -----------*- C++ -*-===//
//
// std::max(worst, x) returns `worst` when x is NaN, so a comparison helper
// that folds differences with it reports success on a NaN result. These
// fold NaN through: any NaN makes the difference NaN, and every
// EXPECT_LT / EXPECT_LE on it fails.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TEST_UNIT_COMPARE_H
#define STDE_TEST_UNIT_COMPARE_H

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace stde::test {

/// max(worst, x), NaN when either is NaN.
inline double worseOf(double worst, double x) {
  if (std::isnan(worst) || std::isnan(x))
    return std::numeric_limits<double>::quiet_NaN();
  return std::max(worst, x);
}

/// max_i |a_i - b_i| (NaN when any value is NaN, or the sizes differ).
template <typename A, typename B> double maxAbsDifference(const A &a, const B &b) {
  if (a.size() != b.size())
    return std::numeric_limits<double>::quiet_NaN();
  double worst = 0.0;
  for (size_t i = 0; i < a.size(); ++i)
    worst = worseOf(worst, std::fabs(double(a[i]) - double(b[i])));
  return worst;
}

/// max_i |a_i| (NaN when any value is NaN).
template <typename A> double maxAbs(const A &a) {
  double scale = 0.0;
  for (size_t i = 0; i < a.size(); ++i)
    scale = worseOf(scale, std::fabs(double(a[i])));
  return scale;
}

/// max_i |a_i - b_i| / max(max_i |a_i|, 1e-300).
template <typename A, typename B> double maxRelativeDifference(const A &a, const B &b) {
  return maxAbsDifference(a, b) / worseOf(maxAbs(a), 1e-300);
}

/// |a - b| / max(|b|, 1e-300) of two scalars (NaN when either is).
inline double relativeDifference(double a, double b) {
  return std::fabs(a - b) / worseOf(std::fabs(b), 1e-300);
}

/// A gradient against finite differences: max_i |g_i - fd_i| / (|fd_i| +
/// 1e-3 max|fd|), relative where fd_i is large, absolute near its zeros.
inline double gradientError(const std::vector<double> &grad, const std::vector<double> &fd) {
  if (grad.size() != fd.size())
    return std::numeric_limits<double>::quiet_NaN();
  double scale = maxAbs(fd), worst = 0.0;
  for (size_t i = 0; i < grad.size(); ++i)
    worst = worseOf(worst, std::fabs(grad[i] - fd[i]) / (std::fabs(fd[i]) + 1e-3 * scale));
  return worst;
}

} // namespace stde::test

#endif // STDE_TEST_UNIT_COMPARE_H
