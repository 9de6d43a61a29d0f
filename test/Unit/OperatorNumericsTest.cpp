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
#include "MultivariateOracle.h"
#include "stde/InitAllStde.h"
#include "stde/Target/CpuPipeline.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

#include "Compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <random>

namespace {

constexpr int64_t kPoints = 5, kDim = 3, kParams = 113;

/// The network: (1 - |x|^2) * (W3 sin(W2 tanh(W1 x + b1) + b2) + b3).
std::string networkText(bool spaceTime) {
  return std::string(R"(
stde.network @u(%theta: tensor<113xf64>, %x: tensor<3xf64>) -> f64 )") +
         (spaceTime ? "attributes {space_time} " : "") + R"({
  %h0 = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<113xf64>) -> tensor<8xf64>
  %a0 = stde.activation tanh %h0 : tensor<8xf64>
  %h1 = stde.dense %a0, %theta[32] : (tensor<8xf64>, tensor<113xf64>) -> tensor<8xf64>
  %a1 = stde.activation sin %h1 : tensor<8xf64>
  %o = stde.dense %a1, %theta[104] : (tensor<8xf64>, tensor<113xf64>) -> tensor<1xf64>
  %mlp = stde.sum %o : tensor<1xf64> -> f64
  %r2 = stde.sqnorm %x : tensor<3xf64> -> f64
  %one = arith.constant 1.0 : f64
  %factor = arith.subf %one, %r2 : f64
  %u = arith.mulf %factor, %mlp : f64
  stde.return %u : f64
}
)";
}

/// A function writing `op`'s tensor<5xf64> result %r into its third argument.
std::string moduleText(const std::string &op, bool spaceTime) {
  return networkText(spaceTime) + R"(
func.func @op(%tm: memref<113xf64>, %xm: memref<5x3xf64>, %om: memref<5xf64>) attributes {llvm.emit_c_interface} {
  %theta = bufferization.to_tensor %tm restrict : memref<113xf64> to tensor<113xf64>
  %xs = bufferization.to_tensor %xm restrict : memref<5x3xf64> to tensor<5x3xf64>
  )" + op + R"(
  bufferization.materialize_in_destination %r in restrict writable %om : (tensor<5xf64>, memref<5xf64>) -> ()
  return
}
)";
}

template <int Rank> struct Descriptor {
  double *allocated, *aligned;
  int64_t offset, sizes[Rank], strides[Rank];
};

template <int Rank> Descriptor<Rank> describe(double *data, std::array<int64_t, Rank> sizes) {
  Descriptor<Rank> d{data, data, 0, {}, {}};
  int64_t stride = 1;
  for (int i = Rank - 1; i >= 0; --i) {
    d.sizes[i] = sizes[i];
    d.strides[i] = stride;
    stride *= sizes[i];
  }
  return d;
}

class CompiledOperator {
public:
  /// Lowers and JIT-compiles; a failure is reported by gtest.
  void compile(const std::string &text) {
    static std::once_flag once;
    std::call_once(once, [] {
      stde::registerAllPasses();
      llvm::InitializeNativeTarget();
      llvm::InitializeNativeTargetAsmPrinter();
    });
    mlir::DialectRegistry registry;
    stde::registerAllDialects(registry);
    context = std::make_unique<mlir::MLIRContext>(registry);
    module = mlir::parseSourceString<mlir::ModuleOp>(text, context.get());
    ASSERT_TRUE(module) << text;
    mlir::PassManager pm(context.get());
    stde::buildCpuPipeline(pm);
    ASSERT_TRUE(succeeded(pm.run(*module))) << text;
    // Random estimators add the (seed, step) arguments.
    random = text.find("#stde.sparse") != std::string::npos ||
             text.find("#stde.dense") != std::string::npos;
    mlir::ExecutionEngineOptions options;
    std::function<llvm::Error(llvm::Module *)> optimize = mlir::makeOptimizingTransformer(2, 0, nullptr);
    options.transformer = optimize;
    // Padding tangents to the input (a prefix of the coordinates) copies
    // into a strided view: memrefCopy, from MLIR's C runner utilities.
    static const llvm::SmallVector<llvm::StringRef, 1> libraries{STDE_C_RUNNER_UTILS};
    options.sharedLibPaths = libraries;
    auto created = mlir::ExecutionEngine::create(*module, options);
    ASSERT_TRUE(bool(created)) << llvm::toString(created.takeError());
    engine = std::move(*created);
    auto found = engine->lookupPacked("_mlir_ciface_op");
    ASSERT_TRUE(bool(found)) << llvm::toString(found.takeError());
    entry = *found;
  }

  std::vector<double> run(std::vector<double> params, std::vector<double> points,
                          int64_t seed = 0, int64_t step = 0) const {
    std::vector<double> out(kPoints, 0.0);
    auto t = describe<1>(params.data(), {kParams});
    auto x = describe<2>(points.data(), {kPoints, kDim});
    auto o = describe<1>(out.data(), {kPoints});
    void *pt = &t, *px = &x, *po = &o;
    std::vector<void *> args{&pt, &px, &po};
    if (random) {
      args.push_back(&seed);
      args.push_back(&step);
    }
    entry(args.data());
    return out;
  }

  bool random = false;

private:
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  void (*entry)(void **) = nullptr;
};

struct Problem {
  std::vector<double> params, points;
  Problem() {
    std::mt19937 rng(7);
    std::normal_distribution<double> normal(0.0, 1.0);
    for (int64_t i = 0; i < kParams; ++i)
      params.push_back(0.6 * normal(rng));
    std::uniform_real_distribution<double> uniform(-0.5, 0.5);
    for (int64_t i = 0; i < kPoints * kDim; ++i)
      points.push_back(uniform(rng));
  }

  /// The multivariate Taylor polynomial of u at point n, degree `degree`.
  oracle::Multivariate::Poly expand(const oracle::Multivariate &m, int64_t n, int degree) const {
    using Poly = oracle::Multivariate::Poly;
    std::vector<Poly> x;
    for (int64_t i = 0; i < kDim; ++i)
      x.push_back(m.variable(i, points[n * kDim + i]));
    auto dense = [&](const std::vector<Poly> &in, int64_t offset, int64_t outputs) {
      int64_t inputs = in.size();
      std::vector<Poly> out;
      for (int64_t o = 0; o < outputs; ++o) {
        Poly sum = m.constant(params[offset + outputs * inputs + o]);
        for (int64_t i = 0; i < inputs; ++i)
          for (size_t k = 0; k < sum.size(); ++k)
            sum[k] += params[offset + o * inputs + i] * in[i][k];
        out.push_back(sum);
      }
      return out;
    };
    std::vector<Poly> h = dense(x, 0, 8);
    for (Poly &p : h)
      p = m.compose(oracle::polynomialDerivatives(std::tanh(m.value(p)), degree, {1, 0, -1}), p);
    h = dense(h, 32, 8);
    for (Poly &p : h) {
      std::vector<double> d;
      for (int k = 0; k <= degree; ++k)
        d.push_back(std::sin(m.value(p) + k * M_PI / 2));
      p = m.compose(d, p);
    }
    Poly mlp = dense(h, 104, 1)[0];
    Poly factor = m.constant(1.0);
    for (const Poly &xi : x) {
      Poly sq = m.mul(xi, xi);
      for (size_t k = 0; k < factor.size(); ++k)
        factor[k] -= sq[k];
    }
    return m.mul(factor, mlp);
  }

  /// sum_alpha C_alpha D^alpha u at every point.
  std::vector<double>
  apply(const std::vector<std::pair<double, std::vector<int64_t>>> &terms) const {
    int degree = 1;
    for (const auto &t : terms)
      degree = std::max<int>(degree, t.second.size());
    oracle::Multivariate m(kDim, degree);
    std::vector<double> out;
    for (int64_t n = 0; n < kPoints; ++n) {
      auto p = expand(m, n, degree);
      double sum = 0;
      for (const auto &[c, alpha] : terms)
        sum += c * m.derivative(p, alpha);
      out.push_back(sum);
    }
    return out;
  }
};

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

/// Mean and variance over seeds of each point's estimate.
struct Moments {
  std::vector<double> mean, variance;
};

Moments sampleSeeds(const CompiledOperator &compiled, const Problem &problem, int seeds) {
  Moments m{std::vector<double>(kPoints, 0.0), std::vector<double>(kPoints, 0.0)};
  std::vector<std::vector<double>> all;
  for (int s = 0; s < seeds; ++s)
    all.push_back(compiled.run(problem.params, problem.points, 1000 + s, 3));
  for (int64_t n = 0; n < kPoints; ++n) {
    for (const auto &v : all)
      m.mean[n] += v[n] / seeds;
    for (const auto &v : all)
      m.variance[n] += (v[n] - m.mean[n]) * (v[n] - m.mean[n]) / (seeds - 1);
  }
  return m;
}

/// The Hessian (i, j) or 4th-derivative tensor entries at point n.
struct Derivatives {
  Problem &problem;
  double at(int64_t n, std::vector<int64_t> alpha) const {
    std::sort(alpha.begin(), alpha.end());
    return problem.apply({{1.0, alpha}})[n];
  }
};

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
  Derivatives d{problem};
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
  // Sampling S of T values x without replacement, estimate (T/S) sum.
  auto withoutReplacement = [](std::vector<double> x, int64_t s) {
    double t = x.size(), mean = 0, var = 0;
    for (double v : x)
      mean += v / t;
    for (double v : x)
      var += (v - mean) * (v - mean) / t;
    return t * t * var / s * (t - s) / (t - 1);
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
