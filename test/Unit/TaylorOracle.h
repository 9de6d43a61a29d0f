//===- TaylorOracle.h - an independent Taylor-mode reference ---------------===//
//
// The oracle of the jet numerics tests, written apart from the compiler and
// in another formulation: coefficients are derivatives y_k = d^k/dt^k (not
// normalized), products use Leibniz's rule with binomials, and every
// elementwise function uses Faa di Bruno's formula summed over the integer
// partitions of k, with the function's n-th derivatives in closed form
// (polynomials in tanh / sigmoid, the sin/cos cycle, falling factorials).
// Evaluated in double.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TEST_UNIT_TAYLORORACLE_H
#define STDE_TEST_UNIT_TAYLORORACLE_H

#include "stde/API/Field.h"

#include <cmath>
#include <functional>
#include <vector>

namespace oracle {

/// A truncated series: d[k] = k-th derivative along the curve, k = 0..K.
struct Jet {
  std::vector<double> d;
};

inline double binomial(int n, int k) {
  double r = 1;
  for (int i = 1; i <= k; ++i)
    r = r * (n - k + i) / i;
  return r;
}

inline double factorial(int n) { return n <= 1 ? 1.0 : n * factorial(n - 1); }

inline Jet add(const Jet &a, const Jet &b, double sign = 1.0) {
  Jet r = a;
  for (size_t k = 0; k < r.d.size(); ++k)
    r.d[k] += sign * b.d[k];
  return r;
}

/// Leibniz: (fg)^(k) = sum_j C(k, j) f^(j) g^(k-j).
inline Jet mul(const Jet &a, const Jet &b) {
  Jet r{std::vector<double>(a.d.size(), 0.0)};
  for (size_t k = 0; k < a.d.size(); ++k)
    for (size_t j = 0; j <= k; ++j)
      r.d[k] += binomial(k, j) * a.d[j] * b.d[k - j];
  return r;
}

/// Calls f(p) for every partition p of k (p[i] = multiplicity of part i).
inline void forEachPartition(int k, const std::function<void(const std::vector<int> &)> &f) {
  std::vector<int> p(k + 1, 0);
  std::function<void(int, int)> rec = [&](int remaining, int maxPart) {
    if (remaining == 0) {
      f(p);
      return;
    }
    for (int part = std::min(remaining, maxPart); part >= 1; --part) {
      ++p[part];
      rec(remaining - part, part);
      --p[part];
    }
  };
  rec(k, k);
}

/// phi(u) from phi's derivatives at u0: derivs[m] = phi^(m)(u0).
inline Jet compose(const std::vector<double> &derivs, const Jet &u) {
  int K = u.d.size() - 1;
  Jet r{std::vector<double>(K + 1, 0.0)};
  r.d[0] = derivs[0];
  for (int k = 1; k <= K; ++k) {
    forEachPartition(k, [&](const std::vector<int> &p) {
      double coefficient = factorial(k), product = 1;
      int m = 0;
      for (int i = 1; i <= k; ++i) {
        if (!p[i])
          continue;
        coefficient /= factorial(p[i]) * std::pow(factorial(i), p[i]);
        product *= std::pow(u.d[i], p[i]);
        m += p[i];
      }
      r.d[k] += derivs[m] * coefficient * product;
    });
  }
  return r;
}

/// Derivatives 0..K of a function given by P_{m+1}(y) = g(y) P_m'(y) with
/// P_0(y) = y, evaluated at y = value (tanh: g = 1 - y^2; sigmoid: y - y^2).
inline std::vector<double> polynomialDerivatives(double value, int K, std::vector<double> g) {
  std::vector<double> poly{0.0, 1.0}; // y
  std::vector<double> out;
  for (int m = 0; m <= K; ++m) {
    double v = 0, power = 1;
    for (double c : poly) {
      v += c * power;
      power *= value;
    }
    out.push_back(v);
    std::vector<double> dp;
    for (size_t i = 1; i < poly.size(); ++i)
      dp.push_back(i * poly[i]);
    std::vector<double> next(dp.size() + g.size(), 0.0);
    for (size_t i = 0; i < dp.size(); ++i)
      for (size_t j = 0; j < g.size(); ++j)
        next[i + j] += dp[i] * g[j];
    poly = next;
  }
  return out;
}

inline std::vector<double> derivatives(stde::FieldNode::Kind kind, stde::ActivationKind act,
                                       double x, int K, int64_t exponent = 0) {
  using Kind = stde::FieldNode::Kind;
  std::vector<double> out(K + 1, 0.0);
  auto sinCycle = [&](double phase) {
    for (int m = 0; m <= K; ++m)
      out[m] = std::sin(x + phase + m * M_PI / 2);
  };
  auto sigmoid = [&](double y) { return 1.0 / (1.0 + std::exp(-y)); };
  if (kind == Kind::activation) {
    switch (act) {
    case stde::ActivationKind::identity: out[0] = x; if (K >= 1) out[1] = 1; return out;
    case stde::ActivationKind::tanh: return polynomialDerivatives(std::tanh(x), K, {1, 0, -1});
    case stde::ActivationKind::sigmoid: return polynomialDerivatives(sigmoid(x), K, {0, 1, -1});
    case stde::ActivationKind::softplus: {
      auto s = polynomialDerivatives(sigmoid(x), K, {0, 1, -1});
      out[0] = std::log1p(std::exp(x));
      for (int m = 1; m <= K; ++m)
        out[m] = s[m - 1];
      return out;
    }
    case stde::ActivationKind::sin: sinCycle(0); return out;
    case stde::ActivationKind::cos: sinCycle(M_PI / 2); return out;
    case stde::ActivationKind::exp: kind = Kind::exp; break;
    }
  }
  switch (kind) {
  case Kind::tanh: return derivatives(Kind::activation, stde::ActivationKind::tanh, x, K);
  case Kind::sin: sinCycle(0); break;
  case Kind::cos: sinCycle(M_PI / 2); break;
  case Kind::exp:
    for (int m = 0; m <= K; ++m)
      out[m] = std::exp(x);
    break;
  case Kind::log:
    out[0] = std::log(x);
    for (int m = 1; m <= K; ++m)
      out[m] = (m % 2 ? 1 : -1) * factorial(m - 1) / std::pow(x, m);
    break;
  case Kind::atan: {
    // With x = cot(theta), theta in (0, pi): the n-th derivative is
    // (-1)^(n-1) (n-1)! sin^n(theta) sin(n theta).
    double theta = std::atan2(1.0, x);
    out[0] = std::atan(x);
    for (int m = 1; m <= K; ++m)
      out[m] = (m % 2 ? 1 : -1) * factorial(m - 1) * std::pow(std::sin(theta), m) *
               std::sin(m * theta);
    break;
  }
  case Kind::sqrt: // x^(1/2): falling factorial of 1/2
  case Kind::powi: {
    double e = kind == Kind::sqrt ? 0.5 : double(exponent), falling = 1;
    for (int m = 0; m <= K; ++m) {
      out[m] = (falling == 0) ? 0.0 : falling * std::pow(x, e - m);
      falling *= (e - m);
    }
    break;
  }
  default: break;
  }
  return out;
}

} // namespace oracle

#endif // STDE_TEST_UNIT_TAYLORORACLE_H
