//===- JetApiTest.cpp - the C++ API: cache, tangent forms, errors ---------===//
#include "stde/stde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

using namespace stde;

namespace {

Field smallMlp(DType dtype = DType::f64) {
  auto field = Field::mlp(5, {6, 6}, ActivationKind::tanh, /*ballAnsatz=*/true, dtype);
  EXPECT_TRUE(field.ok()) << field.error();
  return *field;
}

JetSpec spec(int64_t order, int64_t r, int64_t n, std::vector<TangentKind> kinds = {}) {
  JetSpec s;
  s.order = order;
  s.directions = r;
  s.batch = n;
  s.tangents = std::move(kinds);
  return s;
}

} // namespace

TEST(JetApi, SecondCompileComesFromTheCache) {
  Compiler compiler;
  Field field = smallMlp();
  auto first = compiler.compileJet(field, spec(2, 3, 4));
  ASSERT_TRUE(first.ok()) << first.error();
  auto second = compiler.compileJet(smallMlp(), spec(2, 3, 4));
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(compiler.stats().compilations, 1);
  EXPECT_EQ(compiler.stats().cacheHits, 1);
  // Another shape is another kernel.
  auto third = compiler.compileJet(field, spec(2, 3, 5));
  ASSERT_TRUE(third.ok()) << third.error();
  EXPECT_NE(first->get(), third->get());
  EXPECT_EQ(compiler.stats().compilations, 2);
}

// A onehot tangent (a column gather in the code) gives the same jet as the
// same basis vectors passed densely.
/// The one-hot tangents e_4, e_0, e_2 (plus a dense second coefficient)
/// against the same basis vectors stored dense, for a field of 5 inputs.
void expectOneHotEqualsDense(Compiler &compiler, const Field &field) {
  const int64_t n = 4, r = 3, d = 5, K = 3;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  std::vector<double> theta(field.numParams()), points(n * d), v2(r * n * d);
  for (double &t : theta) t = u(rng);
  for (double &p : points) p = u(rng);
  for (double &v : v2) v = u(rng);
  std::vector<int64_t> index{4, 0, 2};
  std::vector<double> basis(r * n * d, 0.0);
  for (int64_t dir = 0; dir < r; ++dir)
    for (int64_t pt = 0; pt < n; ++pt)
      basis[(dir * n + pt) * d + index[dir]] = 1.0;

  auto onehot = compiler.compileJet(
      field, spec(K, r, n, {TangentKind::onehot, TangentKind::dense, TangentKind::zero}));
  auto dense = compiler.compileJet(
      field, spec(K, r, n, {TangentKind::dense, TangentKind::dense, TangentKind::zero}));
  ASSERT_TRUE(onehot.ok()) << onehot.error();
  ASSERT_TRUE(dense.ok()) << dense.error();
  std::vector<double> a((*onehot)->outputSize()), b((*dense)->outputSize());
  ASSERT_TRUE((*onehot)->evaluate(theta.data(), points.data(), {index.data(), v2.data(), nullptr},
                                  a.data()).ok());
  ASSERT_TRUE((*dense)->evaluate(theta.data(), points.data(), {basis.data(), v2.data(), nullptr},
                                 b.data()).ok());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_NEAR(a[i], b[i], 1e-13 * (1 + std::fabs(b[i]))) << "entry " << i;
}

TEST(JetApi, OneHotTangentsEqualDenseBasisVectors) {
  Compiler compiler;
  expectOneHotEqualsDense(compiler, smallMlp());
}

// jet.max reads a one-hot coefficient at the argmax without making it dense.
TEST(JetApi, OneHotTangentsThroughMaxEqualDenseBasisVectors) {
  Compiler compiler;
  FieldBuilder fb(5);
  Expr x = fb.input();
  Expr h = fb.activation(fb.dense(x, 4), ActivationKind::tanh);
  Expr y = fb.add(fb.atan(fb.max(x)), fb.max(h));
  Expected<Field> field = fb.build(y);
  ASSERT_TRUE(field.ok()) << field.error();
  expectOneHotEqualsDense(compiler, *field);
}

// A one-hot index outside the point's coordinates is an error, not a read
// past the point.
TEST(JetApi, OneHotIndicesOutsideThePointAreErrors) {
  Compiler compiler;
  Field field = smallMlp();
  const int64_t n = 2, r = 2, d = 5;
  auto onehot = compiler.compileJet(field, spec(1, r, n, {TangentKind::onehot}));
  ASSERT_TRUE(onehot.ok()) << onehot.error();
  std::vector<double> theta(field.numParams(), 0.1), points(n * d, 0.2);
  std::vector<double> out((*onehot)->outputSize());
  for (std::vector<int64_t> index : {std::vector<int64_t>{1, 5}, std::vector<int64_t>{-1, 0}}) {
    Status s = (*onehot)->evaluate(theta.data(), points.data(), {index.data()}, out.data());
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("is not a coordinate (0 .. 4)"), std::string::npos) << s.message();
  }
  std::vector<int64_t> inside{4, 0};
  EXPECT_TRUE((*onehot)->evaluate(theta.data(), points.data(), {inside.data()}, out.data()).ok());
}

TEST(JetApi, MisuseIsReportedNotCrashed) {
  Compiler compiler;
  Field field = smallMlp();
  auto bad = compiler.compileJet(field, spec(0, 1, 1));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("order must be between 1 and 16"), std::string::npos);
  auto kinds = compiler.compileJet(field, spec(2, 1, 1, {TangentKind::dense}));
  ASSERT_FALSE(kinds.ok());
  EXPECT_NE(kinds.error().find("give one per order"), std::string::npos);

  auto kernel = compiler.compileJet(field, spec(2, 1, 2));
  ASSERT_TRUE(kernel.ok()) << kernel.error();
  std::vector<double> theta(field.numParams()), points(10), v1(10), out((*kernel)->outputSize());
  Status wrongCount = (*kernel)->evaluate(theta.data(), points.data(), {v1.data()}, out.data());
  EXPECT_FALSE(wrongCount.ok());
  EXPECT_NE(wrongCount.message().find("expected 2 tangent entries"), std::string::npos);
  Status zeroGiven =
      (*kernel)->evaluate(theta.data(), points.data(), {v1.data(), v1.data()}, out.data());
  EXPECT_FALSE(zeroGiven.ok());
  EXPECT_NE(zeroGiven.message().find("tangent 2 was compiled as zero"), std::string::npos);
  std::vector<float> f(10), fo(out.size());
  Status wrongType = (*kernel)->evaluate(f.data(), f.data(), {f.data(), nullptr}, fo.data());
  EXPECT_FALSE(wrongType.ok());
  EXPECT_NE(wrongType.message().find("compiled for f64"), std::string::npos);
}

TEST(JetApi, BuilderMisuseIsReported) {
  FieldBuilder fb(3);
  Expr x = fb.input();
  Expr bad = fb.add(x, fb.dense(x, 2));
  auto field = fb.build(fb.sum(bad));
  ASSERT_FALSE(field.ok());
  EXPECT_NE(field.error().find("operands have different sizes (3 and 2"), std::string::npos);

  FieldBuilder vectorOut(3);
  auto notScalar = vectorOut.build(vectorOut.input());
  ASSERT_FALSE(notScalar.ok());
  EXPECT_NE(notScalar.error().find("must be a scalar"), std::string::npos);

  FieldBuilder slices(3);
  auto outside = slices.build(slices.sum(slices.slice(slices.input(), 2, 2)));
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(outside.error().find("[2, 4) is not inside a vector of size 3"), std::string::npos);
}

TEST(JetApi, IRIsAvailableAtEveryStage) {
  Compiler compiler;
  Field field = smallMlp();
  auto problem = compiler.jetIR(field, spec(2, 2, 3), Stage::problem);
  ASSERT_TRUE(problem.ok()) << problem.error();
  EXPECT_NE(problem->find("jet.pushforward @u"), std::string::npos);
  EXPECT_NE(problem->find("stde.network @u"), std::string::npos);
  auto tensor = compiler.jetIR(field, spec(2, 2, 3), Stage::tensor);
  ASSERT_TRUE(tensor.ok()) << tensor.error();
  EXPECT_EQ(tensor->find("jet."), std::string::npos);
  EXPECT_NE(tensor->find("math.tanh"), std::string::npos);
  auto llvm = compiler.jetIR(field, spec(2, 2, 3), Stage::llvm);
  ASSERT_TRUE(llvm.ok()) << llvm.error();
  EXPECT_NE(llvm->find("llvm.func @_mlir_ciface_jet_kernel"), std::string::npos);
}
