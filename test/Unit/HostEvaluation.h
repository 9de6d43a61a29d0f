//===- HostEvaluation.h - a training program's network on the host --*- C++ -*-===//
//
// For the tests that recompute a compiled loss independently: the program's
// MLP evaluated in double precision on the host, derivatives by central
// differences, and the step's points as the program draws them.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TEST_UNIT_HOSTEVALUATION_H
#define STDE_TEST_UNIT_HOSTEVALUATION_H

#include "HostNetwork.h"
#include "stde/stde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

namespace stde::test {

/// The MLP of a program's layers (tanh between dense layers), on the host.
inline double hostMLP(const TrainingProgram &program, const std::vector<double> &theta,
                      const Point &x) {
  return mlp(program.layers(), theta, x);
}

inline std::vector<Point> rows(const std::vector<double> &flat, int64_t n, int64_t d) {
  std::vector<Point> out(n);
  for (int64_t i = 0; i < n; ++i)
    out[i].assign(flat.begin() + i * d, flat.begin() + (i + 1) * d);
  return out;
}

/// d^k f / dx_j^k at x by central differences (k = 1, 2, 3).
inline double partial(const std::function<double(const Point &)> &f, Point x, size_t j, int k, double h) {
  auto at = [&](double offset) {
    Point y = x;
    y[j] += offset * h;
    return f(y);
  };
  switch (k) {
  case 1: return (at(1) - at(-1)) / (2 * h);
  case 2: return (at(1) - 2 * at(0) + at(-1)) / (h * h);
  default: return (at(2) - 2 * at(1) + 2 * at(-1) - at(-2)) / (2 * h * h * h);
  }
}

inline double norm2(const Point &x, size_t count) {
  double s = 0.0;
  for (size_t i = 0; i < count; ++i)
    s += x[i] * x[i];
  return s;
}

struct Sampled {
  std::vector<Point> interior, boundary;
};

inline Sampled sample(const TrainingProgram &program, uint64_t seed, int64_t step) {
  std::vector<double> xs(program.points() * program.dim()),
      xb(program.boundaryPoints() * program.dim());
  EXPECT_TRUE(program.samplePoints(seed, step, xs.data(), xb.empty() ? nullptr : xb.data()).ok());
  return {rows(xs, program.points(), program.dim()),
          rows(xb, program.boundaryPoints(), program.dim())};
}

} // namespace stde::test

#endif // STDE_TEST_UNIT_HOSTEVALUATION_H
