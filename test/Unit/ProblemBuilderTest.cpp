//===- ProblemBuilderTest.cpp - problems stated in C++ -------------------===//
//
// Through the public API alone: a problem built with ProblemBuilder (every
// kind of column: the Laplacian, a directional derivative, a mixed partial,
// constants, a nonlinearity, a fixed field on boundary points, loss weights)
// compiles, and its loss at caller points equals the loss computed here from
// a host evaluation of the network and central finite differences. Misuse is
// an error from build() that says what to change. (That builder-made and
// file-made modules are the same is test/Tools/problem-library.test and
// test/Examples/problem_builder.test.)
//
//===----------------------------------------------------------------------===//
#include "HostNetwork.h"
#include "stde/stde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace stde;
using test::Function;
using test::Point;

namespace {

Field network() {
  auto u = Field::mlp(3, {5}, ActivationKind::tanh, /*ballAnsatz=*/false);
  EXPECT_TRUE(u.ok()) << u.error();
  return *u;
}

/// g(x) = x0 x1, a fixed field.
Field product() {
  FieldBuilder fb(3);
  Expr x = fb.input();
  Expr x0 = fb.component(x, 0);
  Expr x1 = fb.component(x, 1);
  auto g = fb.build(fb.mul(x0, x1));
  EXPECT_TRUE(g.ok()) << g.error();
  return *g;
}

std::string message(const Expected<std::string> &e) { return e ? "" : e.error(); }

TEST(ProblemBuilder, ABuiltProblemIsTheLossItStates) {
  // r  = 2 (Lap u + grad u . v + 0.5 u_01 - u_22) - sin u     on 4 interior points
  // rb = u - x0 x1                                            on 2 boundary points
  // L  = mean(r^2) + 3 mean(rb^2)
  ProblemBuilder pb(network(), 4);
  pb.field("g", product()).boundaryPoints(2).box({-1, -1, -1}, {1, 1, 1});
  const std::vector<double> v = {1.0, 2.0, -1.0};
  Column lap = pb.laplacian(Estimator::exact());
  Column dv = pb.directional(v);
  Column mix = pb.diff({{0.5, {1, 0}}, {-1.0, {2, 2}}}, Estimator::exact());
  Column sum = pb.add(pb.add(lap, dv), mix);
  Column two = pb.constant(2.0);
  Column scaled = pb.mul(two, sum);
  Column r = pb.sub(scaled, pb.sin(pb.u()));
  Column ub = pb.u(Points::boundary);
  Column g = pb.apply("g", Points::boundary);
  pb.loss({r, pb.sub(ub, g)}, {1.0, 3.0});
  Expected<std::string> text = pb.build();
  ASSERT_TRUE(text.ok()) << text.error();

  Compiler compiler;
  auto program = compiler.compileLoss(*text);
  ASSERT_TRUE(program.ok()) << program.error();
  const LossProgram &p = **program;
  EXPECT_EQ(p.maxPoints(), 4);
  EXPECT_EQ(p.maxBoundaryPoints(), 2);
  std::vector<double> theta;
  p.initialize(3, theta);
  Function u = [&](const Point &x) { return test::mlp(p.layers(), theta, x); };

  // Three of the four interior points, one of the two boundary points.
  std::vector<double> xs = {0.3, -0.2, 0.5, -0.7, 0.1, 0.4, 0.05, 0.6, -0.35};
  std::vector<double> xb = {1.0, 0.25, -0.5};
  double interior = 0;
  for (int k = 0; k < 3; ++k) {
    Point x(xs.begin() + 3 * k, xs.begin() + 3 * k + 3);
    double laplacian = 0, directional = 0;
    for (size_t i = 0; i < 3; ++i) {
      laplacian += test::second(u, x, i);
      directional += v[i] * test::first(u, x, i);
    }
    double mixedTerms = 0.5 * test::mixed(u, x, 0, 1) - test::second(u, x, 2);
    double residual = 2.0 * (laplacian + directional + mixedTerms) - std::sin(u(x));
    interior += residual * residual / 3;
  }
  double rb = u({xb[0], xb[1], xb[2]}) - xb[0] * xb[1];
  double expected = interior + 3.0 * rb * rb;
  double loss = 0;
  ASSERT_TRUE(p.loss<double>(theta, xs, xb, 0, 0, &loss).ok());
  EXPECT_NEAR(loss, expected, 1e-6 * std::fabs(expected));
}

/// The loss of a one-residual problem r = op(pb) - sin u at fixed points.
double lossOf(const std::function<Column(ProblemBuilder &)> &op) {
  ProblemBuilder pb(network(), 3);
  pb.box({-1, -1, -1}, {1, 1, 1});
  Column value = op(pb);
  pb.loss({pb.sub(value, pb.sin(pb.u()))});
  Expected<std::string> text = pb.build();
  EXPECT_TRUE(text.ok()) << text.error();
  if (!text)
    return NAN;
  Compiler compiler;
  auto program = compiler.compileLoss(*text);
  EXPECT_TRUE(program.ok()) << program.error();
  if (!program)
    return NAN;
  std::vector<double> theta;
  (*program)->initialize(5, theta);
  std::vector<double> xs = {0.3, -0.2, 0.5, -0.7, 0.1, 0.4, 0.05, 0.6, -0.35};
  double loss = 0;
  EXPECT_TRUE((*program)->loss<double>(theta, xs, {}, 0, 0, &loss).ok());
  return loss;
}

TEST(ProblemBuilder, DiffusionWithSigmaSqrt2IsTheLaplacian) {
  // (1/2) tr(sigma sigma^T Hess u) = Lap u for sigma = sqrt(2) I, diagonal
  // or full; a drift b adds grad u . b.
  double laplacian = lossOf([](ProblemBuilder &pb) { return pb.laplacian(Estimator::exact()); });
  DiffusionCoefficients diagonal;
  diagonal.sigmaOffset = std::sqrt(2.0);
  DiffusionCoefficients full;
  full.sigmaMatrix = {std::sqrt(2.0), 0, 0, 0, std::sqrt(2.0), 0, 0, 0, std::sqrt(2.0)};
  for (const DiffusionCoefficients &c : {diagonal, full})
    EXPECT_NEAR(lossOf([&](ProblemBuilder &pb) { return pb.diffusion(c, Estimator::exact()); }),
                laplacian, 1e-12 * laplacian);
  std::vector<double> b = {0.5, 0.5, 0.5};
  DiffusionCoefficients drifted = diagonal;
  drifted.driftOffset = 0.5;
  double withDirectional = lossOf([&](ProblemBuilder &pb) {
    Column lap = pb.laplacian(Estimator::exact());
    return pb.add(lap, pb.directional(b));
  });
  EXPECT_NEAR(
      lossOf([&](ProblemBuilder &pb) { return pb.diffusion(drifted, Estimator::exact()); }),
      withDirectional, 1e-12 * withDirectional);
}

TEST(ProblemBuilder, DiffusionAndGradNormMatchFiniteDifferences) {
  // r = diffusion(sigma_i = 0.5 x_i + 1, b_i = -x_i) + 0.3 |grad u|^2 - sin u.
  ProblemBuilder pb(network(), 3);
  pb.box({-1, -1, -1}, {1, 1, 1});
  DiffusionCoefficients c;
  c.sigmaScale = 0.5;
  c.sigmaOffset = 1.0;
  c.driftScale = -1.0;
  Column generator = pb.diffusion(c, Estimator::exact());
  Column norm = pb.gradNorm(2.0, Estimator::exact());
  Column r = pb.sub(pb.add(generator, pb.mul(pb.constant(0.3), norm)), pb.sin(pb.u()));
  pb.loss({r});
  Expected<std::string> text = pb.build();
  ASSERT_TRUE(text.ok()) << text.error();
  Compiler compiler;
  auto program = compiler.compileLoss(*text);
  ASSERT_TRUE(program.ok()) << program.error();
  std::vector<double> theta;
  (*program)->initialize(2, theta);
  Function u = [&](const Point &x) { return test::mlp((*program)->layers(), theta, x); };
  std::vector<double> xs = {0.3, -0.2, 0.5, -0.7, 0.1, 0.4, 0.05, 0.6, -0.35};
  double expected = 0;
  for (int k = 0; k < 3; ++k) {
    Point x(xs.begin() + 3 * k, xs.begin() + 3 * k + 3);
    double value = 0;
    for (size_t i = 0; i < 3; ++i) {
      double sigma = 0.5 * x[i] + 1.0, ui = test::first(u, x, i);
      value += 0.5 * sigma * sigma * test::second(u, x, i) - x[i] * ui + 0.3 * ui * ui;
    }
    double residual = value - std::sin(u(x));
    expected += residual * residual / 3;
  }
  double loss = 0;
  ASSERT_TRUE((*program)->loss<double>(theta, xs, {}, 0, 0, &loss).ok());
  EXPECT_NEAR(loss, expected, 1e-6 * std::fabs(expected));
}

TEST(ProblemBuilder, GradientEnhancedLossMatchesFiniteDifferences) {
  // r = Lap u - sin u - x0 x1, plus 0.4 |grad_x r|^2 (gPINN).
  ProblemBuilder pb(network(), 3);
  pb.field("source", product()).box({-1, -1, -1}, {1, 1, 1});
  Column r = pb.sub(pb.sub(pb.laplacian(Estimator::exact()), pb.sin(pb.u())), pb.apply("source"));
  pb.loss({r}).gradientEnhanced({0.4});
  Expected<std::string> text = pb.build();
  ASSERT_TRUE(text.ok()) << text.error();
  EXPECT_NE(text->find("gradient_weights [4.000000e-01]"), std::string::npos) << *text;
  Compiler compiler;
  auto program = compiler.compileLoss(*text);
  ASSERT_TRUE(program.ok()) << program.error();
  std::vector<double> theta;
  (*program)->initialize(2, theta);
  Function u = [&](const Point &x) { return test::mlp((*program)->layers(), theta, x); };
  Function residual = [&](const Point &x) {
    double lap = 0;
    for (size_t i = 0; i < 3; ++i)
      lap += test::second(u, x, i);
    return lap - std::sin(u(x)) - x[0] * x[1];
  };
  std::vector<double> xs = {0.3, -0.2, 0.5, -0.7, 0.1, 0.4, 0.05, 0.6, -0.35};
  double expected = 0;
  for (int k = 0; k < 3; ++k) {
    Point x(xs.begin() + 3 * k, xs.begin() + 3 * k + 3);
    double value = residual(x), gradient = 0;
    for (size_t j = 0; j < 3; ++j) {
      double partial = test::first(residual, x, j, 1e-3);
      gradient += partial * partial;
    }
    expected += (value * value + 0.4 * gradient) / 3;
  }
  double loss = 0;
  ASSERT_TRUE((*program)->loss<double>(theta, xs, {}, 0, 0, &loss).ok());
  EXPECT_NEAR(loss, expected, 1e-5 * std::fabs(expected));
}

TEST(ProblemBuilder, TheDefaultEstimatorIsTyped) {
  ProblemBuilder pb(network(), 2);
  Column r = pb.laplacian(); // no estimator here nor on the loss
  pb.loss({r});
  Expected<std::string> text = pb.build();
  ASSERT_TRUE(text.ok()) << text.error();
  Compiler compiler;
  auto exact = compiler.compileLoss(*text);
  LossSpec spec;
  spec.defaultEstimator = Estimator::sparse(2);
  auto sparse = compiler.compileLoss(*text, spec);
  ASSERT_TRUE(exact.ok()) << exact.error();
  ASSERT_TRUE(sparse.ok()) << sparse.error();
  EXPECT_NE((*exact)->operators()[0].name.find("#stde.exact"), std::string::npos)
      << (*exact)->operators()[0].name;
  EXPECT_NE((*sparse)->operators()[0].name.find("#stde.sparse<samples = 2>"), std::string::npos)
      << (*sparse)->operators()[0].name;
}

TEST(ProblemBuilder, MisuseIsAnErrorThatSaysWhatToChange) {
  auto fresh = [] { return ProblemBuilder(network(), 4); };
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.apply("source")});
    EXPECT_NE(message(pb.build()).find("no field named 'source'"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.boundaryPoints(2);
    pb.loss({pb.add(pb.u(), pb.u(Points::boundary))});
    EXPECT_NE(message(pb.build()).find("boundary points"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.u(Points::boundary)});
    EXPECT_NE(message(pb.build()).find("call boundaryPoints first"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.diff({{1.0, {0, 3}}})});
    EXPECT_NE(message(pb.build()).find("coordinate 3 is outside 0..2"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.timeDerivative()});
    EXPECT_NE(message(pb.build()).find("call spaceTime()"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.u()}, {1.0, 2.0});
    EXPECT_NE(message(pb.build()).find("2 weights for 1 residuals"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.gradientEnhanced({0.1});
    pb.loss({pb.u()});
    EXPECT_NE(message(pb.build()).find("gradientEnhanced: call loss() first"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.u()}).gradientEnhanced({0.1, 0.2});
    EXPECT_NE(message(pb.build()).find("2 gradient weights for 1 residuals"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.unbiasedLoss();
    pb.loss({pb.u()});
    EXPECT_NE(message(pb.build()).find("unbiasedLoss: call loss() first"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.u()}).gradientEnhanced({-0.1});
    EXPECT_NE(message(pb.build()).find("gradientEnhanced: weights must be finite and >= 0"),
              std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.u();
    EXPECT_NE(message(pb.build()).find("no loss"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.field("u_exact", network());
    pb.loss({pb.u()});
    EXPECT_NE(message(pb.build()).find("fixed fields take only the point"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.laplacian(Estimator::sparse(0))});
    EXPECT_NE(message(pb.build()).find("samples >= 1"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    DiffusionCoefficients c;
    c.sigmaMatrix = {1.0, 0.0, 0.0, 1.0};
    pb.loss({pb.diffusion(c)});
    EXPECT_NE(message(pb.build()).find("sigmaMatrix needs 9 entries"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.gradNorm(1.5, Estimator::dense(4))});
    EXPECT_NE(message(pb.build()).find("dense random tangents estimate |grad u|^2 only"),
              std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.gradNorm(0.5)});
    EXPECT_NE(message(pb.build()).find("power must be a finite number >= 1"), std::string::npos);
  }
  {
    ProblemBuilder pb = fresh();
    pb.loss({pb.directional({1.0})});
    EXPECT_NE(message(pb.build()).find("needs 3 entries"), std::string::npos);
  }
  {
    ProblemBuilder pb(network(), 0);
    pb.loss({pb.u()});
    EXPECT_NE(message(pb.build()).find("at least one interior point"), std::string::npos);
  }
  {
    // A column of another builder.
    ProblemBuilder other = fresh(), pb = fresh();
    Column foreign = other.u();
    other.u();
    pb.loss({pb.add(foreign, Column())});
    EXPECT_NE(message(pb.build()).find("not a column of this builder"), std::string::npos);
  }
}

} // namespace
