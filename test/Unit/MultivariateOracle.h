//===- MultivariateOracle.h - every partial derivative of a small MLP -----===//
//
// The oracle of the operator tests, sharing nothing with jets or the
// planner: values are multivariate Taylor polynomials in (h_0, ..., h_{D-1})
// around a point, truncated at total degree K; products multiply them,
// elementwise functions compose phi(a + d) = sum_n phi^(n)(a)/n! d^n.
// D^alpha u = alpha! [h^alpha]. Double precision.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TEST_UNIT_MULTIVARIATEORACLE_H
#define STDE_TEST_UNIT_MULTIVARIATEORACLE_H

#include "TaylorOracle.h"

#include <map>

namespace oracle {

class Multivariate {
public:
  Multivariate(int dim, int degree) : dim(dim), degree(degree) {
    std::vector<int> e(dim, 0);
    enumerate(e, 0, degree);
    for (size_t i = 0; i < monomials.size(); ++i)
      index[monomials[i]] = i;
  }

  using Poly = std::vector<double>;
  size_t size() const { return monomials.size(); }

  Poly constant(double c) const {
    Poly p(size(), 0.0);
    p[index.at(std::vector<int>(dim, 0))] = c;
    return p;
  }
  /// x_i + h_i.
  Poly variable(int i, double value) const {
    Poly p = constant(value);
    std::vector<int> e(dim, 0);
    e[i] = 1;
    p[index.at(e)] = 1.0;
    return p;
  }
  Poly mul(const Poly &a, const Poly &b) const {
    Poly c(size(), 0.0);
    for (size_t i = 0; i < size(); ++i) {
      if (a[i] == 0)
        continue;
      for (size_t j = 0; j < size(); ++j) {
        std::vector<int> e = monomials[i];
        int total = 0;
        for (int d = 0; d < dim; ++d)
          total += (e[d] += monomials[j][d]);
        if (total <= degree)
          c[index.at(e)] += a[i] * b[j];
      }
    }
    return c;
  }
  /// phi(p) given phi's derivatives at p's constant term.
  Poly compose(const std::vector<double> &derivs, const Poly &p) const {
    Poly delta = p;
    delta[index.at(std::vector<int>(dim, 0))] = 0;
    Poly result = constant(derivs[0]), power = constant(1.0);
    for (int n = 1; n <= degree; ++n) {
      power = mul(power, delta);
      for (size_t i = 0; i < size(); ++i)
        result[i] += derivs[n] / factorial(n) * power[i];
    }
    return result;
  }
  double value(const Poly &p) const { return p[index.at(std::vector<int>(dim, 0))]; }
  /// D^alpha from the multi-index as a list of coordinates.
  double derivative(const Poly &p, const std::vector<int64_t> &alpha) const {
    std::vector<int> e(dim, 0);
    for (int64_t c : alpha)
      ++e[c];
    double scale = 1;
    for (int x : e)
      scale *= factorial(x);
    return p[index.at(e)] * scale;
  }

private:
  void enumerate(std::vector<int> &e, int d, int left) {
    if (d == dim) {
      monomials.push_back(e);
      return;
    }
    for (int k = 0; k <= left; ++k) {
      e[d] = k;
      enumerate(e, d + 1, left - k);
    }
    e[d] = 0;
  }
  int dim, degree;
  std::vector<std::vector<int>> monomials;
  std::map<std::vector<int>, size_t> index;
};

} // namespace oracle

#endif // STDE_TEST_UNIT_MULTIVARIATEORACLE_H
