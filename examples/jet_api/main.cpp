// Taylor mode through the stde C++ API: u, du/dv and d2u/dv2 of an MLP at a
// batch of points, along random directions, in one compiled call.
//
// The field is u(x) = (1 - |x|^2) * MLP(x), an MLP R^4 -> R with two tanh
// layers of 16. A 2-jet along x(t) = x + t v gives
//   order 0: u(x),  order 1: <grad u, v>,  order 2: v^T (Hess u) v.
// The program checks both against central finite differences of u itself.
#include "stde/stde.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main() {
  const int64_t dim = 4, points = 5, directions = 2;
  auto field = stde::Field::mlp(dim, {16, 16}, stde::ActivationKind::tanh, /*ballAnsatz=*/true);
  if (!field) {
    std::fprintf(stderr, "error: %s\n", field.error().c_str());
    return 1;
  }

  stde::Compiler compiler;
  stde::JetSpec spec;
  spec.order = 2;
  spec.directions = directions;
  spec.batch = points;
  spec.tangents = {stde::TangentKind::dense, stde::TangentKind::zero}; // v1 = v, v2 = 0
  auto kernel = compiler.compileJet(*field, spec);
  if (!kernel) {
    std::fprintf(stderr, "error: %s\n", kernel.error().c_str());
    return 1;
  }

  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(-0.5, 0.5);
  std::vector<double> theta(field->numParams()), x(points * dim), v(directions * points * dim);
  for (double &t : theta) t = uniform(rng);
  for (double &p : x) p = uniform(rng);
  for (double &d : v) d = uniform(rng);

  std::vector<double> out((*kernel)->outputSize());
  stde::Status status = (*kernel)->evaluate(theta.data(), x.data(), {v.data(), nullptr}, out.data());
  if (!status) {
    std::fprintf(stderr, "error: %s\n", status.message().c_str());
    return 1;
  }

  // u at shifted points x +- h v, for the finite-difference check.
  spec.order = 1;
  spec.tangents = {stde::TangentKind::zero};
  auto values = compiler.compileJet(*field, spec);
  if (!values) {
    std::fprintf(stderr, "error: %s\n", values.error().c_str());
    return 1;
  }
  auto u = [&](const std::vector<double> &at) {
    std::vector<double> result((*values)->outputSize());
    stde::Status st = (*values)->evaluate(theta.data(), at.data(), {nullptr}, result.data());
    if (!st) {
      std::fprintf(stderr, "error: %s\n", st.message().c_str());
      std::exit(1);
    }
    return result; // the first `points` entries are u
  };

  const double h = 1e-3;
  double worst1 = 0, worst2 = 0;
  std::printf("%5s %4s %14s %14s %14s\n", "point", "dir", "u", "du/dv", "d2u/dv2");
  for (int64_t r = 0; r < directions; ++r) {
    std::vector<double> plus = x, minus = x;
    for (int64_t i = 0; i < points * dim; ++i) {
      plus[i] += h * v[r * points * dim + i];
      minus[i] -= h * v[r * points * dim + i];
    }
    std::vector<double> up = u(plus), um = u(minus);
    for (int64_t n = 0; n < points; ++n) {
      double u0 = out[n];
      double d1 = out[points + r * points + n];
      double d2 = out[points + directions * points + r * points + n];
      std::printf("%5lld %4lld %14.8f %14.8f %14.8f\n", (long long)n, (long long)r, u0, d1, d2);
      worst1 = std::fmax(worst1, std::fabs(d1 - (up[n] - um[n]) / (2 * h)));
      worst2 = std::fmax(worst2, std::fabs(d2 - (up[n] - 2 * u0 + um[n]) / (h * h)));
    }
  }
  // Central differences are O(h^2) accurate: about 1e-6 here.
  bool ok = worst1 < 1e-5 && worst2 < 1e-4;
  std::printf("finite-difference check: max |error| %.2e (first), %.2e (second): %s\n", worst1,
              worst2, ok ? "ok" : "FAILED");
  std::printf("kernels compiled: %d, cache hits: %d\n", compiler.stats().compilations,
              compiler.stats().cacheHits);
  return ok ? 0 : 1;
}
