//===- TaylorRecurrences.h - truncated Taylor arithmetic, written once ----===//
//
// The propagation rules of docs/MATH.md section 1, in normalized
// coefficients a_k = v_k / k! (products become plain Cauchy products and no
// factorial grows with the order). Every rule is a template over an algebra
// `A` of coefficients, so that the same code
//   - infers the structure of a result (A = KindAlgebra: coefficients are
//     zero / onehot / shared / dense), which the op verifiers and builders use;
//   - emits the tensor IR of the lowering (A = the tensor algebra of
//     convert-jet-to-tensor).
// Because both run the same recurrence, the structure a type claims is exactly
// what the lowering produces.
//
// An algebra provides:
//   using Coeff = ...;
//   Coeff zero();  Coeff constant(double);            // shared constant
//   Coeff add(Coeff, Coeff);  Coeff sub(Coeff, Coeff);
//   Coeff mul(Coeff, Coeff);  Coeff div(Coeff, Coeff); // elementwise
//   Coeff scale(Coeff, double);
//   Coeff primal(ElementwiseFn, Coeff);                // fn of the primal
//
//===----------------------------------------------------------------------===//
#ifndef STDE_DIALECTS_JET_TAYLORRECURRENCES_H
#define STDE_DIALECTS_JET_TAYLORRECURRENCES_H

#include "dialects/jet/JetEnums.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>

namespace mlir::jet::taylor {

template <typename A> using Series = llvm::SmallVector<typename A::Coeff, 9>;

/// sum_{j=lo..k} w(j) * a_j * b_{k-j} accumulated left to right.
template <typename A, typename Weight>
typename A::Coeff convolve(A &alg, llvm::ArrayRef<typename A::Coeff> a,
                           llvm::ArrayRef<typename A::Coeff> b, int64_t k, int64_t lo,
                           int64_t hi, Weight weight) {
  typename A::Coeff acc = alg.zero();
  for (int64_t j = lo; j <= hi; ++j) {
    double w = weight(j);
    if (w == 0.0)
      continue;
    typename A::Coeff term = alg.mul(a[j], b[k - j]);
    acc = alg.add(acc, w == 1.0 ? term : alg.scale(term, w));
  }
  return acc;
}

/// c = a * b: c_k = sum_j a_j b_{k-j}.
template <typename A>
Series<A> mul(A &alg, llvm::ArrayRef<typename A::Coeff> a, llvm::ArrayRef<typename A::Coeff> b) {
  Series<A> c;
  for (int64_t k = 0, e = a.size(); k < e; ++k)
    c.push_back(convolve(alg, a, b, k, 0, k, [](int64_t) { return 1.0; }));
  return c;
}

/// q = a / b: q_k = (a_k - sum_{j<k} q_j b_{k-j}) / b_0.
template <typename A>
Series<A> div(A &alg, llvm::ArrayRef<typename A::Coeff> a, llvm::ArrayRef<typename A::Coeff> b) {
  Series<A> q{alg.div(a[0], b[0])};
  for (int64_t k = 1, e = a.size(); k < e; ++k) {
    auto rest = convolve(alg, llvm::ArrayRef(q), b, k, 0, k - 1, [](int64_t) { return 1.0; });
    q.push_back(alg.div(alg.sub(a[k], rest), b[0]));
  }
  return q;
}

/// y_k = (1/k) sum_{j=1..k} j u_j g_{k-j}: the solution of y' = g u', the
/// form every function defined by a first-order ODE takes. `next(k)` is
/// called after y_k is known, to extend g to order k (g may depend on y).
template <typename A, typename Extend>
void integrate(A &alg, llvm::ArrayRef<typename A::Coeff> u, Series<A> &y, Series<A> &g,
               Extend next) {
  for (int64_t k = 1, e = u.size(); k < e; ++k) {
    y.push_back(convolve(alg, u, llvm::ArrayRef(g), k, 1, k,
                         [k](int64_t j) { return double(j) / double(k); }));
    if (k + 1 < e)
      next(k);
  }
}

/// tanh: t' = (1 - t^2) u'.
template <typename A> Series<A> tanh(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> t{alg.primal(ElementwiseFn::tanh, u[0])};
  Series<A> w{alg.sub(alg.constant(1.0), alg.mul(t[0], t[0]))};
  integrate(alg, u, t, w, [&](int64_t k) {
    auto sq = convolve(alg, llvm::ArrayRef(t), llvm::ArrayRef(t), k, 0, k,
                       [](int64_t) { return 1.0; });
    w.push_back(alg.scale(sq, -1.0));
  });
  return t;
}

/// sigmoid: s' = (s - s^2) u'.
template <typename A> Series<A> sigmoid(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> s{alg.primal(ElementwiseFn::sigmoid, u[0])};
  Series<A> w{alg.sub(s[0], alg.mul(s[0], s[0]))};
  integrate(alg, u, s, w, [&](int64_t k) {
    auto sq = convolve(alg, llvm::ArrayRef(s), llvm::ArrayRef(s), k, 0, k,
                       [](int64_t) { return 1.0; });
    w.push_back(alg.sub(s[k], sq));
  });
  return s;
}

/// softplus: p' = sigmoid(u) u'.
template <typename A> Series<A> softplus(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> s = sigmoid(alg, u);
  Series<A> p{alg.primal(ElementwiseFn::softplus, u[0])};
  Series<A> g{s[0]};
  integrate(alg, u, p, g, [&](int64_t k) { g.push_back(s[k]); });
  return p;
}

/// exp: e' = e u'.
template <typename A> Series<A> exp(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> e{alg.primal(ElementwiseFn::exp, u[0])};
  // g aliases e: extended by the coefficient just computed.
  Series<A> g{e[0]};
  integrate(alg, u, e, g, [&](int64_t k) { g.push_back(e[k]); });
  return e;
}

/// sin and cos together: s' = c u', c' = -s u'. Returns {sin, cos}.
template <typename A>
std::pair<Series<A>, Series<A>> sincos(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> s{alg.primal(ElementwiseFn::sin, u[0])};
  Series<A> c{alg.primal(ElementwiseFn::cos, u[0])};
  for (int64_t k = 1, e = u.size(); k < e; ++k) {
    auto weight = [k](int64_t j) { return double(j) / double(k); };
    auto sk = convolve(alg, u, llvm::ArrayRef(c), k, 1, k, weight);
    auto ck = alg.scale(convolve(alg, u, llvm::ArrayRef(s), k, 1, k, weight), -1.0);
    s.push_back(sk);
    c.push_back(ck);
  }
  return {s, c};
}

/// log: l_k = (u_k - (1/k) sum_{j=1..k-1} j l_j u_{k-j}) / u_0.
template <typename A> Series<A> log(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> l{alg.primal(ElementwiseFn::log, u[0])};
  for (int64_t k = 1, e = u.size(); k < e; ++k) {
    auto rest = convolve(alg, llvm::ArrayRef(l), u, k, 1, k - 1,
                         [k](int64_t j) { return double(j) / double(k); });
    l.push_back(alg.div(alg.sub(u[k], rest), u[0]));
  }
  return l;
}

/// sqrt: v^2 = u, v_k = (u_k - sum_{j=1..k-1} v_j v_{k-j}) / (2 v_0).
template <typename A> Series<A> sqrt(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> v{alg.primal(ElementwiseFn::sqrt, u[0])};
  if (u.size() > 1) {
    typename A::Coeff twiceRoot = alg.scale(v[0], 2.0);
    for (int64_t k = 1, e = u.size(); k < e; ++k) {
      auto rest = convolve(alg, llvm::ArrayRef(v), llvm::ArrayRef(v), k, 1, k - 1,
                           [](int64_t) { return 1.0; });
      v.push_back(alg.div(alg.sub(u[k], rest), twiceRoot));
    }
  }
  return v;
}

/// atan: a' = u' / (1 + u^2); 1 / (1 + u^2) depends on u alone, so it is
/// computed first (the Cauchy square, then the division recurrence).
template <typename A> Series<A> atan(A &alg, llvm::ArrayRef<typename A::Coeff> u) {
  Series<A> a{alg.primal(ElementwiseFn::atan, u[0])};
  if (u.size() == 1)
    return a;
  Series<A> denominator = mul(alg, u, u);
  denominator[0] = alg.add(alg.constant(1.0), denominator[0]);
  Series<A> one{alg.constant(1.0)};
  for (size_t k = 1; k < u.size(); ++k)
    one.push_back(alg.zero());
  Series<A> g = div(alg, llvm::ArrayRef(one), llvm::ArrayRef(denominator));
  integrate(alg, u, a, g, [](int64_t) {});
  return a;
}

/// u^n for an integer n by repeated squaring (exact at u_0 = 0, unlike the
/// ODE form u v' = n u' v); negative n divides 1 by u^|n|.
template <typename A> Series<A> powi(A &alg, llvm::ArrayRef<typename A::Coeff> u, int64_t n) {
  Series<A> one{alg.constant(1.0)};
  for (size_t k = 1; k < u.size(); ++k)
    one.push_back(alg.zero());
  if (n == 0)
    return one;
  std::optional<Series<A>> result; // starts as the first factor, not 1 * it
  Series<A> base(u.begin(), u.end());
  for (int64_t m = n < 0 ? -n : n; m > 0; m >>= 1) {
    if (m & 1)
      result = result ? mul(alg, llvm::ArrayRef(*result), llvm::ArrayRef(base)) : base;
    if (m > 1)
      base = mul(alg, llvm::ArrayRef(base), llvm::ArrayRef(base));
  }
  if (n < 0)
    return div(alg, llvm::ArrayRef(one), llvm::ArrayRef(*result));
  return *result;
}

/// The elementwise function `fn` applied to the series u.
template <typename A>
Series<A> elementwise(A &alg, ElementwiseFn fn, llvm::ArrayRef<typename A::Coeff> u) {
  switch (fn) {
  case ElementwiseFn::tanh: return tanh(alg, u);
  case ElementwiseFn::sin: return sincos(alg, u).first;
  case ElementwiseFn::cos: return sincos(alg, u).second;
  case ElementwiseFn::exp: return exp(alg, u);
  case ElementwiseFn::log: return log(alg, u);
  case ElementwiseFn::sigmoid: return sigmoid(alg, u);
  case ElementwiseFn::softplus: return softplus(alg, u);
  case ElementwiseFn::sqrt: return sqrt(alg, u);
  case ElementwiseFn::atan: return atan(alg, u);
  }
  return Series<A>(u.begin(), u.end());
}

} // namespace mlir::jet::taylor

#endif // STDE_DIALECTS_JET_TAYLORRECURRENCES_H
