//===- Interpolation.cpp - Griewank-Utke-Walther weights, exactly ---------===//
//
// The order-n jet along w = sum_t j_t e_t measures
//   d^n u = sum_{|beta| = n} n!/beta! w^beta D^beta u.
// Over all directions j with |j| = n (as many as multi-indices beta) the
// system sum_j g_j n!/beta! j^beta = [beta == alpha] is square and
// nonsingular (the simplex lattice is unisolvent for degree-n polynomials),
// so D^alpha u = sum_j g_j d^n u(j) exactly. Solved in rationals.
//
//===----------------------------------------------------------------------===//
#include "stde/Planner/JetPlanner.h"

#include <functional>

namespace stde::planner {

/// All j in N^m with |j| = n, in lexicographically decreasing order.
static std::vector<std::vector<int64_t>> simplexLattice(int64_t m, int64_t n) {
  std::vector<std::vector<int64_t>> points;
  std::vector<int64_t> point(m, 0);
  std::function<void(int64_t, int64_t)> fill = [&](int64_t index, int64_t left) {
    if (index == m - 1) {
      point[index] = left;
      points.push_back(point);
      return;
    }
    for (int64_t value = left; value >= 0; --value) {
      point[index] = value;
      fill(index + 1, left - value);
    }
  };
  fill(0, n);
  return points;
}

static Rational power(int64_t base, int64_t exponent) {
  llvm::DynamicAPInt result(1);
  for (int64_t i = 0; i < exponent; ++i)
    result *= llvm::DynamicAPInt(base);
  return Rational(result);
}

/// Solves A g = b by Gauss-Jordan elimination in exact arithmetic.
static std::vector<Rational> solve(std::vector<std::vector<Rational>> a,
                                   std::vector<Rational> b) {
  size_t n = b.size();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    while (pivot < n && a[pivot][col].num == 0)
      ++pivot;
    if (pivot == n)
      return {}; // singular: cannot happen for the simplex lattice
    std::swap(a[pivot], a[col]);
    std::swap(b[pivot], b[col]);
    for (size_t row = 0; row < n; ++row) {
      if (row == col || a[row][col].num == 0)
        continue;
      Rational factor = a[row][col] / a[col][col];
      for (size_t k = col; k < n; ++k)
        a[row][k] = a[row][k] - factor * a[col][k];
      b[row] = b[row] - factor * b[col];
    }
  }
  for (size_t i = 0; i < n; ++i)
    b[i] = b[i] / a[i][i];
  return b;
}

std::vector<std::pair<std::vector<int64_t>, Rational>>
interpolationWeights(const std::vector<int64_t> &pattern) {
  int64_t m = pattern.size();
  int64_t n = 0;
  for (int64_t q : pattern)
    n += q;
  // Unknowns: one weight per direction j; equations: one per beta. Both
  // range over the same lattice.
  std::vector<std::vector<int64_t>> lattice = simplexLattice(m, n);
  size_t size = lattice.size();
  std::vector<std::vector<Rational>> a(size, std::vector<Rational>(size));
  std::vector<Rational> b(size);
  for (size_t row = 0; row < size; ++row) {
    const std::vector<int64_t> &beta = lattice[row];
    Rational multinomial = factorial(n);
    for (int64_t exponent : beta)
      multinomial = multinomial / factorial(exponent);
    for (size_t col = 0; col < size; ++col) {
      Rational monomial(1);
      for (int64_t t = 0; t < m; ++t)
        monomial = monomial * power(lattice[col][t], beta[t]);
      a[row][col] = multinomial * monomial;
    }
    b[row] = Rational(beta == pattern ? 1 : 0);
  }
  std::vector<Rational> g = solve(std::move(a), std::move(b));
  std::vector<std::pair<std::vector<int64_t>, Rational>> weights;
  for (size_t i = 0; i < g.size(); ++i)
    if (g[i].num != 0)
      weights.push_back({lattice[i], g[i]});
  return weights;
}

} // namespace stde::planner
