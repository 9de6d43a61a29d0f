//===- JetNumericsTest.cpp - compiled jets against an independent oracle --===//
//
// Random fields (MLPs of depth 1-5 with every activation, and expressions
// using every elementwise rule) are compiled through the public API and their
// jet coefficients k = 0..K compared with TaylorOracle.h, along random curves
// whose higher input coefficients v2, v3, ... are nonzero. Errors are
// normwise per order: max |got - want| over the batch and directions, divided
// by max |want| (coefficients that happen to be near zero make entrywise
// relative errors meaningless).
//
//===----------------------------------------------------------------------===//
#include "TaylorOracle.h"
#include "stde/stde.h"

#include "Compare.h"
#include "runtime/Philox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>
#include <random>

using namespace stde;
using Kind = FieldNode::Kind;

namespace {

/// The oracle's value of a field along one curve.
oracle::Jet evaluateOracle(const Field &field, const std::vector<double> &theta,
                           const std::vector<oracle::Jet> &x) {
  int K = x[0].d.size() - 1;
  auto constant = [&](double c) {
    oracle::Jet j{std::vector<double>(K + 1, 0.0)};
    j.d[0] = c;
    return j;
  };
  // values[node][entry]
  std::vector<std::vector<oracle::Jet>> values(field.nodes().size());
  for (size_t id = 0; id < field.nodes().size(); ++id) {
    const FieldNode &n = field.nodes()[id];
    auto in = [&](int i) -> const std::vector<oracle::Jet> & { return values[n.operands[i]]; };
    // Operand entry e, with constants and scalars broadcast.
    auto at = [&](int i, size_t e) -> oracle::Jet {
      const FieldNode &o = field.nodes()[n.operands[i]];
      if (o.kind == Kind::constant)
        return o.values.empty() ? constant(o.value) : constant(o.values[e]);
      return in(i).size() == 1 ? in(i)[0] : in(i)[e];
    };
    size_t width = std::max<int64_t>(n.size, 1);
    std::vector<oracle::Jet> &out = values[id];
    switch (n.kind) {
    case Kind::input: out = x; break;
    case Kind::constant:
      if (n.values.empty())
        out = {constant(n.value)};
      for (double v : n.values)
        out.push_back(constant(v));
      break;
    case Kind::dense: {
      const auto &a = in(0);
      for (int64_t o = 0; o < n.size; ++o) {
        oracle::Jet z = constant(theta[n.offset + n.size * a.size() + o]);
        for (size_t i = 0; i < a.size(); ++i)
          z = oracle::add(z, oracle::mul(constant(theta[n.offset + o * a.size() + i]), a[i]));
        out.push_back(z);
      }
      break;
    }
    case Kind::add:
    case Kind::sub:
      for (size_t e = 0; e < width; ++e)
        out.push_back(oracle::add(at(0, e), at(1, e), n.kind == Kind::add ? 1.0 : -1.0));
      break;
    case Kind::mul:
      for (size_t e = 0; e < width; ++e)
        out.push_back(oracle::mul(at(0, e), at(1, e)));
      break;
    case Kind::div: // a * (1/b), with 1/b = b^-1 by Faa di Bruno
      for (size_t e = 0; e < width; ++e) {
        oracle::Jet b = at(1, e);
        auto recip = oracle::derivatives(Kind::powi, ActivationKind::identity, b.d[0], K, -1);
        out.push_back(oracle::mul(at(0, e), oracle::compose(recip, b)));
      }
      break;
    case Kind::neg:
      for (size_t e = 0; e < width; ++e)
        out.push_back(oracle::add(constant(0), at(0, e), -1.0));
      break;
    case Kind::sqnorm:
    case Kind::sum: {
      oracle::Jet s = constant(0);
      for (const oracle::Jet &v : in(0))
        s = oracle::add(s, n.kind == Kind::sum ? v : oracle::mul(v, v));
      out.push_back(s);
      break;
    }
    case Kind::max: { // the jet of the first largest entry
      size_t best = 0;
      for (size_t i = 1; i < in(0).size(); ++i)
        if (in(0)[i].d[0] > in(0)[best].d[0])
          best = i;
      out.push_back(in(0)[best]);
      break;
    }
    case Kind::slice:
      out.assign(in(0).begin() + n.offset, in(0).begin() + n.offset + n.size);
      break;
    case Kind::foldBlocks: // y_j = sum_k x_{k K + j}
      for (int64_t j = 0; j < n.size; ++j) {
        oracle::Jet s = constant(0);
        for (size_t i = size_t(j); i < in(0).size(); i += size_t(n.size))
          s = oracle::add(s, in(0)[i]);
        out.push_back(s);
      }
      break;
    case Kind::gaussians:
      for (int64_t e = 0; e < n.size; ++e)
        out.push_back(constant(runtime::gaussianAt(n.seed, n.stream, 0, uint32_t(e))));
      break;
    default: // elementwise functions
      for (size_t e = 0; e < width; ++e) {
        oracle::Jet u = at(0, e);
        out.push_back(oracle::compose(
            oracle::derivatives(n.kind, n.activation, u.d[0], K, n.exponent), u));
      }
    }
  }
  return values[field.output()][0];
}

struct Problem {
  int64_t batch = 3, directions = 2, order = 4;
  std::vector<double> theta, points;
  std::vector<std::vector<double>> tangents; // per order: R x N x D
};

Problem randomProblem(const Field &field, int64_t order, uint64_t seed, double pointScale = 0.6) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  Problem p;
  p.order = order;
  int64_t d = field.inputDim();
  for (int64_t i = 0; i < field.numParams(); ++i)
    p.theta.push_back(u(rng) * 0.8);
  for (int64_t i = 0; i < p.batch * d; ++i)
    p.points.push_back(u(rng) * pointScale);
  for (int64_t k = 1; k <= order; ++k) {
    std::vector<double> v;
    for (int64_t i = 0; i < p.directions * p.batch * d; ++i)
      v.push_back(u(rng) * 0.7);
    p.tangents.push_back(v);
  }
  return p;
}

/// The oracle's coefficients laid out like JetKernel's output.
std::vector<double> oracleOutput(const Field &field, const Problem &p) {
  int64_t n = p.batch, r = p.directions, d = field.inputDim(), K = p.order;
  std::vector<double> out(n * (1 + K * r));
  for (int64_t dir = 0; dir < r; ++dir)
    for (int64_t pt = 0; pt < n; ++pt) {
      std::vector<oracle::Jet> x(d);
      for (int64_t i = 0; i < d; ++i) {
        x[i].d.push_back(p.points[pt * d + i]);
        for (int64_t k = 1; k <= K; ++k)
          x[i].d.push_back(p.tangents[k - 1][(dir * n + pt) * d + i]);
      }
      oracle::Jet y = evaluateOracle(field, p.theta, x);
      out[pt] = y.d[0];
      for (int64_t k = 1; k <= K; ++k)
        out[n + (k - 1) * r * n + dir * n + pt] = y.d[k];
    }
  return out;
}

/// Normwise relative error of each order k = 0..K.
std::vector<double> errorsByOrder(const std::vector<double> &got, const std::vector<double> &want,
                                  int64_t n, int64_t r, int64_t K) {
  std::vector<double> errors;
  for (int64_t k = 0; k <= K; ++k) {
    int64_t begin = k == 0 ? 0 : n + (k - 1) * r * n, end = k == 0 ? n : begin + r * n;
    double diff = 0, scale = 0;
    for (int64_t i = begin; i < end; ++i) {
      diff = test::worseOf(diff, std::fabs(got[i] - want[i]));
      scale = test::worseOf(scale, std::fabs(want[i]));
    }
    errors.push_back(scale > 0 ? diff / scale : diff);
  }
  return errors;
}

template <typename T>
std::vector<double> runKernel(Compiler &compiler, const Field &field, const Problem &p) {
  JetSpec spec;
  spec.order = p.order;
  spec.directions = p.directions;
  spec.batch = p.batch;
  spec.tangents.assign(p.order, TangentKind::dense);
  auto kernel = compiler.compileJet(field, spec);
  EXPECT_TRUE(kernel.ok()) << kernel.error();
  if (!kernel.ok())
    return {};
  std::vector<T> theta(p.theta.begin(), p.theta.end()), points(p.points.begin(), p.points.end());
  std::vector<std::vector<T>> tangents;
  std::vector<const void *> pointers;
  for (const auto &v : p.tangents)
    tangents.emplace_back(v.begin(), v.end());
  for (const auto &v : tangents)
    pointers.push_back(v.data());
  std::vector<T> out((*kernel)->outputSize());
  Status status = (*kernel)->evaluate(theta.data(), points.data(), pointers, out.data());
  EXPECT_TRUE(status.ok()) << status.message();
  return std::vector<double>(out.begin(), out.end());
}

/// Rounds inputs to T so the oracle sees exactly what the kernel sees.
template <typename T> Problem roundedTo(Problem p) {
  auto round = [](std::vector<double> &v) {
    for (double &x : v)
      x = static_cast<double>(static_cast<T>(x));
  };
  round(p.theta);
  round(p.points);
  for (auto &v : p.tangents)
    round(v);
  return p;
}

template <typename T>
void expectMatchesOracle(Compiler &compiler, const Field &field, int64_t order, uint64_t seed,
                         double tolerance, const std::string &what) {
  Problem p = roundedTo<T>(randomProblem(field, order, seed));
  std::vector<double> got = runKernel<T>(compiler, field, p);
  if (got.empty())
    return;
  std::vector<double> want = oracleOutput(field, p);
  // A case whose exact values T cannot hold compares nothing.
  ASSERT_LT(test::maxAbs(want), double(std::numeric_limits<T>::max())) << what;
  std::vector<double> errors = errorsByOrder(got, want, p.batch, p.directions, order);
  for (int64_t k = 0; k <= order; ++k)
    EXPECT_LE(errors[k], tolerance) << what << ": order " << k << " of " << order;
}

const ActivationKind kActivations[] = {ActivationKind::identity, ActivationKind::tanh,
                                       ActivationKind::sin,      ActivationKind::cos,
                                       ActivationKind::exp,      ActivationKind::sigmoid,
                                       ActivationKind::softplus};

std::string name(ActivationKind a) {
  const char *names[] = {"identity", "tanh", "sin", "cos", "exp", "sigmoid", "softplus"};
  return names[static_cast<int>(a)];
}

} // namespace

// Every activation, depths 1-5 (hidden layers), with and without the ball
// ansatz, orders up to 8, f64 to 1e-10.
TEST(JetNumerics, RandomMlpsMatchOracleF64) {
  Compiler compiler;
  uint64_t seed = 1;
  for (ActivationKind act : kActivations)
    for (int depth = 1; depth <= 5; ++depth) {
      std::vector<int64_t> hidden(depth, 3 + depth % 3);
      int64_t order = depth == 5 ? 8 : depth + 2;
      auto field = Field::mlp(3, hidden, act, /*ballAnsatz=*/depth % 2 == 0);
      ASSERT_TRUE(field.ok()) << field.error();
      expectMatchesOracle<double>(compiler, *field, order, seed++, 1e-10,
                                  name(act) + " depth " + std::to_string(depth));
    }
}

// A first layer shared across input blocks (foldBlocks before the first
// dense layer): the oracle sums the blocks itself.
TEST(JetNumerics, SharedFirstLayerMatchesOracle) {
  Compiler compiler;
  uint64_t seed = 50;
  for (int64_t block : {1, 2, 3, 6}) {
    auto field = Field::mlp(6, {4, 4}, ActivationKind::tanh, /*ballAnsatz=*/true, DType::f64,
                            /*shareBlock=*/block);
    ASSERT_TRUE(field.ok()) << field.error();
    expectMatchesOracle<double>(compiler, *field, 4, seed++, 1e-10,
                                "block " + std::to_string(block));
  }
  auto bad = Field::mlp(6, {4}, ActivationKind::tanh, false, DType::f64, /*shareBlock=*/4);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("blocks of 4 entries do not tile a vector of size 6"),
            std::string::npos)
      << bad.error();
}

TEST(JetNumerics, RandomMlpsMatchOracleF32) {
  Compiler compiler;
  uint64_t seed = 100;
  for (ActivationKind act : kActivations)
    for (int depth : {1, 3, 5}) {
      // Five nested exp layers at order 8 overflow: even the double oracle's
      // coefficients are not finite (the check in expectMatchesOracle says
      // so when this case runs); depths 1 and 3 cover exp.
      if (act == ActivationKind::exp && depth == 5)
        continue;
      std::vector<int64_t> hidden(depth, 4);
      int64_t order = depth == 5 ? 8 : 4;
      auto field = Field::mlp(3, hidden, act, /*ballAnsatz=*/true, DType::f32);
      ASSERT_TRUE(field.ok()) << field.error();
      expectMatchesOracle<float>(compiler, *field, order, seed++, 1e-4,
                                 name(act) + " f32 depth " + std::to_string(depth));
    }
}

// One expression through every elementwise rule and linear op of the API:
// log, sqrt, integer powers (positive, negative, at zero-crossing inputs),
// division, negation, slices and components, and constants the compiled code
// draws itself.
Expected<Field> everyRuleField(DType dtype) {
  FieldBuilder fb(4, dtype);
  Expr x = fb.input();
  Expr x0 = fb.component(x, 0), x1 = fb.component(x, 1), x2 = fb.component(x, 2);
  Expr head = fb.slice(x, 1, 3);
  Expr a = fb.log(fb.add(fb.constant(1.5), fb.sqnorm(head)));
  Expr b = fb.div(fb.sqrt(fb.add(fb.constant(2.0), fb.sin(x0))),
                  fb.add(fb.constant(1.5), fb.cos(x2)));
  Expr c = fb.mul(fb.powi(x1, 3), fb.exp(fb.neg(x0)));
  Expr d = fb.powi(fb.add(fb.constant(2.0), x2), -2);
  Expr e = fb.tanh(fb.sum(fb.mul(fb.powi(head, 2), fb.activation(head, ActivationKind::sigmoid))));
  Expr h = fb.activation(fb.dense(x, 3), ActivationKind::softplus);
  Expr f = fb.sum(fb.dense(fb.mul(h, h), 1));
  Expr g = fb.sum(fb.mul(fb.gaussians(3, 12345, 77), fb.sin(head)));
  return fb.build(fb.add(fb.add(fb.add(a, b), fb.sub(c, d)), fb.add(fb.add(e, f), g)));
}

TEST(JetNumerics, EveryRuleMatchesOracle) {
  Compiler compiler;
  auto f64 = everyRuleField(DType::f64);
  ASSERT_TRUE(f64.ok()) << f64.error();
  for (int64_t order : {1, 2, 3, 5, 8})
    expectMatchesOracle<double>(compiler, *f64, order, 7 + order, 1e-10,
                                "every rule f64 K=" + std::to_string(order));
  auto f32 = everyRuleField(DType::f32);
  ASSERT_TRUE(f32.ok()) << f32.error();
  for (int64_t order : {2, 4, 8})
    expectMatchesOracle<float>(compiler, *f32, order, 70 + order, 1e-4,
                               "every rule f32 K=" + std::to_string(order));
}

// max and atan (the terminal data arctan(max_i x_i) of the time-dependent
// Allen-Cahn problem), inside and outside other rules: max of a vector of
// inputs and of hidden features, atan of scalars and of a vector.
Expected<Field> maxAtanField(DType dtype) {
  FieldBuilder fb(4, dtype);
  Expr x = fb.input();
  Expr terminal = fb.atan(fb.max(fb.slice(x, 0, 3)));
  Expr h = fb.activation(fb.dense(x, 5), ActivationKind::tanh);
  Expr pooled = fb.max(fb.mul(h, fb.atan(h)));
  Expr scaled = fb.atan(fb.mul(fb.constant(3.0), fb.sum(fb.sin(x))));
  return fb.build(fb.add(fb.add(terminal, fb.mul(pooled, pooled)), scaled));
}

TEST(JetNumerics, MaxAndAtanMatchOracle) {
  Compiler compiler;
  auto f64 = maxAtanField(DType::f64);
  ASSERT_TRUE(f64.ok()) << f64.error();
  for (int64_t order : {1, 2, 4, 6})
    expectMatchesOracle<double>(compiler, *f64, order, 200 + order, 1e-10,
                                "max/atan f64 K=" + std::to_string(order));
  auto f32 = maxAtanField(DType::f32);
  ASSERT_TRUE(f32.ok()) << f32.error();
  for (int64_t order : {2, 4})
    expectMatchesOracle<float>(compiler, *f32, order, 220 + order, 1e-4,
                               "max/atan f32 K=" + std::to_string(order));
}
