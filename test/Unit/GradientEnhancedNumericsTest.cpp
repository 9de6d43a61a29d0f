//===- GradientEnhancedNumericsTest.cpp - gPINN losses against an oracle ---===//
//
// stde.loss with gradient_weights (mean r^2 + g mean |grad_x r|^2) lowered by
// the CPU pipeline on the harness's MLP. The oracle differentiates the
// residual by hand from the multivariate Taylor polynomial of u
// (OperatorHarness.h), which shares nothing with jets: d/dx_j Lap u =
// sum_i u_iij, chain rules written out per residual. Exact losses match to
// 1e-10 relative; sampled coordinates and sampled operators (with the
// unbiased form) have means over seeds within 4 standard errors of the exact
// loss, for one-hot (sparse) and Hutchinson (dense) Laplacians.
//
//===----------------------------------------------------------------------===//
#include "OperatorHarness.h"

#include <cmath>
#include <functional>

namespace {

using namespace operator_test;

constexpr double kGradientWeight = 0.3;

/// A fixed field of the point: f(x) = 0.5 sum_i sin(x_i) + |x|^2.
const char *kSource = R"(
stde.network @f(%x: tensor<3xf64>) -> f64 {
  %s = math.sin %x : tensor<3xf64>
  %sum = stde.sum %s : tensor<3xf64> -> f64
  %half = arith.constant 0.5 : f64
  %a = arith.mulf %half, %sum : f64
  %q = stde.sqnorm %x : tensor<3xf64> -> f64
  %f = arith.addf %a, %q : f64
  stde.return %f : f64
}
)";

/// The oracle's derivatives of u at point n.
struct Oracle {
  const Problem &problem;
  int64_t spatial = 3;
  Derivatives derivatives{problem};
  double d(int64_t n, std::vector<int64_t> alpha) const { return derivatives.at(n, alpha); }
  double u(int64_t n) const { return d(n, {}); }
  double x(int64_t n, int64_t i) const { return problem.points[n * kDim + i]; }
  double lap(int64_t n) const {
    double sum = 0;
    for (int64_t i = 0; i < spatial; ++i)
      sum += d(n, {i, i});
    return sum;
  }
  double lapPartial(int64_t n, int64_t j) const {
    double sum = 0;
    for (int64_t i = 0; i < spatial; ++i)
      sum += d(n, {i, i, j});
    return sum;
  }
  double f(int64_t n) const {
    double sum = 0, q = 0;
    for (int64_t i = 0; i < kDim; ++i) {
      sum += std::sin(x(n, i));
      q += x(n, i) * x(n, i);
    }
    return 0.5 * sum + q;
  }
  double fPartial(int64_t n, int64_t j) const { return 0.5 * std::cos(x(n, j)) + 2 * x(n, j); }
};

/// A residual: its value and its partial d/dx_j at point n.
struct Residual {
  std::function<double(int64_t)> value;
  std::function<double(int64_t, int64_t)> partial;
};

/// mean r^2 + g mean sum_j (d r / dx_j)^2.
double exactLoss(const Residual &r, int64_t spatial) {
  double squares = 0, gradients = 0;
  for (int64_t n = 0; n < kPoints; ++n) {
    squares += r.value(n) * r.value(n);
    for (int64_t j = 0; j < spatial; ++j)
      gradients += r.partial(n, j) * r.partial(n, j);
  }
  return (squares + kGradientWeight * gradients) / double(kPoints);
}

/// The IR of a residual %res (tensor<5xf64>) and its gradient-enhanced loss,
/// broadcast into %r for the harness.
std::string lossOf(const std::string &residual, const std::string &attributes) {
  return residual + "\n  %L = stde.loss %res " + attributes + " : tensor<5xf64> -> f64\n" +
         "  %r = tensor.splat %L : tensor<5xf64>\n";
}

std::string gradientAttributes(const std::string &extra, const std::string &estimator) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, "gradient_weights [%.17g]%s estimator(%s)",
                kGradientWeight, extra.c_str(), estimator.c_str());
  return buffer;
}

/// Sine-Gordon-like: Lap u + sin u - f.
const char *kSineGordon = R"(
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %f = stde.apply @f(%xs) : (tensor<5x3xf64>) -> tensor<5xf64>
  %s = math.sin %u : tensor<5xf64>
  %l = arith.addf %lap, %s : tensor<5xf64>
  %res = arith.subf %l, %f : tensor<5xf64>)";

Residual sineGordon(const Oracle &o) {
  return {[&o](int64_t n) { return o.lap(n) + std::sin(o.u(n)) - o.f(n); },
          [&o](int64_t n, int64_t j) {
            return o.lapPartial(n, j) + std::cos(o.u(n)) * o.d(n, {j}) - o.fPartial(n, j);
          }};
}

/// Allen-Cahn-like: Lap u + u - u^3 - f.
const char *kAllenCahn = R"(
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %f = stde.apply @f(%xs) : (tensor<5x3xf64>) -> tensor<5xf64>
  %u2 = arith.mulf %u, %u : tensor<5xf64>
  %u3 = arith.mulf %u2, %u : tensor<5xf64>
  %a = arith.addf %lap, %u : tensor<5xf64>
  %b = arith.subf %a, %u3 : tensor<5xf64>
  %res = arith.subf %b, %f : tensor<5xf64>)";

Residual allenCahn(const Oracle &o) {
  return {[&o](int64_t n) {
            double u = o.u(n);
            return o.lap(n) + u - u * u * u - o.f(n);
          },
          [&o](int64_t n, int64_t j) {
            double u = o.u(n);
            return o.lapPartial(n, j) + (1 - 3 * u * u) * o.d(n, {j}) - o.fPartial(n, j);
          }};
}

/// Every chain rule: r = D u * exp(u) - tanh(u) / (2 + u^2) + log(3 + u^2)
/// + sqrt(1 + u^2) + (1 + u^2)^1.5 - cos(f), D u = u_01 + 2 u_2 - neg(u).
const char *kChainRules = R"(
  %du = stde.diff @u(%theta, %xs) [1.0 * [0, 1], 2.0 * [2]] : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %f = stde.apply @f(%xs) : (tensor<5x3xf64>) -> tensor<5xf64>
  %nu = arith.negf %u : tensor<5xf64>
  %D = arith.subf %du, %nu : tensor<5xf64>
  %e = math.exp %u : tensor<5xf64>
  %t1 = arith.mulf %D, %e : tensor<5xf64>
  %th = math.tanh %u : tensor<5xf64>
  %u2 = arith.mulf %u, %u : tensor<5xf64>
  %c1 = arith.constant dense<1.0> : tensor<5xf64>
  %c2 = arith.constant dense<2.0> : tensor<5xf64>
  %c3 = arith.constant dense<3.0> : tensor<5xf64>
  %p15 = arith.constant dense<1.5> : tensor<5xf64>
  %den = arith.addf %c2, %u2 : tensor<5xf64>
  %t2 = arith.divf %th, %den : tensor<5xf64>
  %a3 = arith.addf %c3, %u2 : tensor<5xf64>
  %t3 = math.log %a3 : tensor<5xf64>
  %a1 = arith.addf %c1, %u2 : tensor<5xf64>
  %t4 = math.sqrt %a1 : tensor<5xf64>
  %t5 = math.powf %a1, %p15 : tensor<5xf64>
  %t6 = math.cos %f : tensor<5xf64>
  %s1 = arith.subf %t1, %t2 : tensor<5xf64>
  %s2 = arith.addf %s1, %t3 : tensor<5xf64>
  %s3 = arith.addf %s2, %t4 : tensor<5xf64>
  %s4 = arith.addf %s3, %t5 : tensor<5xf64>
  %res = arith.subf %s4, %t6 : tensor<5xf64>)";

Residual chainRules(const Oracle &o) {
  auto D = [&o](int64_t n) { return o.d(n, {0, 1}) + 2 * o.d(n, {2}) + o.u(n); };
  auto dD = [&o](int64_t n, int64_t j) {
    return o.d(n, {0, 1, j}) + 2 * o.d(n, {2, j}) + o.d(n, {j});
  };
  return {[&o, D](int64_t n) {
            double u = o.u(n), q = u * u;
            return D(n) * std::exp(u) - std::tanh(u) / (2 + q) + std::log(3 + q) +
                   std::sqrt(1 + q) + std::pow(1 + q, 1.5) - std::cos(o.f(n));
          },
          [&o, D, dD](int64_t n, int64_t j) {
            double u = o.u(n), q = u * u, uj = o.d(n, {j}), th = std::tanh(u);
            double dq = 2 * u * uj;
            double t1 = dD(n, j) * std::exp(u) + D(n) * std::exp(u) * uj;
            double t2 = ((1 - th * th) * uj * (2 + q) - th * dq) / ((2 + q) * (2 + q));
            double t3 = dq / (3 + q);
            double t4 = dq / (2 * std::sqrt(1 + q));
            double t5 = 1.5 * std::sqrt(1 + q) * dq;
            double t6 = -std::sin(o.f(n)) * o.fPartial(n, j);
            return t1 - t2 + t3 + t4 + t5 - t6;
          }};
}

/// Space-time (x0, x1, t): u_t - Lap_x u, the gradient over x0, x1 only.
const char *kHeat = R"(
  %ut = stde.time_derivative @u(%theta, %xs) order 1 : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %res = arith.subf %ut, %lap : tensor<5xf64>)";

Residual heat(const Oracle &o) {
  return {[&o](int64_t n) { return o.d(n, {2}) - o.lap(n); },
          [&o](int64_t n, int64_t j) { return o.d(n, {2, j}) - o.lapPartial(n, j); }};
}

struct Case {
  const char *name;
  const char *residual;
  std::function<Residual(const Oracle &)> oracle;
  bool spaceTime = false;
};

std::vector<Case> cases() {
  return {{"sine-gordon", kSineGordon, sineGordon},
          {"allen-cahn", kAllenCahn, allenCahn},
          {"every chain rule", kChainRules, chainRules},
          {"space-time", kHeat, heat, true}};
}

double compiledLoss(const CompiledOperator &compiled, const Problem &problem, int64_t seed = 0) {
  return compiled.run(problem.params, problem.points, seed, 3)[0];
}

TEST(GradientEnhancedNumerics, ExactMatchesOracle) {
  Problem problem;
  for (const Case &c : cases()) {
    SCOPED_TRACE(c.name);
    Oracle o{problem, c.spaceTime ? 2 : 3};
    Residual r = c.oracle(o);
    CompiledOperator compiled;
    compiled.compile(kSource + moduleText(lossOf(c.residual, gradientAttributes("", "#stde.exact")),
                                          c.spaceTime));
    if (HasFatalFailure())
      return;
    double want = exactLoss(r, o.spatial);
    EXPECT_NEAR(compiledLoss(compiled, problem), want, 1e-10 * std::abs(want));
    // Without the gradient term: the plain mean of squares.
    Residual plain{r.value, [](int64_t, int64_t) { return 0.0; }};
    CompiledOperator without;
    without.compile(kSource + moduleText(lossOf(c.residual, "estimator(#stde.exact)"),
                                         c.spaceTime));
    if (HasFatalFailure())
      return;
    double squares = exactLoss(plain, o.spatial);
    EXPECT_NEAR(compiledLoss(without, problem), squares, 1e-10 * std::abs(squares));
    EXPECT_GT(std::abs(want - squares), 1e-3 * std::abs(want)) << "the gradient term is not small";
  }
}

/// The loss of case `c` with stde.loss `attributes`, over `seeds` seeds: its
/// mean is within 4 standard errors of the exact gPINN loss.
/// `withTime`: the gradient term includes d/dt (coordinate 2 of the
/// space-time case).
void expectUnbiased(const Case &c, const Problem &problem, const std::string &attributes,
                    int seeds, bool withTime = false) {
  Oracle o{problem, c.spaceTime ? 2 : 3};
  CompiledOperator compiled;
  compiled.compile(kSource + moduleText(lossOf(c.residual, attributes), c.spaceTime));
  if (::testing::Test::HasFatalFailure())
    return;
  double want = exactLoss(c.oracle(o), o.spatial + (withTime ? 1 : 0));
  double mean = 0, square = 0;
  for (int s = 0; s < seeds; ++s) {
    double v = compiledLoss(compiled, problem, 1000 + s);
    mean += v / seeds;
    square += v * v / seeds;
  }
  double variance = (square - mean * mean) * seeds / (seeds - 1);
  double error = std::sqrt(variance / seeds);
  EXPECT_GT(variance, 0.0) << "nothing was sampled";
  EXPECT_NEAR(mean, want, 4 * error) << "standard error " << error;
}

// gradient_time: the partial along t joins the sum, d/dt (u_t - Lap_x u) =
// u_tt - sum_i u_iit, never sampled (weight 1 beside Ds / m for the sampled
// spatial ones).
TEST(GradientEnhancedNumerics, TimePartialMatchesOracle) {
  Problem problem;
  const Case heatCase{"space-time", kHeat, heat, true};
  Oracle o{problem, 2};
  CompiledOperator compiled;
  compiled.compile(kSource + moduleText(lossOf(kHeat, gradientAttributes(" gradient_time",
                                                                         "#stde.exact")),
                                        true));
  if (HasFatalFailure())
    return;
  double want = exactLoss(heat(o), 3), spaceOnly = exactLoss(heat(o), 2);
  EXPECT_NEAR(compiledLoss(compiled, problem), want, 1e-10 * std::abs(want));
  EXPECT_GT(std::abs(want - spaceOnly), 1e-3 * std::abs(want)) << "the t term is not small";
  expectUnbiased(heatCase, problem,
                 "form unbiased " + gradientAttributes(" gradient_samples 1 gradient_time",
                                                       "#stde.sparse<samples = 1>"),
                 1000, /*withTime=*/true);
}

TEST(GradientEnhancedNumerics, SampledCoordinatesAreUnbiased) {
  Problem problem;
  for (const Case &c : cases()) {
    SCOPED_TRACE(c.name);
    expectUnbiased(c, problem, gradientAttributes(" gradient_samples 1", "#stde.exact"), 400);
  }
}

TEST(GradientEnhancedNumerics, SparseOperatorsUnbiasedInTheUnbiasedForm) {
  // Sparse Laplacians (one of 3 or 2 coordinates) and sampled gradient
  // coordinates; the unbiased form multiplies two independent replicas.
  Problem problem;
  for (const Case &c : cases()) {
    SCOPED_TRACE(c.name);
    expectUnbiased(c, problem,
                   "form unbiased " +
                       gradientAttributes(" gradient_samples 2", "#stde.sparse<samples = 1>"),
                   2000);
  }
  // Two Laplacian draws per coordinate j (2 samples, 1 coordinate).
  SCOPED_TRACE("sine-gordon, two draws per j");
  expectUnbiased(cases()[0], problem,
                 "form unbiased " +
                     gradientAttributes(" gradient_samples 1", "#stde.sparse<samples = 2>"),
                 2000);
}

TEST(GradientEnhancedNumerics, DenseLaplacianPartialsUnbiasedInTheUnbiasedForm) {
  // Hutchinson tangents z for the Laplacian and its partials D^3 u[z, z, e_j].
  Problem problem;
  std::vector<Case> withLaplacian = {cases()[0], cases()[1], cases()[3]};
  for (const char *law : {"rademacher", "gaussian"}) {
    for (const Case &c : withLaplacian) {
      SCOPED_TRACE(std::string(c.name) + ", " + law);
      std::string estimator = std::string("#stde.dense<distribution = ") + law + ", samples = 2>";
      expectUnbiased(c, problem,
                     "form unbiased " + gradientAttributes(" gradient_samples 2", estimator),
                     2000);
    }
  }
}

} // namespace
