//===- OperatorNumericsTest.cpp - lowered operators against oracles -------===//
//
// Each operator is written in a function, lowered by the full CPU pipeline
// (stde-lower-operators ... LLVM), JIT-compiled and run on a random MLP in
// f64. Exact estimators are compared with MultivariateOracle.h (every partial
// derivative, computed without jets) to 1e-9 relative; random estimators'
// means over 2000 seeds must lie within 4 standard errors of the exact value,
// and their measured variance is printed beside the theoretical one.
//
//===----------------------------------------------------------------------===//
#include "OperatorHarness.h"
#include "Compare.h"

#include <cmath>
#include <functional>

namespace {

using namespace operator_test;

using Terms = std::vector<std::pair<double, std::vector<int64_t>>>;

Terms laplacianTerms(int64_t spatial) {
  Terms t;
  for (int64_t i = 0; i < spatial; ++i)
    t.push_back({1.0, {i, i}});
  return t;
}

Terms biharmonicTerms(int64_t spatial) {
  Terms t;
  for (int64_t i = 0; i < spatial; ++i)
    for (int64_t j = 0; j < spatial; ++j) {
      std::vector<int64_t> a{i, i, j, j};
      std::sort(a.begin(), a.end());
      t.push_back({1.0, a});
    }
  return t;
}

std::string op(const std::string &body) {
  return "%r = " + body + " : (tensor<113xf64>, tensor<5x3xf64>) -> tensor<5xf64>";
}

struct ExactCase {
  const char *name;
  std::string op;
  bool spaceTime;
  Terms terms;
};

TEST(OperatorNumerics, ExactMatchesOracle) {
  Problem problem;
  std::vector<ExactCase> cases = {
      {"laplacian", op("stde.laplacian @u(%theta, %xs) estimator(#stde.exact)"), false,
       laplacianTerms(3)},
      {"biharmonic", op("stde.biharmonic @u(%theta, %xs) estimator(#stde.exact)"), false,
       biharmonicTerms(3)},
      {"u_ij", op("stde.diff @u(%theta, %xs) [1.0 * [0, 1]] estimator(#stde.exact)"), false,
       {{1.0, {0, 1}}}},
      {"u_iij", op("stde.diff @u(%theta, %xs) [1.0 * [0, 0, 2]] estimator(#stde.exact)"), false,
       {{1.0, {0, 0, 2}}}},
      {"u_iijj", op("stde.diff @u(%theta, %xs) [1.0 * [1, 1, 2, 2]] estimator(#stde.exact)"),
       false, {{1.0, {1, 1, 2, 2}}}},
      {"u_ijk", op("stde.diff @u(%theta, %xs) [1.0 * [0, 1, 2]] estimator(#stde.exact)"), false,
       {{1.0, {0, 1, 2}}}},
      {"u_xxxy", op("stde.diff @u(%theta, %xs) [1.0 * [0, 0, 0, 1]] estimator(#stde.exact)"),
       false, {{1.0, {0, 0, 0, 1}}}},
      {"kdv", op("stde.diff @u(%theta, %xs) [1.0 * [2], 1.0 * [0, 0, 0], 1.0 * [0, 0, 1], "
                 "3.0 * [1, 1], 6.0 * [0]] estimator(#stde.exact)"),
       true, {{1.0, {2}}, {1.0, {0, 0, 0}}, {1.0, {0, 0, 1}}, {3.0, {1, 1}}, {6.0, {0}}}},
      {"space-time laplacian", op("stde.laplacian @u(%theta, %xs) estimator(#stde.exact)"),
       true, laplacianTerms(2)},
      {"u_tt", op("stde.time_derivative @u(%theta, %xs) order 2"), true, {{1.0, {2, 2}}}},
      {"value", op("stde.apply @u(%theta, %xs)"), false, {{1.0, {}}}},
  };
  for (const ExactCase &c : cases) {
    SCOPED_TRACE(c.name);
    CompiledOperator compiled;
    compiled.compile(moduleText(c.op, c.spaceTime));
    if (HasFatalFailure())
      return;
    std::vector<double> got = compiled.run(problem.params, problem.points);
    std::vector<double> want = problem.apply(c.terms);
    double scale = stde::test::maxAbs(want);
    for (int64_t n = 0; n < kPoints; ++n)
      EXPECT_NEAR(got[n], want[n], 1e-9 * scale) << "point " << n;
  }
}

struct RandomCase {
  const char *name;
  std::string op;
  Terms terms;
  std::function<double(int64_t n)> theory; // variance per point
  /// How far the measured variance may stray: the sample variance of a
  /// Gaussian 4th-order estimate has 8th-moment noise.
  double varianceTolerance = 0.25;
};

TEST(OperatorNumerics, RandomEstimatorsAreUnbiased) {
  Problem problem;
  Derivatives d(problem);
  const int seeds = 2000;
  auto hessian = [&](int64_t n, int64_t i, int64_t j) { return d.at(n, {i, j}); };
  auto frobenius = [&](int64_t n, bool offDiagonalOnly) {
    double s = 0;
    for (int64_t i = 0; i < kDim; ++i)
      for (int64_t j = 0; j < kDim; ++j)
        if (!offDiagonalOnly || i != j)
          s += hessian(n, i, j) * hessian(n, i, j);
    return s;
  };
  std::vector<RandomCase> cases = {
      {"laplacian sparse |J|=2",
       op("stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 2>)"),
       laplacianTerms(3),
       [&](int64_t n) {
         return withoutReplacement({hessian(n, 0, 0), hessian(n, 1, 1), hessian(n, 2, 2)}, 2);
       }},
      {"laplacian Rademacher S=2",
       op("stde.laplacian @u(%theta, %xs) estimator(#stde.dense<distribution = rademacher, "
          "samples = 2>)"),
       laplacianTerms(3), [&](int64_t n) { return 2 * frobenius(n, true) / 2; }},
      {"laplacian Gaussian S=2",
       op("stde.laplacian @u(%theta, %xs) estimator(#stde.dense<distribution = gaussian, "
          "samples = 2>)"),
       laplacianTerms(3), [&](int64_t n) { return 2 * frobenius(n, false) / 2; }},
      {"weighted terms |J|=2",
       op("stde.diff @u(%theta, %xs) [1.0 * [0, 0], 2.0 * [1, 1], -1.5 * [2, 2]] "
          "estimator(#stde.sparse<samples = 2>)"),
       {{1.0, {0, 0}}, {2.0, {1, 1}}, {-1.5, {2, 2}}},
       [&](int64_t n) {
         // Draw alpha w.p. |C|/Z, value sign(C) Z D^alpha u.
         double z = 4.5, second = 0, mean = 0;
         double c[3] = {1.0, 2.0, -1.5};
         for (int i = 0; i < 3; ++i) {
           second += std::abs(c[i]) / z * std::pow(z * hessian(n, i, i), 2);
           mean += c[i] * hessian(n, i, i);
         }
         return (second - mean * mean) / 2;
       }},
      {"half Laplacian on x0, x1, Gaussian S=2",
       // 0.5 I on a prefix: Hutchinson over two coordinates scaled by 0.5,
       // no eigendecomposition. Var[z^T A z] = 2 |A|_F^2 for z ~ N(0, I).
       op("stde.diff @u(%theta, %xs) [0.5 * [0, 0], 0.5 * [1, 1]] "
          "estimator(#stde.dense<distribution = gaussian, samples = 2>)"),
       {{0.5, {0, 0}}, {0.5, {1, 1}}},
       [&](int64_t n) {
         double f = 0;
         for (int64_t i = 0; i < 2; ++i)
           for (int64_t j = 0; j < 2; ++j)
             f += std::pow(0.5 * hessian(n, i, j), 2);
         return 2 * f / 2;
       }},
      {"u_12 mixed, Gaussian S=2",
       // sym(C) on coordinates {1, 2} = [[0, 1/2], [1/2, 0]]: M+ = (0, 1/2, 1/2),
       // M- = (0, 1/2, -1/2) (eigenvalues +-1/2, vectors (1, +-1)/sqrt 2).
       // The estimate q+ z+^2 - q- z-^2 per sample, q = M^T H M: variance
       // 2 (q+^2 + q-^2) / S.
       op("stde.diff @u(%theta, %xs) [1.0 * [1, 2]] "
          "estimator(#stde.dense<distribution = gaussian, samples = 2>)"),
       {{1.0, {1, 2}}},
       [&](int64_t n) {
         double h11 = hessian(n, 1, 1), h22 = hessian(n, 2, 2), h12 = hessian(n, 1, 2);
         double plus = 0.25 * (h11 + 2 * h12 + h22), minus = 0.25 * (h11 - 2 * h12 + h22);
         return 2 * (plus * plus + minus * minus) / 2;
       }},
      {"biharmonic Gaussian S=1",
       op("stde.biharmonic @u(%theta, %xs) estimator(#stde.dense<distribution = gaussian, "
          "samples = 1>)"),
       biharmonicTerms(3),
       [&](int64_t n) {
         // Var[T(v^4)] = 24 |T|^2 + 72 |tr T|^2 for v ~ N(0, I); estimate T(v^4)/3.
         double t2 = 0, tr2 = 0;
         for (int64_t a = 0; a < kDim; ++a)
           for (int64_t b = 0; b < kDim; ++b) {
             double tr = 0;
             for (int64_t i = 0; i < kDim; ++i)
               tr += d.at(n, {i, i, a, b});
             tr2 += tr * tr;
             for (int64_t c = 0; c < kDim; ++c)
               for (int64_t e = 0; e < kDim; ++e)
                 t2 += std::pow(d.at(n, {a, b, c, e}), 2);
           }
         return (24 * t2 + 72 * tr2) / 9;
       },
       1.0},
      {"biharmonic Rademacher S=2",
       op("stde.biharmonic @u(%theta, %xs) estimator(#stde.dense<distribution = rademacher, "
          "samples = 2>)"),
       biharmonicTerms(3),
       [&](int64_t n) {
         // The Rademacher part by enumerating all 8 sign vectors, plus the
         // independent diagonal sample (2/3 u_iiii, 2 of 3).
         double mean = 0, second = 0;
         for (int mask = 0; mask < 8; ++mask) {
           double v[3], value = 0;
           for (int i = 0; i < 3; ++i)
             v[i] = (mask >> i) & 1 ? -1.0 : 1.0;
           for (int64_t a = 0; a < 3; ++a)
             for (int64_t b = 0; b < 3; ++b)
               for (int64_t c = 0; c < 3; ++c)
                 for (int64_t e = 0; e < 3; ++e)
                   value += d.at(n, {a, b, c, e}) * v[a] * v[b] * v[c] * v[e];
           mean += value / 8;
           second += value * value / 8;
         }
         std::vector<double> diagonal;
         for (int64_t i = 0; i < 3; ++i)
           diagonal.push_back(2.0 / 3.0 * d.at(n, {i, i, i, i}));
         return (second - mean * mean) / 9 / 2 + withoutReplacement(diagonal, 2);
       }},
  };
  for (const RandomCase &c : cases) {
    SCOPED_TRACE(c.name);
    CompiledOperator compiled;
    compiled.compile(moduleText(c.op, false));
    if (HasFatalFailure())
      return;
    ASSERT_TRUE(compiled.random);
    Moments m = sampleSeeds(compiled, problem, seeds);
    std::vector<double> exact = problem.apply(c.terms);
    for (int64_t n = 0; n < kPoints; ++n) {
      double theory = c.theory(n);
      double standardError = std::sqrt(m.variance[n] / seeds);
      std::printf("[ %-26s ] point %lld: exact % .6e mean % .6e (%+.2f SE)  variance "
                  "measured %.4e theory %.4e\n",
                  c.name, (long long)n, exact[n], m.mean[n],
                  (m.mean[n] - exact[n]) / std::max(standardError, 1e-300), m.variance[n],
                  theory);
      EXPECT_LE(std::abs(m.mean[n] - exact[n]), 4 * standardError + 1e-12) << "point " << n;
      // The sample variance of 2000 draws is within a few percent of the truth;
      // a wrong constant or a correlated stream moves it by far more.
      EXPECT_NEAR(m.variance[n] / theory, 1.0, c.varianceTolerance) << "point " << n;
    }
  }
}

} // namespace
