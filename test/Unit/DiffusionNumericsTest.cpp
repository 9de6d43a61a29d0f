//===- DiffusionNumericsTest.cpp - diffusion generators and gradient norms -===//
//
// stde.diffusion ((1/2) tr(sigma sigma^T Hess u) + b . grad u) and
// stde.grad_norm (sum_i |u_i|^p) lowered by the CPU pipeline on the harness's
// MLP, sigma and b computed in the IR from the points. Exact estimators match
// the multivariate Taylor oracle (OperatorHarness.h) to 1e-10 relative;
// random ones have means over 2000 seeds within 4 standard errors of the
// exact value and the variance their theory predicts.
//
//===----------------------------------------------------------------------===//
#include "OperatorHarness.h"
#include "Compare.h"

#include <cmath>
#include <functional>

namespace {

using namespace operator_test;

// sigma and b as functions of the point, in the IR and in the oracle.
constexpr double kSigmaScale = 0.7, kSigmaOffset = 0.3;
constexpr double kDriftScale = 0.5, kDriftOffset = -0.2;
// The full sigma: sigma[k][j] = kFullScale x_j + kFullConstant[k][j].
constexpr double kFullScale = 0.3;
constexpr double kFullConstant[3][3] = {{0.9, -0.2, 0.1}, {0.3, 0.6, -0.4}, {0.0, 0.5, 1.1}};

/// out[n, i] = a x[n, i] + c, as IR.
std::string affineOfPoints(const std::string &name, double a, double c) {
  char buffer[1024];
  std::snprintf(buffer, sizeof buffer, R"(
  %%%s_init = tensor.empty() : tensor<5x3xf64>
  %%%s = linalg.generic {indexing_maps = [affine_map<(n, i) -> (n, i)>, affine_map<(n, i) -> (n, i)>],
      iterator_types = ["parallel", "parallel"]} ins(%%xs : tensor<5x3xf64>) outs(%%%s_init : tensor<5x3xf64>) {
  ^bb0(%%x: f64, %%o: f64):
    %%a = arith.constant %.17g : f64
    %%c = arith.constant %.17g : f64
    %%ax = arith.mulf %%a, %%x : f64
    %%v = arith.addf %%ax, %%c : f64
    linalg.yield %%v : f64
  } -> tensor<5x3xf64>
)", name.c_str(), name.c_str(), name.c_str(), a, c);
  return buffer;
}

/// sigma[n, k, j] = kFullScale x[n, j] + kFullConstant[k][j], as IR.
std::string fullSigma() {
  std::string constant = "dense<[";
  for (int k = 0; k < 3; ++k) {
    constant += k ? ", [" : "[";
    for (int j = 0; j < 3; ++j)
      constant += (j ? ", " : "") + std::to_string(kFullConstant[k][j]);
    constant += "]";
  }
  constant += "]>";
  return R"(
  %c = arith.constant )" + constant + R"( : tensor<3x3xf64>
  %full_init = tensor.empty() : tensor<5x3x3xf64>
  %full = linalg.generic {indexing_maps = [affine_map<(n, k, j) -> (n, j)>, affine_map<(n, k, j) -> (k, j)>,
      affine_map<(n, k, j) -> (n, k, j)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%xs, %c : tensor<5x3xf64>, tensor<3x3xf64>) outs(%full_init : tensor<5x3x3xf64>) {
  ^bb0(%x: f64, %ckj: f64, %o: f64):
    %a = arith.constant )" + std::to_string(kFullScale) + R"( : f64
    %ax = arith.mulf %a, %x : f64
    %v = arith.addf %ax, %ckj : f64
    linalg.yield %v : f64
  } -> tensor<5x3x3xf64>
)";
}

std::string diffusion(const std::string &sigma, const std::string &sigmaType, bool drift,
                      const std::string &estimator) {
  std::string operands = "(tensor<113xf64>, tensor<5x3xf64>, " + sigmaType +
                         (drift ? ", tensor<5x3xf64>" : "") + ")";
  return "%r = stde.diffusion @u(%theta, %xs) sigma(" + sigma + ")" +
         (drift ? " drift(%b)" : "") + " estimator(" + estimator + ") : " + operands +
         " -> tensor<5xf64>";
}

std::string gradNorm(double power, const std::string &estimator) {
  return "%r = stde.grad_norm @u(%theta, %xs) power " + std::to_string(power) +
         " estimator(" + estimator + ") : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>";
}

/// The oracle's derivatives at every point.
struct Oracle {
  Problem &problem;
  Derivatives derivatives{problem};
  double hessian(int64_t n, int64_t i, int64_t j) const { return derivatives.at(n, {i, j}); }
  double gradient(int64_t n, int64_t i) const { return derivatives.at(n, {i}); }
  double x(int64_t n, int64_t i) const { return problem.points[n * kDim + i]; }
  /// sigma at point n (full, or the diagonal written as a matrix).
  std::array<std::array<double, 3>, 3> sigma(int64_t n, bool full) const {
    std::array<std::array<double, 3>, 3> s{};
    for (int k = 0; k < 3; ++k)
      for (int j = 0; j < 3; ++j)
        s[k][j] = full ? kFullScale * x(n, j) + kFullConstant[k][j]
                       : (k == j ? kSigmaScale * x(n, k) + kSigmaOffset : 0.0);
    return s;
  }
  /// A = (1/2) sigma^T H sigma: the parabolic part is tr A, a random
  /// tangent z gives z^T A z.
  std::array<std::array<double, 3>, 3> halfQuadratic(int64_t n, bool full) const {
    auto s = sigma(n, full);
    std::array<std::array<double, 3>, 3> a{};
    for (int p = 0; p < 3; ++p)
      for (int q = 0; q < 3; ++q)
        for (int k = 0; k < 3; ++k)
          for (int l = 0; l < 3; ++l)
            a[p][q] += 0.5 * s[k][p] * hessian(n, k, l) * s[l][q];
    return a;
  }
  double generator(int64_t n, bool full, bool drift) const {
    auto a = halfQuadratic(n, full);
    double value = a[0][0] + a[1][1] + a[2][2];
    if (drift)
      for (int k = 0; k < 3; ++k)
        value += (kDriftScale * x(n, k) + kDriftOffset) * gradient(n, k);
    return value;
  }
  double gradNorm(int64_t n, double power) const {
    double sum = 0;
    for (int k = 0; k < 3; ++k)
      sum += std::pow(std::abs(gradient(n, k)), power);
    return sum;
  }
};

/// Variance of z^T A z (A symmetric): Gaussian 2|A|_F^2, Rademacher the
/// same without the diagonal.
double quadraticVariance(const std::array<std::array<double, 3>, 3> &a, bool gaussian) {
  double v = 0;
  for (int p = 0; p < 3; ++p)
    for (int q = 0; q < 3; ++q)
      if (gaussian || p != q)
        v += 2 * a[p][q] * a[p][q];
  return v;
}

std::string prelude() {
  return affineOfPoints("s", kSigmaScale, kSigmaOffset) +
         affineOfPoints("b", kDriftScale, kDriftOffset) + fullSigma();
}

struct Case {
  const char *name;
  std::string op;
  std::function<double(int64_t)> exact;
  std::function<double(int64_t)> variance; // random cases only
};

TEST(DiffusionNumerics, ExactMatchesOracle) {
  Problem problem;
  Oracle o{problem};
  std::vector<Case> cases = {
      {"diagonal sigma with drift", diffusion("%s", "tensor<5x3xf64>", true, "#stde.exact"),
       [&](int64_t n) { return o.generator(n, false, true); }},
      {"full sigma", diffusion("%full", "tensor<5x3x3xf64>", false, "#stde.exact"),
       [&](int64_t n) { return o.generator(n, true, false); }},
      {"full sigma with drift", diffusion("%full", "tensor<5x3x3xf64>", true, "#stde.exact"),
       [&](int64_t n) { return o.generator(n, true, true); }},
      {"|grad u|^2", gradNorm(2.0, "#stde.exact"), [&](int64_t n) { return o.gradNorm(n, 2.0); }},
      {"sum |u_i|", gradNorm(1.0, "#stde.exact"), [&](int64_t n) { return o.gradNorm(n, 1.0); }},
      {"sum |u_i|^1.75", gradNorm(1.75, "#stde.exact"),
       [&](int64_t n) { return o.gradNorm(n, 1.75); }},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    CompiledOperator compiled;
    compiled.compile(moduleText(prelude() + "  " + c.op, false));
    if (HasFatalFailure())
      return;
    std::vector<double> got = compiled.run(problem.params, problem.points);
    std::vector<double> want;
    for (int64_t n = 0; n < kPoints; ++n)
      want.push_back(c.exact(n));
    double scale = stde::test::maxAbs(want);
    for (int64_t n = 0; n < kPoints; ++n)
      EXPECT_NEAR(got[n], want[n], 1e-10 * scale) << "point " << n;
  }
}

TEST(DiffusionNumerics, RandomEstimatorsAreUnbiased) {
  Problem problem;
  Oracle o{problem};
  const int seeds = 2000;
  auto diagonalTerms = [&](int64_t n) {
    auto a = o.halfQuadratic(n, false);
    return std::vector<double>{a[0][0], a[1][1], a[2][2]};
  };
  auto gradientPowers = [&](int64_t n, double power) {
    std::vector<double> v;
    for (int k = 0; k < 3; ++k)
      v.push_back(std::pow(std::abs(o.gradient(n, k)), power));
    return v;
  };
  auto gradientOuter = [&](int64_t n) {
    std::array<std::array<double, 3>, 3> g{};
    for (int p = 0; p < 3; ++p)
      for (int q = 0; q < 3; ++q)
        g[p][q] = o.gradient(n, p) * o.gradient(n, q);
    return g;
  };
  std::vector<Case> cases = {
      {"diagonal sparse |J|=2 with drift",
       diffusion("%s", "tensor<5x3xf64>", true, "#stde.sparse<samples = 2>"),
       [&](int64_t n) { return o.generator(n, false, true); },
       [&](int64_t n) { return withoutReplacement(diagonalTerms(n), 2); }},
      {"full sparse |J|=1",
       diffusion("%full", "tensor<5x3x3xf64>", false, "#stde.sparse<samples = 1>"),
       [&](int64_t n) { return o.generator(n, true, false); },
       [&](int64_t n) {
         auto a = o.halfQuadratic(n, true);
         return withoutReplacement({a[0][0], a[1][1], a[2][2]}, 1);
       }},
      {"diagonal Rademacher S=2",
       diffusion("%s", "tensor<5x3xf64>", false,
                 "#stde.dense<distribution = rademacher, samples = 2>"),
       [&](int64_t n) { return o.generator(n, false, false); },
       [&](int64_t n) { return quadraticVariance(o.halfQuadratic(n, false), false) / 2; }},
      {"full Gaussian S=2 with drift",
       diffusion("%full", "tensor<5x3x3xf64>", true,
                 "#stde.dense<distribution = gaussian, samples = 2>"),
       [&](int64_t n) { return o.generator(n, true, true); },
       [&](int64_t n) { return quadraticVariance(o.halfQuadratic(n, true), true) / 2; }},
      {"sum |u_i|^1.75 sparse |J|=2", gradNorm(1.75, "#stde.sparse<samples = 2>"),
       [&](int64_t n) { return o.gradNorm(n, 1.75); },
       [&](int64_t n) { return withoutReplacement(gradientPowers(n, 1.75), 2); }},
      {"|grad u|^2 Rademacher S=2",
       gradNorm(2.0, "#stde.dense<distribution = rademacher, samples = 2>"),
       [&](int64_t n) { return o.gradNorm(n, 2.0); },
       [&](int64_t n) { return quadraticVariance(gradientOuter(n), false) / 2; }},
      {"|grad u|^2 Gaussian S=3",
       gradNorm(2.0, "#stde.dense<distribution = gaussian, samples = 3>"),
       [&](int64_t n) { return o.gradNorm(n, 2.0); },
       [&](int64_t n) { return quadraticVariance(gradientOuter(n), true) / 3; }},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    CompiledOperator compiled;
    compiled.compile(moduleText(prelude() + "  " + c.op, false));
    if (HasFatalFailure())
      return;
    ASSERT_TRUE(compiled.random);
    Moments m = sampleSeeds(compiled, problem, seeds);
    for (int64_t n = 0; n < kPoints; ++n) {
      double exact = c.exact(n), theory = c.variance(n);
      double standardError = std::sqrt(m.variance[n] / seeds);
      std::printf("[ %-32s ] point %lld: exact % .6e mean % .6e (%+.2f SE)  variance "
                  "measured %.4e theory %.4e\n",
                  c.name, (long long)n, exact, m.mean[n],
                  (m.mean[n] - exact) / std::max(standardError, 1e-300), m.variance[n],
                  theory);
      EXPECT_LE(std::abs(m.mean[n] - exact), 4 * standardError + 1e-12) << "point " << n;
      EXPECT_NEAR(m.variance[n] / theory, 1.0, 0.25) << "point " << n;
    }
  }
}

} // namespace
