//===- ControlProblemsTest.cpp - HJB and Black-Scholes-Barenblatt problems -===//
//
// Through the public API alone (libstde), in f64:
//  - the "gaussian" domain draws x ~ N(0, I) and t ~ U(0, T);
//  - the exact solutions of hjb-lin and bsb solve their PDEs (central
//    differences in double precision, independent of ControlProblems.cpp's
//    derivation);
//  - the HJB-LQG solution (Cole-Hopf, by quadrature) against its PDE, against
//    Monte Carlo over Brownian increments and against the published 4.5901
//    at the origin for d = 100; the module's reference value is it at the
//    reference point;
//  - each compiled loss (exact estimators) against the loss computed here
//    from the step's points, the network on the host and its derivatives by
//    central differences.
//
//===----------------------------------------------------------------------===//
#include "HostEvaluation.h"
#include "SmallProblems.h"
#include "stde/stde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <regex>

using namespace stde;
using test::hostMLP;
using test::norm2;
using test::partial;
using test::Point;
using test::sample;
using test::Sampled;

namespace {

// The published constants (ControlProblems.cpp states them).
constexpr double kHorizon = 1.0, kPower = 1.75, kVolatility = 0.4, kRate = 0.05;

std::shared_ptr<const TrainingProgram> compileProblem(const std::string &name, int64_t dim,
                                                      int64_t points) {
  return test::compileSmall({name, dim, points});
}

TEST(Domains, GaussianPointsAreStandardNormalWithUniformTime) {
  auto program = compileProblem("hjb-lin", 4, 400);
  ASSERT_TRUE(program);
  EXPECT_EQ(program->dim(), 5);
  EXPECT_EQ(program->spatialDim(), 4);
  Sampled s = sample(*program, 3, 7);
  double squares = 0.0, time = 0.0;
  for (const Point &x : s.interior) {
    ASSERT_GT(x[4], 0.0);
    ASSERT_LT(x[4], kHorizon);
    squares += norm2(x, 4) / 4.0; // E |x|^2 / d = 1 whatever t
    time += x[4];
  }
  double n = double(s.interior.size());
  EXPECT_NEAR(squares / n, 1.0, 0.15); // sd of the mean 0.035
  EXPECT_NEAR(time / n, kHorizon / 2, 0.06);
}

TEST(ControlProblems, ExactSolutionsSolveTheirPDEs) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(0.0, kHorizon);
  const int64_t d = 5;
  for (const char *name : {"hjb-lin", "bsb", "hjb-lqg"}) {
    ProblemOptions o;
    o.name = name;
    o.dim = d;
    auto u = [&](const Point &y) { return exactValues(o, y)->u; };
    for (int trial = 0; trial < 4; ++trial) {
      Point x(d + 1);
      for (int64_t i = 0; i < d; ++i)
        x[i] = normal(rng);
      x[d] = uniform(rng);
      ASSERT_TRUE(exactValues(o, x).ok()) << exactValues(o, x).error();
      double ut = partial(u, x, d, 1, 1e-5), residual = ut, scale = std::fabs(ut);
      for (int64_t i = 0; i < d; ++i) {
        double ui = partial(u, x, i, 1, 1e-5), uii = partial(u, x, i, 2, 1e-4);
        if (std::string(name) == "hjb-lin") {
          residual += uii - std::pow(std::fabs(ui), kPower) / double(d);
        } else if (std::string(name) == "hjb-lqg") {
          residual += uii - ui * ui;
          scale += ui * ui;
        } else {
          residual += 0.5 * kVolatility * kVolatility * x[i] * x[i] * uii + kRate * x[i] * ui;
          scale += std::fabs(x[i] * ui);
        }
      }
      if (std::string(name) == "hjb-lin")
        residual += 2.0; // = -2 on the right
      else if (std::string(name) == "bsb")
        residual -= kRate * u(x);
      EXPECT_NEAR(residual, 0.0, 1e-5 * std::max(1.0, scale)) << name << " trial " << trial;
    }
  }
}

/// The `stde.reference` value of a problem module.
double referenceOf(const ProblemOptions &o) {
  auto text = problemModule(o);
  EXPECT_TRUE(text.ok()) << text.error();
  std::smatch m;
  static const std::regex value("stde.reference = \\{[^}]*value = ([-0-9.e+]+) : f64");
  EXPECT_TRUE(text && std::regex_search(*text, m, value)) << (text ? *text : "");
  return m.empty() ? NAN : std::stod(m[1]);
}

TEST(ControlProblems, LqgSolutionMatchesMonteCarlo) {
  // u*(x, t) = -ln E[2 / (1 + |x + sqrt(2) W_{T-t}|^2)] (Cole-Hopf, mu = 1),
  // sampled directly here.
  std::mt19937_64 rng{17};
  std::normal_distribution<double> normal;
  struct Case {
    int64_t d;
    double coordinate, t; // x = (coordinate, ..., coordinate)
  } cases[] = {{1, 0.0, 0.0}, {2, 0.7, 0.4}, {10, 0.0, 0.0}, {10, 1.0, 0.0},
               {10, -0.3, 0.9}, {100, 0.0, 0.0}, {100, 1.0, 0.0}, {100, 0.5, 0.5}};
  for (const Case &c : cases) {
    ProblemOptions o;
    o.name = "hjb-lqg";
    o.dim = c.d;
    Point x(c.d + 1, c.coordinate);
    x[c.d] = c.t;
    auto value = exactValues(o, x);
    ASSERT_TRUE(value.ok()) << value.error();
    const int draws = 100000;
    double s = std::sqrt(2.0 * (kHorizon - c.t)), sum = 0.0, squares = 0.0;
    for (int k = 0; k < draws; ++k) {
      double r2 = 0.0;
      for (int64_t i = 0; i < c.d; ++i) {
        double xi = c.coordinate + s * normal(rng);
        r2 += xi * xi;
      }
      double y = 2.0 / (1.0 + r2);
      sum += y;
      squares += y * y;
    }
    double mean = sum / draws, se = std::sqrt((squares / draws - mean * mean) / draws);
    double monteCarlo = -std::log(mean), seU = se / mean; // delta method
    std::printf("  d = %-4lld x_i = %4.1f t = %.1f  quadrature %.6f  Monte Carlo %.6f +- %.6f\n",
                (long long)c.d, c.coordinate, c.t, value->u, monteCarlo, seU);
    EXPECT_NEAR(value->u, monteCarlo, 4 * seU + 1e-9) << "d = " << c.d;
  }
  // Han, Jentzen and E (2018) report u(0, 0) ~ 4.5901 for d = 100, T = 1, mu = 1.
  ProblemOptions hundred;
  hundred.name = "hjb-lqg";
  hundred.dim = 100;
  EXPECT_NEAR(exactValues(hundred, Point(101, 0.0))->u, 4.5901, 1e-3);
  // The module's reference: u* at x = (1, ..., 1), t = 0.
  Point p(101, 1.0);
  p[100] = 0.0;
  EXPECT_DOUBLE_EQ(referenceOf(hundred), exactValues(hundred, p)->u);
}

/// The loss of a space-time problem at the step's points, from `residual`.
double hostLoss(const Sampled &s, const std::function<double(const Point &)> &residual) {
  double loss = 0.0;
  for (const Point &x : s.interior) {
    double r = residual(x);
    loss += r * r / double(s.interior.size());
  }
  return loss;
}

TEST(ControlProblems, LossesMatchFiniteDifferencesAtTheStepsPoints) {
  const int64_t d = 3;
  for (const char *name : {"hjb-lin", "hjb-lqg", "bsb"}) {
    SCOPED_TRACE(name);
    std::string problem = name;
    auto program = compileProblem(name, d, 5);
    ASSERT_TRUE(program);
    std::vector<double> theta, grad(program->numParams());
    program->initialize(4, theta);
    double loss = 0.0;
    ASSERT_TRUE(program->lossAndGradient(theta.data(), 4, 2, &loss, grad.data()).ok());
    // The ansatz with the terminal data g built in.
    auto g = [&](const Point &x) {
      if (problem == "hjb-lin")
        return x[0] + x[1] + x[2];
      if (problem == "hjb-lqg")
        return std::log((1.0 + norm2(x, d)) / 2.0);
      return norm2(x, d);
    };
    auto u = [&](const Point &x) {
      double net = hostMLP(*program, theta, x), rest = (kHorizon - x[d]) * net;
      return g(x) + (problem == "bsb" ? rest * g(x) : rest);
    };
    auto residual = [&](const Point &x) {
      double r = partial(u, x, d, 1, 1e-5);
      for (int64_t i = 0; i < d; ++i) {
        double ui = partial(u, x, i, 1, 1e-5), uii = partial(u, x, i, 2, 1e-4);
        if (problem == "hjb-lin")
          r += uii - std::pow(std::fabs(ui), kPower) / double(d);
        else if (problem == "hjb-lqg")
          r += uii - ui * ui;
        else
          r += 0.5 * kVolatility * kVolatility * x[i] * x[i] * uii + kRate * x[i] * ui;
      }
      if (problem == "hjb-lin")
        r += 2.0;
      if (problem == "bsb")
        r -= kRate * u(x);
      return r;
    };
    double expected = hostLoss(sample(*program, 4, 2), residual);
    EXPECT_NEAR(loss, expected, 1e-6 * expected);
  }
}

} // namespace
