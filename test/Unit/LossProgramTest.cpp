//===- LossProgramTest.cpp - compiled losses on the caller's points -------===//
//
// Through the public API alone (libstde), in f64, against an independent
// evaluation here: the network evaluated on the host from the parameter
// layout, its derivatives by central finite differences in double
// precision, the sources from the problem library's closed forms:
//  - the exact loss for every point count from 1 to the compiled batch, a
//    space-time problem, a problem with boundary points;
//  - the sparse and dense estimates are what their estimators define: the
//    sparse Laplacian (d/|J|) sum_{j in J} u_jj for some J, the Rademacher
//    one v^T H v for some v in {-1, 1}^d, and the loss is the one of the
//    operator values the same call returns;
//  - the gradient against central differences of the compiled loss;
//  - bad calls are errors that say what to change.
//
//===----------------------------------------------------------------------===//
#include "SmallProblems.h"
#include "stde/stde.h"

#include "Compare.h"
#include "HostNetwork.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

using namespace stde;

namespace {

using test::first;
using test::Function;
using test::mlp;
using test::Point;
using test::second;

/// Points in the unit ball (radius <= 0.9), row-major.
std::vector<double> ballPoints(int64_t n, int64_t d, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> radius(0.1, 0.9);
  std::vector<double> xs;
  for (int64_t p = 0; p < n; ++p) {
    Point g(d);
    double norm = 0;
    for (double &v : g) {
      v = normal(rng);
      norm += v * v;
    }
    double r = radius(rng) / std::sqrt(norm);
    for (double v : g)
      xs.push_back(v * r);
  }
  return xs;
}

Point row(const std::vector<double> &xs, int64_t p, int64_t d) {
  return Point(xs.begin() + p * d, xs.begin() + (p + 1) * d);
}

std::shared_ptr<const LossProgram> compileLoss(const std::string &problem, LossSpec spec = {}) {
  static Compiler compiler;
  auto program = compiler.compileLoss(problem, spec);
  EXPECT_TRUE(program.ok()) << program.error();
  return program ? *program : nullptr;
}

/// The operator values' block of operator `k` for n interior, m boundary points.
std::vector<double> block(const LossProgram &program, const std::vector<double> &values,
                          size_t k, int64_t n, int64_t m) {
  size_t start = 0;
  for (size_t j = 0; j < k; ++j)
    start += (program.operators()[j].boundary ? m : n) * program.operators()[j].perPoint;
  const OperatorInfo &op = program.operators()[k];
  size_t count = (op.boundary ? m : n) * op.perPoint;
  return std::vector<double>(values.begin() + start, values.begin() + start + count);
}

/// Whether an operator's name is `prefix` or `prefix` and its estimator.
bool named(const OperatorInfo &op, const std::string &prefix) {
  return op.name == prefix || op.name.rfind(prefix + " ", 0) == 0;
}

/// Index of the first operator `named` prefix (-1 if none).
int find(const LossProgram &program, const std::string &prefix) {
  for (size_t k = 0; k < program.operators().size(); ++k)
    if (named(program.operators()[k], prefix))
      return int(k);
  return -1;
}

/// Two-body Allen-Cahn on 5 points of dimension 4, width 6, depth 3.
struct AllenCahn {
  ProblemOptions options;
  AllenCahn(const Estimator &estimator) {
    options.name = "allen-cahn-two-body";
    options.dim = 4;
    options.width = 6;
    options.depth = 3;
    options.points = 5;
    options.dtype = DType::f64;
    options.estimator = estimator;
  }
  std::string text() const {
    auto text = problemModule(options);
    EXPECT_TRUE(text.ok()) << text.error();
    return text ? *text : "";
  }
};

TEST(LossProgram, ExactLossMatchesAHostEvaluationForEveryPointCount) {
  AllenCahn problem(Estimator::exact());
  auto program = compileLoss(problem.text());
  ASSERT_TRUE(program);
  EXPECT_EQ(program->maxPoints(), 5);
  EXPECT_EQ(program->maxBoundaryPoints(), 0);
  std::vector<double> theta;
  program->initialize(3, theta);
  int64_t d = 4;
  Function u = [&](const Point &x) {
    double r2 = 0;
    for (double v : x)
      r2 += v * v;
    return (1 - r2) * mlp(program->layers(), theta, x);
  };
  std::vector<double> all = ballPoints(5, d, 7);
  for (int64_t n : {5, 2, 1, 4}) {
    std::vector<double> xs(all.begin(), all.begin() + n * d);
    double expected = 0;
    std::vector<double> laplacians;
    for (int64_t p = 0; p < n; ++p) {
      Point x = row(xs, p, d);
      double lap = 0;
      for (int64_t i = 0; i < d; ++i)
        lap += second(u, x, i);
      laplacians.push_back(lap);
      double value = u(x), source = exactValues(problem.options, x)->source;
      double r = lap + value - value * value * value - source;
      expected += r * r / double(n);
    }
    double loss = 0;
    ASSERT_TRUE(program->loss<double>(theta, xs, {}, 1, 0, &loss).ok());
    EXPECT_NEAR(loss, expected, 1e-6 * std::fabs(expected)) << n << " points";

    std::vector<double> values(program->operatorValueCount(n, 0));
    ASSERT_TRUE(program->operatorValues<double>(theta, xs, {}, 1, 0, values).ok());
    int lap = find(*program, "stde.laplacian @u");
    ASSERT_GE(lap, 0);
    std::vector<double> computed = block(*program, values, lap, n, 0);
    for (int64_t p = 0; p < n; ++p)
      EXPECT_NEAR(computed[p], laplacians[p], 1e-5 * (1 + std::fabs(laplacians[p])));
  }
}

TEST(LossProgram, SpaceTimeLossMatchesAHostEvaluation) {
  ProblemOptions o;
  o.name = "semilinear-heat";
  o.dim = 3;
  o.width = 6;
  o.depth = 3;
  o.points = 4;
  o.dtype = DType::f64;
  o.estimator = Estimator::exact();
  auto text = problemModule(o);
  ASSERT_TRUE(text.ok()) << text.error();
  auto program = compileLoss(*text);
  ASSERT_TRUE(program);
  std::vector<double> theta;
  program->initialize(5, theta);
  const double horizon = 0.3;
  Function u = [&](const Point &x) { // u = 5/(10 + 2|x|^2) + (T - t) MLP(x, t)
    double r2 = x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
    return 5.0 / (10.0 + 2.0 * r2) + (horizon - x[3]) * mlp(program->layers(), theta, x);
  };
  std::vector<double> xs = {0.1, -0.4, 0.3, 0.05, 0.7, 0.2, -0.5, 0.2, -0.3, 0.0, 0.9, 0.29};
  int64_t n = 3;
  double expected = 0;
  for (int64_t p = 0; p < n; ++p) {
    Point x = row(xs, p, 4);
    double value = u(x), lap = 0;
    for (int i = 0; i < 3; ++i)
      lap += second(u, x, i);
    double r = first(u, x, 3) + lap + (1 - value * value) / (1 + value * value);
    expected += r * r / double(n);
  }
  double loss = 0;
  ASSERT_TRUE(program->loss<double>(theta, xs, {}, 0, 0, &loss).ok());
  EXPECT_NEAR(loss, expected, 1e-6 * std::fabs(expected));
}

TEST(LossProgram, BoundaryPointsCountSeparately) {
  ProblemOptions o;
  o.name = "gkdv";
  o.dim = 1;
  o.width = 6;
  o.depth = 3;
  o.points = 3;
  o.dtype = DType::f64;
  auto text = problemModule(o);
  ASSERT_TRUE(text.ok()) << text.error();
  auto program = compileLoss(*text);
  ASSERT_TRUE(program);
  ASSERT_GT(program->maxBoundaryPoints(), 0);
  std::vector<double> theta;
  program->initialize(2, theta);
  std::vector<double> xs = {0.3, 0.2, -1.0, 0.7}, xb = {-4.0, 0.5};
  // The loss is sum_i mean(r_i^2) over the operator values of the same call.
  std::vector<double> values(program->operatorValueCount(2, 1));
  ASSERT_TRUE(program->operatorValues<double>(theta, xs, xb, 0, 0, values).ok());
  auto valuesOf = [&](const std::string &prefix, bool boundary) {
    for (size_t k = 0; k < program->operators().size(); ++k) {
      const OperatorInfo &op = program->operators()[k];
      if (named(op, prefix) && op.boundary == boundary)
        return block(*program, values, k, 2, 1);
    }
    ADD_FAILURE() << "no operator " << prefix;
    return std::vector<double>(2, 0.0);
  };
  auto ut = valuesOf("stde.time_derivative @u", false), u = valuesOf("stde.apply @u", false);
  auto ub = valuesOf("stde.apply @u", true), ube = valuesOf("stde.apply @u_exact", true);
  std::vector<double> uxxx, ux;
  for (size_t k = 0; k < program->operators().size(); ++k)
    if (named(program->operators()[k], "stde.diff @u"))
      (uxxx.empty() ? uxxx : ux) = block(*program, values, k, 2, 1);
  ASSERT_EQ(ux.size(), 2u);
  double expected = 0;
  for (int p = 0; p < 2; ++p) {
    double r = ut[p] + uxxx[p] + u[p] * u[p] * u[p] * ux[p];
    expected += r * r / 2;
  }
  expected += (ub[0] - ube[0]) * (ub[0] - ube[0]);
  double loss = 0;
  ASSERT_TRUE(program->loss<double>(theta, xs, xb, 0, 0, &loss).ok());
  EXPECT_NEAR(loss, expected, 1e-12 * std::fabs(expected));
  // u at the boundary point against the host network: u*(x, 0) + t MLP(x, t).
  double a = std::pow(10.0, 1.0 / 3.0), b = 1.5;
  double exactAtZero = a * std::pow(std::cosh(b * (xb[0] + 0.5)), -2.0 / 3.0);
  EXPECT_NEAR(ub[0], exactAtZero + xb[1] * mlp(program->layers(), theta, {xb[0], xb[1]}), 1e-12);

  // A second boundary point changes only the boundary mean.
  std::vector<double> xb2 = {-4.0, 0.5, 4.0, 0.1};
  double loss2 = 0;
  ASSERT_TRUE(program->loss<double>(theta, xs, xb2, 0, 0, &loss2).ok());
  EXPECT_NE(loss2, loss);
}

TEST(LossProgram, SparseEstimatesAreSubsetSumsAndTheLossUsesThem) {
  AllenCahn problem(Estimator::sparse(2));
  auto program = compileLoss(problem.text());
  ASSERT_TRUE(program);
  std::vector<double> theta;
  program->initialize(4, theta);
  int64_t d = 4, n = 3;
  Function u = [&](const Point &x) {
    double r2 = 0;
    for (double v : x)
      r2 += v * v;
    return (1 - r2) * mlp(program->layers(), theta, x);
  };
  std::vector<double> xs = ballPoints(n, d, 11);
  int lap = find(*program, "stde.laplacian @u");
  int apply = find(*program, "stde.apply @u");
  int source = find(*program, "stde.apply @source");
  ASSERT_GE(lap, 0);
  ASSERT_GE(apply, 0);
  ASSERT_GE(source, 0);
  for (int64_t call : {0, 1, 2}) {
    std::vector<double> values(program->operatorValueCount(n, 0));
    ASSERT_TRUE(program->operatorValues<double>(theta, xs, {}, 9, call, values).ok());
    std::vector<double> estimate = block(*program, values, lap, n, 0);
    std::vector<double> us = block(*program, values, apply, n, 0);
    std::vector<double> fs = block(*program, values, source, n, 0);
    double expected = 0;
    for (int64_t p = 0; p < n; ++p) {
      Point x = row(xs, p, d);
      std::vector<double> uii(d);
      for (int64_t i = 0; i < d; ++i)
        uii[i] = second(u, x, i);
      double best = 1e300;
      for (int64_t i = 0; i < d; ++i)
        for (int64_t j = i + 1; j < d; ++j)
          best = std::min(best, std::fabs(estimate[p] - double(d) / 2 * (uii[i] + uii[j])));
      EXPECT_LT(best, 1e-5 * (1 + std::fabs(estimate[p]))) << "point " << p << " call " << call;
      EXPECT_NEAR(us[p], u(x), 1e-12);
      double r = estimate[p] + us[p] - us[p] * us[p] * us[p] - fs[p];
      expected += r * r / double(n);
    }
    double loss = 0, again = 0;
    ASSERT_TRUE(program->loss<double>(theta, xs, {}, 9, call, &loss).ok());
    ASSERT_TRUE(program->loss<double>(theta, xs, {}, 9, call, &again).ok());
    EXPECT_EQ(loss, again) << "the same (seed, call) draws the same numbers";
    EXPECT_NEAR(loss, expected, 1e-12 * std::fabs(expected));
  }
  // A point keeps its draws whatever the count: the first point alone.
  std::vector<double> all(program->operatorValueCount(n, 0)), one(program->operatorValueCount(1, 0));
  ASSERT_TRUE(program->operatorValues<double>(theta, xs, {}, 9, 0, all).ok());
  std::vector<double> first(xs.begin(), xs.begin() + d);
  ASSERT_TRUE(program->operatorValues<double>(theta, first, {}, 9, 0, one).ok());
  EXPECT_EQ(block(*program, one, lap, 1, 0)[0], block(*program, all, lap, n, 0)[0]);
}

TEST(LossProgram, DenseEstimatesAreQuadraticFormsOfRademacherVectors) {
  AllenCahn problem(Estimator::dense(1));
  problem.options.dim = 3;
  auto program = compileLoss(problem.text());
  ASSERT_TRUE(program);
  std::vector<double> theta;
  program->initialize(6, theta);
  int64_t d = 3, n = 2;
  Function u = [&](const Point &x) {
    double r2 = 0;
    for (double v : x)
      r2 += v * v;
    return (1 - r2) * mlp(program->layers(), theta, x);
  };
  std::vector<double> xs = ballPoints(n, d, 13);
  int lap = find(*program, "stde.laplacian @u");
  ASSERT_GE(lap, 0);
  std::vector<double> values(program->operatorValueCount(n, 0));
  ASSERT_TRUE(program->operatorValues<double>(theta, xs, {}, 1, 4, values).ok());
  std::vector<double> estimate = block(*program, values, lap, n, 0);
  for (int64_t p = 0; p < n; ++p) {
    Point x = row(xs, p, d);
    double h = 1e-3, H[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) {
        if (i == j) {
          H[i][i] = second(u, x, i);
          continue;
        }
        Point a = x, b = x, c = x, e = x;
        a[i] += h, a[j] += h, b[i] += h, b[j] -= h, c[i] -= h, c[j] += h, e[i] -= h, e[j] -= h;
        H[i][j] = (u(a) - u(b) - u(c) + u(e)) / (4 * h * h);
      }
    double best = 1e300;
    for (int signs = 0; signs < 8; ++signs) {
      double v[3], form = 0;
      for (int i = 0; i < 3; ++i)
        v[i] = (signs >> i) & 1 ? -1.0 : 1.0;
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          form += v[i] * H[i][j] * v[j];
      best = std::min(best, std::fabs(estimate[p] - form));
    }
    EXPECT_LT(best, 1e-5 * (1 + std::fabs(estimate[p]))) << "point " << p;
  }
}

TEST(LossProgram, GradientMatchesCentralDifferences) {
  for (Estimator estimator : {Estimator::exact(), Estimator::sparse(2)}) {
    AllenCahn problem(estimator);
    auto program = compileLoss(problem.text());
    ASSERT_TRUE(program);
    std::vector<double> theta, grad(program->numParams());
    program->initialize(8, theta);
    std::vector<double> xs = ballPoints(3, 4, 17);
    double loss = 0;
    ASSERT_TRUE(program->lossAndGradient<double>(theta, xs, {}, 2, 5, &loss, grad).ok());
    double plain = 0;
    ASSERT_TRUE(program->loss<double>(theta, xs, {}, 2, 5, &plain).ok());
    EXPECT_NEAR(loss, plain, 1e-12 * std::fabs(plain));
    std::vector<double> fd(theta.size());
    for (size_t i = 0; i < theta.size(); ++i) {
      double saved = theta[i], h = 1e-5, plus = 0, minus = 0;
      theta[i] = saved + h;
      ASSERT_TRUE(program->loss<double>(theta, xs, {}, 2, 5, &plus).ok());
      theta[i] = saved - h;
      ASSERT_TRUE(program->loss<double>(theta, xs, {}, 2, 5, &minus).ok());
      theta[i] = saved;
      fd[i] = (plus - minus) / (2 * h);
    }
    EXPECT_LT(test::gradientError(grad, fd), 1e-5) << estimator.str();
  }
}

TEST(LossProgram, BadCallsSayWhatToChange) {
  AllenCahn problem(Estimator::exact());
  auto program = compileLoss(problem.text());
  ASSERT_TRUE(program);
  std::vector<double> theta, xs = ballPoints(6, 4, 1), grad(program->numParams());
  program->initialize(1, theta);
  double loss = 0;
  auto message = [](const Status &s) { return s.ok() ? std::string("ok") : s.message(); };
  std::vector<double> shortParams(theta.begin(), theta.end() - 1);
  EXPECT_NE(message(program->loss<double>(shortParams, xs, {}, 0, 0, &loss))
                .find("params must hold numParams() = 79 values, got 78"),
            std::string::npos);
  EXPECT_NE(message(program->loss<double>(theta, xs, {}, 0, 0, &loss))
                .find("6 interior points, more than the 5 the program was compiled for"),
            std::string::npos);
  std::vector<double> none, ragged(xs.begin(), xs.begin() + 6);
  EXPECT_NE(message(program->loss<double>(theta, none, {}, 0, 0, &loss))
                .find("interior must hold n x dim() = n x 4 values with n >= 1, got 0"),
            std::string::npos);
  EXPECT_NE(message(program->loss<double>(theta, ragged, {}, 0, 0, &loss)).find("got 6"),
            std::string::npos);
  std::vector<double> four(xs.begin(), xs.begin() + 4);
  EXPECT_NE(message(program->loss<double>(theta, four, four, 0, 0, &loss))
                .find("takes no boundary points"),
            std::string::npos);
  std::vector<float> single(theta.begin(), theta.end()), singlePoints(4, 0.1f);
  EXPECT_NE(message(program->loss<float>(single, singlePoints, {}, 0, 0, &loss))
                .find("the program computes in f64: pass double buffers"),
            std::string::npos);
  std::vector<double> shortGrad(3);
  EXPECT_NE(message(program->lossAndGradient<double>(theta, four, {}, 0, 0, &loss, shortGrad))
                .find("grad must hold numParams() = 79 values, got 3"),
            std::string::npos);
  std::vector<double> values(2);
  EXPECT_NE(message(program->operatorValues<double>(theta, four, {}, 0, 0, values))
                .find("values must hold operatorValueCount(n, m) = "),
            std::string::npos);
  EXPECT_NE(message(program->loss<double>(theta, four, {}, 0, 0, nullptr)).find("null"),
            std::string::npos);
}

TEST(LossProgram, ProblemsItCannotEvaluateAreErrors) {
  Compiler compiler;
  // Two losses in @loss: the program would not know which to weigh.
  std::string text = AllenCahn(Estimator::exact()).text();
  size_t loss = text.find("stde.loss %"), at = text.find("    return %");
  ASSERT_NE(loss, std::string::npos);
  ASSERT_NE(at, std::string::npos);
  std::string residual = text.substr(loss + 10, text.find(' ', loss + 10) - (loss + 10));
  text.insert(at, "    %second = stde.loss " + residual + " : tensor<5xf64> -> f64\n");
  auto program = compiler.compileLoss(text);
  ASSERT_FALSE(program.ok());
  EXPECT_NE(program.error().find("exactly one stde.loss; it has 2"), std::string::npos)
      << program.error();
}

} // namespace
