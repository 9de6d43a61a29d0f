//===- SpaceTimeTrainingTest.cpp - domains and space-time problems --------===//
//
// Through the public API alone (libstde), in f64:
//  - each domain's sampler puts the step's points where the domain says
//    (ball and sphere, the Brownian law of (x, t), box and its faces), and the
//    same (seed, step) gives the same points;
//  - the compiled losses of semilinear-heat and gkdv against the loss
//    computed here from the step's points, with the network evaluated on the
//    host and its derivatives by central differences in double precision;
//  - the gKdV soliton against its PDE by finite differences (the formula in
//    SpaceTimeProblems.cpp, checked independently);
//  - the reference-point error against u(0, 0) computed here;
//  - problem modules that break the contract get errors naming the fix.
//
//===----------------------------------------------------------------------===//
#include "HostEvaluation.h"
#include "SmallProblems.h"
#include "stde/stde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace stde;

namespace {

using test::hostMLP;
using test::norm2;
using test::partial;
using test::Point;
using test::sample;
using test::Sampled;

std::shared_ptr<const TrainingProgram> compileProblem(const std::string &name, int64_t dim,
                                                      int64_t points) {
  return test::compileSmall({name, dim, points});
}

constexpr double kHeatHorizon = 0.3; // docs/MATH.md section 5

TEST(Domains, BrownianPointsFollowTheLawOfSqrt2W) {
  auto program = compileProblem("semilinear-heat", 4, 400);
  ASSERT_TRUE(program);
  EXPECT_EQ(program->dim(), 5);
  EXPECT_EQ(program->spatialDim(), 4);
  EXPECT_EQ(program->boundaryPoints(), 0);
  Sampled s = sample(*program, 3, 7);
  double ratio = 0.0, time = 0.0;
  for (const Point &x : s.interior) {
    double t = x[4];
    ASSERT_GT(t, 0.0);
    ASSERT_LT(t, kHeatHorizon);
    ratio += norm2(x, 4) / (2.0 * t * 4.0); // E |x|^2 = 2 t d
    time += t;
  }
  ratio /= double(s.interior.size());
  time /= double(s.interior.size());
  EXPECT_NEAR(ratio, 1.0, 0.15);                 // 4 sigma of the sample mean
  EXPECT_NEAR(time, kHeatHorizon / 2, 0.02);     // t ~ U(0, T)
  Sampled again = sample(*program, 3, 7), next = sample(*program, 3, 8);
  EXPECT_EQ(s.interior, again.interior);
  EXPECT_NE(s.interior, next.interior);
}

TEST(Domains, BoxPointsAndFaces) {
  auto program = compileProblem("gkdv", 1, 200);
  ASSERT_TRUE(program);
  ASSERT_EQ(program->boundaryPoints(), 40);
  Sampled s = sample(*program, 1, 0);
  double meanX = 0.0;
  for (const Point &x : s.interior) {
    EXPECT_TRUE(x[0] >= -4.0 && x[0] <= 4.0 && x[1] >= 0.0 && x[1] <= 1.0);
    meanX += x[0] / double(s.interior.size());
  }
  EXPECT_NEAR(meanX, 0.0, 0.7); // U(-4, 4): sd of the mean 0.16
  int lower = 0, upper = 0;
  for (const Point &x : s.boundary) {
    lower += x[0] == -4.0;
    upper += x[0] == 4.0;
    EXPECT_TRUE(x[1] >= 0.0 && x[1] <= 1.0);
  }
  EXPECT_EQ(lower + upper, 40);
  EXPECT_GT(lower, 5);
  EXPECT_GT(upper, 5);
}

/// A linear network on the unit ball whose loss takes boundary points:
/// L = mean u(xs)^2 + 3 mean u(xb)^2.
const char *kBallWithBoundary = R"mlir(
module attributes {stde.domain = "unit_ball"} {
stde.network @u(%theta: tensor<4xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<4xf64>) -> tensor<1xf64>
  %u = stde.sum %h : tensor<1xf64> -> f64
  stde.return %u : f64
}
func.func @loss(%theta: tensor<4xf64>, %xs: tensor<300x3xf64>, %xb: tensor<50x3xf64>) -> f64 {
  %u = stde.apply @u(%theta, %xs) : (tensor<4xf64>, tensor<300x3xf64>) -> tensor<300xf64>
  %ub = stde.apply @u(%theta, %xb) : (tensor<4xf64>, tensor<50x3xf64>) -> tensor<50xf64>
  %L = stde.loss %u, %ub weights [1.0, 3.0] : tensor<300xf64>, tensor<50xf64> -> f64
  return %L : f64
}
}
)mlir";

TEST(Domains, BallInteriorAndSphereAndTheBoundaryTermOfTheLoss) {
  Compiler compiler;
  auto program = compiler.compileTraining(kBallWithBoundary, {});
  ASSERT_TRUE(program.ok()) << program.error();
  const TrainingProgram &p = **program;
  ASSERT_EQ(p.boundaryPoints(), 50);
  Sampled s = sample(p, 2, 5);
  double meanRadius = 0.0;
  for (const Point &x : s.interior) {
    double r = std::sqrt(norm2(x, 3));
    EXPECT_LE(r, 1.0);
    meanRadius += r / double(s.interior.size());
  }
  EXPECT_NEAR(meanRadius, 0.5, 0.07); // radius ~ U(0, 1), not uniform in volume (0.75)
  for (const Point &x : s.boundary)
    EXPECT_NEAR(norm2(x, 3), 1.0, 1e-12);

  std::vector<double> theta{0.3, -0.7, 0.2, 0.1}, grad(4);
  double loss = 0.0;
  ASSERT_TRUE(p.lossAndGradient(theta.data(), 2, 5, &loss, grad.data()).ok());
  auto u = [&](const Point &x) { return theta[0] * x[0] + theta[1] * x[1] + theta[2] * x[2] + theta[3]; };
  double interior = 0.0, boundary = 0.0;
  for (const Point &x : s.interior)
    interior += u(x) * u(x) / 300.0;
  for (const Point &x : s.boundary)
    boundary += u(x) * u(x) / 50.0;
  EXPECT_NEAR(loss, interior + 3.0 * boundary, 1e-12);
}

TEST(SpaceTimeProblems, GkdvSolitonSolvesItsPDE) {
  ProblemOptions o;
  o.name = "gkdv";
  o.dim = 1;
  auto u = [&](const Point &y) { return exactValues(o, y)->u; };
  for (Point x : {Point{-1.0, 0.2}, Point{0.3, 0.5}, Point{1.7, 0.9}}) {
    double ut = partial(u, x, 1, 1, 1e-5), ux = partial(u, x, 0, 1, 1e-5);
    double uxxx = partial(u, x, 0, 3, 1e-3), v = u(x);
    double residual = ut + v * v * v * ux + uxxx;
    EXPECT_NEAR(residual, 0.0, 1e-5 * (std::fabs(ut) + std::fabs(uxxx))) << x[0] << ", " << x[1];
    EXPECT_GT(std::fabs(ut), 0.05); // a moving wave, not a trivial zero
  }
}

TEST(SpaceTimeProblems, HeatLossMatchesFiniteDifferencesAtTheStepsPoints) {
  auto program = compileProblem("semilinear-heat", 3, 5);
  ASSERT_TRUE(program);
  std::vector<double> theta, grad(program->numParams());
  program->initialize(4, theta);
  double loss = 0.0;
  ASSERT_TRUE(program->lossAndGradient(theta.data(), 4, 2, &loss, grad.data()).ok());
  auto u = [&](const Point &x) {
    double g = 5.0 / (10.0 + 2.0 * norm2(x, 3)); // the terminal data, docs/MATH.md
    return g + (kHeatHorizon - x[3]) * hostMLP(*program, theta, x);
  };
  double expected = 0.0;
  Sampled s = sample(*program, 4, 2);
  for (const Point &x : s.interior) {
    double lap = 0.0;
    for (size_t j = 0; j < 3; ++j)
      lap += partial(u, x, j, 2, 1e-4);
    double v = u(x), r = partial(u, x, 3, 1, 1e-5) + lap + (1 - v * v) / (1 + v * v);
    expected += r * r / double(s.interior.size());
  }
  EXPECT_NEAR(loss, expected, 1e-6 * expected);
}

TEST(SpaceTimeProblems, GkdvLossMatchesFiniteDifferencesAtTheStepsPoints) {
  auto program = compileProblem("gkdv", 1, 6);
  ASSERT_TRUE(program);
  ProblemOptions o;
  o.name = "gkdv";
  o.dim = 1;
  auto exact = [&](double x, double t) { return exactValues(o, {x, t})->u; };
  std::vector<double> theta, grad(program->numParams());
  program->initialize(9, theta);
  double loss = 0.0;
  ASSERT_TRUE(program->lossAndGradient(theta.data(), 9, 1, &loss, grad.data()).ok());
  auto u = [&](const Point &x) { return exact(x[0], 0.0) + x[1] * hostMLP(*program, theta, x); };
  Sampled s = sample(*program, 9, 1);
  double interior = 0.0, boundary = 0.0;
  for (const Point &x : s.interior) {
    double v = u(x), r = partial(u, x, 1, 1, 1e-5) + v * v * v * partial(u, x, 0, 1, 1e-5) +
                         partial(u, x, 0, 3, 1e-3);
    interior += r * r / double(s.interior.size());
  }
  for (const Point &x : s.boundary) {
    double r = u(x) - exact(x[0], x[1]);
    boundary += r * r / double(s.boundary.size());
  }
  EXPECT_NEAR(loss, interior + boundary, 1e-5 * (interior + boundary));
}

TEST(SpaceTimeProblems, HeatErrorIsMeasuredAtTheOriginAgainstMathMd) {
  auto program = compileProblem("semilinear-heat", 10, 4);
  ASSERT_TRUE(program);
  EXPECT_EQ(program->errorMetric(), ErrorMetric::referencePoint);
  std::vector<double> theta;
  program->initialize(1, theta);
  TestError e{};
  ASSERT_TRUE(program->testError(theta.data(), 0, 20000, &e).ok());
  Point origin(11, 0.0);
  double u0 = 5.0 / 10.0 + kHeatHorizon * hostMLP(*program, theta, origin);
  EXPECT_EQ(e.points, 1);
  EXPECT_NEAR(e.value, u0, 1e-12);
  EXPECT_NEAR(e.relL2, std::fabs(u0 - 0.47006) / 0.47006, 1e-12);

  auto other = compileProblem("semilinear-heat", 7, 4); // no reference value for d = 7
  ASSERT_TRUE(other);
  EXPECT_EQ(other->errorMetric(), ErrorMetric::none);
  EXPECT_FALSE(other->testError(theta.data(), 0, 10, &e).ok());
}

/// A space-time module with the given module attributes, network attributes
/// and extra text; the loss takes `lossArgs` after theta.
std::string module(const std::string &moduleAttrs, const std::string &networkAttrs,
                   const std::string &extra = "",
                   const std::string &lossArgs = "%xs: tensor<4x2xf64>") {
  return "module attributes {" + moduleAttrs + R"mlir(} {
stde.network @u(%theta: tensor<3xf64>, %x: tensor<2xf64>) -> f64 )mlir" + networkAttrs + R"mlir( {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<3xf64>) -> tensor<1xf64>
  %u = stde.sum %h : tensor<1xf64> -> f64
  stde.return %u : f64
}
func.func @loss(%theta: tensor<3xf64>, )mlir" + lossArgs + R"mlir() -> f64 {
  %u = stde.apply @u(%theta, %xs) : (tensor<3xf64>, tensor<4x2xf64>) -> tensor<4xf64>
  %L = stde.loss %u : tensor<4xf64> -> f64
  return %L : f64
}
)mlir" + extra + "}\n";
}

TEST(Domains, ContractViolationsSayWhatToChange) {
  const std::string st = "attributes {space_time}";
  const std::string exact = R"mlir(stde.network @u_exact(%x: tensor<2xf64>) -> f64 attributes {space_time} {
  %s = stde.sum %x : tensor<2xf64> -> f64
  stde.return %s : f64
}
)mlir";
  struct Case {
    std::string text, expected;
  } cases[] = {
      {module("stde.domain = \"brownian\"", st), "stde.horizon"},
      {module("stde.domain = \"brownian\", stde.horizon = 0.3 : f64", ""), "space_time"},
      {module("stde.domain = \"unit_ball\"", st), "\"brownian\", \"gaussian\" or \"box\""},
      {module("stde.domain = \"gaussian\"", st), "stde.horizon"},
      {module("stde.domain = \"gaussian\", stde.horizon = 1.0 : f64", ""), "space_time"},
      {module("stde.domain = \"gaussian\", stde.horizon = 1.0 : f64, stde.scale = -1.0 : f64", st),
       "`stde.scale` (the standard deviation of x) must be positive"},
      {module("stde.domain = \"box\", stde.lower = array<f64: 0.0>, stde.upper = array<f64: 1.0, 1.0>",
              st),
       "stde.lower = array<f64: ...>` with 2 entries"},
      {module("stde.domain = \"box\", stde.lower = array<f64: 0.0, 1.0>, stde.upper = array<f64: "
              "1.0, 1.0>",
              st),
       "stde.lower < stde.upper"},
      {module("stde.domain = \"torus\"", st), "unknown domain 'torus'"},
      {module("stde.domain = \"brownian\", stde.horizon = 0.3 : f64, stde.reference = {value = "
              "0.5 : f64}",
              st, exact),
       "either @u_exact or stde.reference"},
      {module("stde.domain = \"brownian\", stde.horizon = 0.3 : f64, stde.reference = {point = "
              "array<f64: 0.0, 0.0>}",
              st),
       "float `value`"},
      {module("stde.domain = \"brownian\", stde.horizon = 0.3 : f64, stde.reference = {value = "
              "0.5 : f64, point = array<f64: 0.0>}",
              st),
       "with 2 entries"},
      {module("stde.domain = \"brownian\", stde.horizon = 0.3 : f64", st, "",
              "%xs: tensor<4x2xf64>, %xb: tensor<3x5xf64>"),
       "@loss must have the signature"},
  };
  Compiler compiler;
  for (const Case &c : cases) {
    auto program = compiler.compileTraining(c.text, {});
    ASSERT_FALSE(program.ok()) << c.text;
    EXPECT_NE(program.error().find(c.expected), std::string::npos)
        << "expected '" << c.expected << "' in:\n"
        << program.error();
  }
}

} // namespace
