//===- PolynomialOracle.h - exact jets of polynomials, independently ------===//
//
// An oracle for the planner that shares nothing with it: a polynomial p is
// composed with the curve g(t) = x + sum_j v_j t^j / j! by truncated
// univariate polynomial arithmetic, and d^k p = k! [t^k] p(g(t)); partial
// derivatives are taken monomial by monomial. Everything is exact.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TEST_POLYNOMIALORACLE_H
#define STDE_TEST_POLYNOMIALORACLE_H

#include "stde/Planner/JetPlanner.h"

#include <random>

namespace stde::test {

using planner::Rational;

struct Monomial {
  Rational coefficient;
  std::vector<int64_t> exponents;
};

struct Polynomial {
  int64_t dim = 0;
  std::vector<Monomial> monomials;

  /// Random integer coefficients, total degree <= degree, every term order
  /// up to `degree` represented.
  static Polynomial random(int64_t dim, int64_t degree, int64_t terms, unsigned seed) {
    std::mt19937 rng(seed);
    Polynomial p;
    p.dim = dim;
    for (int64_t i = 0; i < terms; ++i) {
      std::vector<int64_t> exponents(dim, 0);
      int64_t total = std::uniform_int_distribution<int64_t>(0, degree)(rng);
      for (int64_t j = 0; j < total; ++j)
        ++exponents[std::uniform_int_distribution<int64_t>(0, dim - 1)(rng)];
      int64_t c = std::uniform_int_distribution<int64_t>(-5, 5)(rng);
      p.monomials.push_back({Rational(c == 0 ? 1 : c), exponents});
    }
    return p;
  }

  /// D^alpha p at x.
  Rational derivative(const planner::MultiIndex &alpha,
                      const std::vector<Rational> &x) const {
    std::vector<int64_t> order(dim, 0);
    for (int64_t coordinate : alpha)
      ++order[coordinate];
    Rational sum(0);
    for (const Monomial &m : monomials) {
      Rational term = m.coefficient;
      for (int64_t i = 0; i < dim && term.num != 0; ++i) {
        if (order[i] > m.exponents[i]) {
          term = Rational(0);
          break;
        }
        for (int64_t f = 0; f < order[i]; ++f)
          term = term * Rational(m.exponents[i] - f);
        for (int64_t e = 0; e < m.exponents[i] - order[i]; ++e)
          term = term * x[i];
      }
      sum = sum + term;
    }
    return sum;
  }

  /// d^k p along the jet's curve through x.
  Rational jetCoefficient(const planner::JetDirection &jet, int64_t k,
                          const std::vector<Rational> &x) const {
    using Series = std::vector<Rational>; // truncated at degree k
    auto multiply = [k](const Series &a, const Series &b) {
      Series c(k + 1, Rational(0));
      for (int64_t i = 0; i <= k; ++i)
        for (int64_t j = 0; i + j <= k; ++j)
          c[i + j] = c[i + j] + a[i] * b[j];
      return c;
    };
    std::vector<Series> curve(dim, Series(k + 1, Rational(0)));
    for (int64_t i = 0; i < dim; ++i)
      curve[i][0] = x[i];
    for (const auto &[slot, vector] : jet.slots)
      if (slot <= k)
        for (const auto &[coordinate, entry] : vector)
          curve[coordinate][slot] = curve[coordinate][slot] + entry / planner::factorial(slot);
    Series total(k + 1, Rational(0));
    for (const Monomial &m : monomials) {
      Series product(k + 1, Rational(0));
      product[0] = m.coefficient;
      for (int64_t i = 0; i < dim; ++i)
        for (int64_t e = 0; e < m.exponents[i]; ++e)
          product = multiply(product, curve[i]);
      for (int64_t i = 0; i <= k; ++i)
        total[i] = total[i] + product[i];
    }
    return total[k] * planner::factorial(k);
  }

  /// What a plan computes on p at x.
  Rational apply(const planner::Plan &plan, const std::vector<Rational> &x) const {
    Rational sum(0);
    for (const planner::Extraction &e : plan.extractions)
      sum = sum + e.weight * jetCoefficient(plan.jets[e.jet], e.coefficient, x);
    return sum;
  }

  /// What the operator is on p at x.
  Rational apply(const planner::LinearForm &op, const std::vector<Rational> &x) const {
    Rational sum(0);
    for (const auto &[alpha, coefficient] : op)
      sum = sum + coefficient * derivative(alpha, x);
    return sum;
  }
};

} // namespace stde::test

#endif // STDE_TEST_POLYNOMIALORACLE_H
