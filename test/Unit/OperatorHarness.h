//===- OperatorHarness.h - lower, JIT and run one operator on a small MLP --===//
//
// Shared by the operator numerics tests: a function computing one operator
// result %r (tensor<5xf64>) on a fixed random MLP of 3 inputs, lowered by the
// full CPU pipeline and JIT-compiled in f64, and the multivariate Taylor
// oracle of that MLP (MultivariateOracle.h), which shares nothing with jets.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TEST_UNIT_OPERATORHARNESS_H
#define STDE_TEST_UNIT_OPERATORHARNESS_H

#include "MultivariateOracle.h"
#include "stde/InitAllStde.h"
#include "stde/Target/CpuPipeline.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <random>

namespace operator_test {

constexpr int64_t kPoints = 5, kDim = 3, kParams = 113;

/// The network: (1 - |x|^2) * (W3 sin(W2 tanh(W1 x + b1) + b2) + b3).
inline std::string networkText(bool spaceTime) {
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
inline std::string moduleText(const std::string &op, bool spaceTime) {
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
             text.find("gradient_samples") != std::string::npos ||
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

/// D^alpha u at point n of a problem that no longer changes, each multi-index
/// expanded once: an expansion is the whole Taylor polynomial of the network
/// at every point, and the oracles' formulas ask for the same entries many
/// times (a variance of the biharmonic estimator: hundreds).
class Derivatives {
public:
  explicit Derivatives(const Problem &problem) : problem(problem) {}
  double at(int64_t n, std::vector<int64_t> alpha) const {
    std::sort(alpha.begin(), alpha.end());
    auto [it, inserted] = expanded.try_emplace(alpha);
    if (inserted)
      it->second = problem.apply({{1.0, alpha}});
    return it->second[n];
  }

private:
  const Problem &problem;
  mutable std::map<std::vector<int64_t>, std::vector<double>> expanded;
};

/// Mean and variance over seeds of each point's estimate.
struct Moments {
  std::vector<double> mean, variance;
};

inline Moments sampleSeeds(const CompiledOperator &compiled, const Problem &problem, int seeds) {
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

/// (T/S) sum over S of the T values drawn without replacement: its variance.
inline double withoutReplacement(const std::vector<double> &x, int64_t s) {
  double t = x.size(), mean = 0, var = 0;
  for (double v : x)
    mean += v / t;
  for (double v : x)
    var += (v - mean) * (v - mean) / t;
  return t * t * var / s * (t - s) / (t - 1);
}

} // namespace operator_test

#endif // STDE_TEST_UNIT_OPERATORHARNESS_H
