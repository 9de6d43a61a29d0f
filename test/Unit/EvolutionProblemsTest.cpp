//===- EvolutionProblemsTest.cpp - wave, 2-D KdV and KP problems ----------===//
//
// Through the public API alone (libstde), in f64:
//  - the exact solutions of wave, kdv-2d and kp solve their PDEs (nested
//    central differences in double precision, independent of the
//    travelling-wave derivation in EvolutionProblems.cpp) and are not
//    trivial (their time derivatives do not vanish);
//  - each compiled loss (exact estimators; interior residual plus the
//    Dirichlet residual on the box's faces) against the loss computed here
//    from the step's points, the network on the host and its derivatives by
//    central differences.
//
//===----------------------------------------------------------------------===//
#include "HostEvaluation.h"
#include "SmallProblems.h"
#include "stde/stde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

using namespace stde;
using test::hostMLP;
using test::Point;
using test::sample;
using test::Sampled;

namespace {

using Function = std::function<double(const Point &)>;

/// D^alpha f at x by nested central differences (step h per derivative):
/// D + c h^2 + O(h^4).
double centralDifference(const Function &f, const Point &x, std::vector<size_t> alpha,
                         double h) {
  if (alpha.empty())
    return f(x);
  size_t j = alpha.back();
  alpha.pop_back();
  Point plus = x, minus = x;
  plus[j] += h;
  minus[j] -= h;
  return (centralDifference(f, plus, alpha, h) - centralDifference(f, minus, alpha, h)) /
         (2 * h);
}

/// D^alpha f with the h^2 term removed (Richardson): error O(h^4) plus
/// rounding of order 1e-16 / h^|alpha|.
double derivative(const Function &f, const Point &x, const std::vector<size_t> &alpha,
                  double h) {
  return (4 * centralDifference(f, x, alpha, h / 2) - centralDifference(f, x, alpha, h)) / 3;
}

/// The interior residual of each problem at x (coordinates x, y, t for the
/// 2-D ones; x_1..x_d, t for the wave), from derivatives of u.
double residual(const std::string &problem, const Function &u, const Point &x) {
  auto D = [&](std::vector<size_t> alpha, double h) { return derivative(u, x, alpha, h); };
  if (problem == "wave") {
    size_t d = x.size() - 1;
    double r = D({d, d}, 1e-3);
    for (size_t i = 0; i < d; ++i)
      r -= D({i, i}, 1e-3);
    return r;
  }
  double ux = D({0}, 1e-3), uxx = D({0, 0}, 1e-3), uyy = D({1, 1}, 1e-3);
  if (problem == "kdv-2d")
    return D({1, 2}, 1e-3) + D({0, 0, 0, 1}, 2e-2) +
           3 * (D({0, 1}, 1e-3) * ux + D({1}, 1e-3) * uxx) - uxx + 2 * uyy;
  return D({0, 2}, 1e-3) + 6 * (ux * ux + u(x) * uxx) + D({0, 0, 0, 0}, 2e-2) + 3 * uyy;
}

TEST(EvolutionProblems, ExactSolutionsSolveTheirPDEs) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0), time(0.0, 1.0);
  for (const char *name : {"wave", "kdv-2d", "kp"}) {
    ProblemOptions o;
    o.name = name;
    o.dim = std::string(name) == "wave" ? 4 : 2;
    Function u = [&](const Point &y) { return exactValues(o, y)->u; };
    for (int trial = 0; trial < 4; ++trial) {
      Point x(o.dim + 1);
      for (int64_t i = 0; i < o.dim; ++i)
        x[i] = 2.0 * uniform(rng);
      x[o.dim] = time(rng);
      ASSERT_TRUE(exactValues(o, x).ok()) << exactValues(o, x).error();
      double ut = derivative(u, x, {size_t(o.dim)}, 1e-3);
      EXPECT_GT(std::fabs(ut), 1e-3) << name << ": a solution that does not move";
      EXPECT_NEAR(residual(name, u, x), 0.0, 1e-6 * std::max(1.0, std::fabs(ut)))
          << name << " trial " << trial;
    }
  }
}

TEST(EvolutionProblems, LossesMatchFiniteDifferencesAtTheStepsPoints) {
  for (const char *name : {"wave", "kdv-2d", "kp"}) {
    SCOPED_TRACE(name);
    std::string problem = name;
    int64_t d = problem == "wave" ? 3 : 2;
    auto program = test::compileSmall({name, d, 5});
    ASSERT_TRUE(program);
    ProblemOptions o;
    o.name = name;
    o.dim = d;
    auto exact = [&](const Point &x) { return exactValues(o, x)->u; };
    std::vector<double> theta, grad(program->numParams());
    program->initialize(6, theta);
    double loss = 0.0;
    ASSERT_TRUE(program->lossAndGradient(theta.data(), 6, 1, &loss, grad.data()).ok());
    // The ansatz: the initial value (u* at t = 0) plus t MLP (wave: t^2 MLP).
    Function u = [&](const Point &x) {
      Point initial = x;
      initial[d] = 0.0;
      double t = x[d], factor = problem == "wave" ? t * t : t;
      return exact(initial) + factor * hostMLP(*program, theta, x);
    };
    Sampled s = sample(*program, 6, 1);
    ASSERT_FALSE(s.boundary.empty());
    double interior = 0.0, boundary = 0.0;
    for (const Point &x : s.interior) {
      double r = residual(problem, u, x);
      interior += r * r / double(s.interior.size());
    }
    for (const Point &x : s.boundary) {
      double r = u(x) - exact(x);
      boundary += r * r / double(s.boundary.size());
    }
    EXPECT_NEAR(loss, interior + boundary, 1e-6 * (interior + boundary));
  }
}

} // namespace
