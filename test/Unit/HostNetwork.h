//===- HostNetwork.h - networks and derivatives on the host ----*- C++ -*-===//
//
// The independent side of the loss tests: an MLP evaluated in double
// precision from a program's parameter layout, and central finite
// differences of any function of the point.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TEST_UNIT_HOSTNETWORK_H
#define STDE_TEST_UNIT_HOSTNETWORK_H

#include "stde/stde.h"

#include <cmath>
#include <functional>
#include <vector>

namespace stde::test {

using Point = std::vector<double>;
using Function = std::function<double(const Point &)>;

/// An MLP (tanh hidden layers, one linear output) from its layer shapes.
inline double mlp(const std::vector<LayerShape> &layers, const std::vector<double> &theta,
                  const Point &x) {
  std::vector<double> a = x;
  for (size_t l = 0; l < layers.size(); ++l) {
    const LayerShape &layer = layers[l];
    std::vector<double> z(layer.out);
    for (int64_t o = 0; o < layer.out; ++o) {
      double sum = theta[layer.offset + layer.in * layer.out + o];
      for (int64_t i = 0; i < layer.in; ++i)
        sum += theta[layer.offset + o * layer.in + i] * a[i];
      z[o] = l + 1 < layers.size() ? std::tanh(sum) : sum;
    }
    a = z;
  }
  return a[0];
}

/// d^2 f / dx_i^2 by central differences.
inline double second(const Function &f, Point x, size_t i, double h = 1e-3) {
  double center = f(x), saved = x[i];
  x[i] = saved + h;
  double plus = f(x);
  x[i] = saved - h;
  double minus = f(x);
  return (plus - 2 * center + minus) / (h * h);
}

/// d^2 f / dx_i dx_j (i != j) by central differences.
inline double mixed(const Function &f, Point x, size_t i, size_t j, double h = 1e-3) {
  auto at = [&](double si, double sj) {
    Point y = x;
    y[i] += si * h;
    y[j] += sj * h;
    return f(y);
  };
  return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
}

/// df / dx_i by central differences.
inline double first(const Function &f, Point x, size_t i, double h = 1e-5) {
  double saved = x[i];
  x[i] = saved + h;
  double plus = f(x);
  x[i] = saved - h;
  return (plus - f(x)) / (2 * h);
}

} // namespace stde::test

#endif // STDE_TEST_UNIT_HOSTNETWORK_H
