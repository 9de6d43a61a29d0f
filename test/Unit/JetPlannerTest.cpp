//===- JetPlannerTest.cpp - the planner's constants and plans -------------===//
//
// Constants: every entry of docs/MATH.md's mixed-partial tables,
// including the corrected ones. Plans: checked on random polynomials through
// PolynomialOracle.h, which composes the polynomial with the jet's curve
// directly (no Faa di Bruno), so an exact plan must match to the last bit.
//
//===----------------------------------------------------------------------===//
#include "PolynomialOracle.h"

#include <gtest/gtest.h>

using namespace stde::planner;
using stde::test::Polynomial;

namespace {

SparseVector e(int64_t i, int64_t entry = 1) { return {{i, Rational(entry)}}; }
SparseVector sum(SparseVector a, const SparseVector &b) {
  for (const auto &[i, v] : b)
    a[i] = a[i] + v;
  return a;
}

JetDirection jet(int64_t order, std::map<int64_t, SparseVector> slots) {
  return JetDirection{order, std::move(slots)};
}

LinearForm form(std::initializer_list<std::pair<MultiIndex, int64_t>> terms) {
  LinearForm f;
  for (const auto &[alpha, c] : terms)
    f[alpha] = Rational(c);
  return f;
}

// Coordinates used below: i = 0, j = 1 (x = 0, y = 1, t = 2).

TEST(JetMeasure, FaaDiBrunoMultiplicitiesOfOrderFour) {
  // y4 = <d4F, v1^4> + 6<d3F, v1^2 v2> + 4<d2F, v1 v3> + 3<d2F, v2 v2> + <dF, v4>.
  std::map<std::map<int64_t, int64_t>, Rational> found;
  for (const SlotPartition &p : partitionsIntoSlots(4, {1, 2, 3, 4}))
    found[p.counts] = p.multiplicity;
  ASSERT_EQ(found.size(), 5u);
  using Counts = std::map<int64_t, int64_t>;
  EXPECT_EQ(found[Counts({{1, 4}})], Rational(1));
  EXPECT_EQ(found[Counts({{1, 2}, {2, 1}})], Rational(6));
  EXPECT_EQ(found[Counts({{1, 1}, {3, 1}})], Rational(4));
  EXPECT_EQ(found[Counts({{2, 2}})], Rational(3));
  EXPECT_EQ(found[Counts({{4, 1}})], Rational(1));
}

TEST(JetMeasure, MixedPartialTable) {
  // u_ij: one 5-jet (0, e_i, e_j, 0, 0), d5 = 10 u_ij, clean.
  EXPECT_EQ(measure(jet(5, {{2, e(0)}, {3, e(1)}}), 5), form({{{0, 1}, 10}}));
  // u_ij: two 2-jets, d2(e_i + e_j) - d2(e_i - e_j) = 4 u_ij.
  LinearForm polar = measure(jet(2, {{1, sum(e(0), e(1))}}), 2);
  accumulate(polar, measure(jet(2, {{1, sum(e(0), e(1, -1))}}), 2), Rational(-1));
  EXPECT_EQ(polar, form({{{0, 1}, 4}}));
  // u_iij, 4-jet (e_i, e_j, 0, 0): d4 = u_iiii + 6 u_iij + 3 u_jj.
  EXPECT_EQ(measure(jet(4, {{1, e(0)}, {2, e(1)}}), 4),
            form({{{0, 0, 0, 0}, 1}, {{0, 0, 1}, 6}, {{1, 1}, 3}}));
  // u_iij, 5-jet (e_i, 0, e_j, 0, 0): d5 = u_iiiii + 10 u_iij.
  EXPECT_EQ(measure(jet(5, {{1, e(0)}, {3, e(1)}}), 5),
            form({{{0, 0, 0, 0, 0}, 1}, {{0, 0, 1}, 10}}));
  // One 7-jet (0, e_i, e_j, 0, ...): d7 = 105 u_iij, d4 = 3 u_ii, d3 = u_j.
  JetDirection seven = jet(7, {{2, e(0)}, {3, e(1)}});
  EXPECT_EQ(measure(seven, 7), form({{{0, 0, 1}, 105}}));
  EXPECT_EQ(measure(seven, 4), form({{{0, 0}, 3}}));
  EXPECT_EQ(measure(seven, 3), form({{{1}, 1}}));
  // u_iijj by polarization: d4(e_i+e_j) + d4(e_i-e_j) = 2 u_iiii + 12 u_iijj + 2 u_jjjj.
  LinearForm both = measure(jet(4, {{1, sum(e(0), e(1))}}), 4);
  accumulate(both, measure(jet(4, {{1, sum(e(0), e(1, -1))}}), 4), Rational(1));
  EXPECT_EQ(both, form({{{0, 0, 0, 0}, 2}, {{0, 0, 1, 1}, 12}, {{1, 1, 1, 1}, 2}}));
}

TEST(JetMeasure, PublishedErrata) {
  // 13-jet (v3 = e_x, v4 = e_y, v7 = e_t) for 2-D KdV: d6 = 10 u_xx (a
  // published version has no divisor); d11 and d13 are contaminated.
  JetDirection kdv = jet(13, {{3, e(0)}, {4, e(1)}, {7, e(2)}});
  EXPECT_EQ(measure(kdv, 6), form({{{0, 0}, 10}}));
  EXPECT_EQ(measure(kdv, 11), form({{{1, 2}, 330}, {{0, 1, 1}, 5775}}));
  EXPECT_EQ(measure(kdv, 13), form({{{0, 0, 0, 1}, 200200}, {{0, 0, 2}, 17160}}));
  // 9-jet (v2 = e_x, v3 = e_y): d9 = 1260 u_xxxy + 280 u_yyy (not / 840).
  EXPECT_EQ(measure(jet(9, {{2, e(0)}, {3, e(1)}}), 9),
            form({{{0, 0, 0, 1}, 1260}, {{1, 1, 1}, 280}}));
}

/// Weights of d^n along j1 e_i + j2 e_j, times n!, by direction.
std::map<std::vector<int64_t>, Rational> gammas(std::vector<int64_t> pattern) {
  int64_t n = 0;
  for (int64_t q : pattern)
    n += q;
  std::map<std::vector<int64_t>, Rational> result;
  for (const auto &[direction, weight] : interpolationWeights(pattern))
    result[direction] = weight * factorial(n);
  return result;
}

TEST(Interpolation, GriewankUtkeWaltherWeights) {
  // u_iij = (1/3!) sum gamma_j d3u(j1 e_i + j2 e_j).
  auto iij = gammas({2, 1});
  ASSERT_EQ(iij.size(), 4u);
  EXPECT_EQ(iij[(std::vector<int64_t>{3, 0})], Rational(-5, 27));
  EXPECT_EQ(iij[(std::vector<int64_t>{2, 1})], Rational(2, 3));
  EXPECT_EQ(iij[(std::vector<int64_t>{1, 2})], Rational(-1, 3));
  EXPECT_EQ(iij[(std::vector<int64_t>{0, 3})], Rational(2, 27));
  // u_iijj = (1/4!) sum gamma_j d4u(j1 e_i + j2 e_j).
  auto iijj = gammas({2, 2});
  ASSERT_EQ(iijj.size(), 5u);
  EXPECT_EQ(iijj[(std::vector<int64_t>{4, 0})], Rational(13, 192));
  EXPECT_EQ(iijj[(std::vector<int64_t>{0, 4})], Rational(13, 192));
  EXPECT_EQ(iijj[(std::vector<int64_t>{3, 1})], Rational(-1, 3));
  EXPECT_EQ(iijj[(std::vector<int64_t>{1, 3})], Rational(-1, 3));
  EXPECT_EQ(iijj[(std::vector<int64_t>{2, 2})], Rational(5, 8));
}

TEST(Interpolation, PublishedTableDoesNotCancel) {
  // A published table lists -8/81, 16/27, -16/9, 32/81 for u_iij: it leaves
  // u_iii behind. The measurement shows it, so the check above can fail.
  Plan published;
  std::vector<std::pair<std::vector<int64_t>, Rational>> table = {
      {{3, 0}, Rational(-8, 81)}, {{2, 1}, Rational(16, 27)},
      {{1, 2}, Rational(-16, 9)}, {{0, 3}, Rational(32, 81)}};
  for (const auto &[j, gamma] : table) {
    published.jets.push_back(jet(3, {{1, sum(e(0, j[0]), e(1, j[1]))}}));
    published.extractions.push_back({published.jets.size() - 1, 3, gamma / factorial(3)});
  }
  EXPECT_NE(published.evaluate(), form({{{0, 0, 1}, 1}}));
}

/// The plan must reproduce the operator on random polynomials whose degree
/// covers every order the plan's jets can see.
void expectExactOnPolynomials(const Plan &plan, const LinearForm &op, int64_t dim) {
  ASSERT_FALSE(plan.extractions.empty());
  EXPECT_EQ(plan.evaluate(), op) << plan.toString();
  for (unsigned seed = 1; seed <= 3; ++seed) {
    Polynomial p = Polynomial::random(dim, plan.maxOrder(), 40, seed);
    std::vector<Rational> x;
    for (int64_t i = 0; i < dim; ++i)
      x.push_back(Rational(int64_t(i % 3) - 1, 2 + i));
    EXPECT_EQ(p.apply(plan, x), p.apply(op, x)) << plan.toString();
  }
}

struct OperatorCase {
  const char *name;
  int64_t dim;
  LinearForm op;
};

std::vector<OperatorCase> operatorCases() {
  LinearForm laplacian, biharmonic;
  for (int64_t i = 0; i < 4; ++i) {
    laplacian[{i, i}] = Rational(1);
    for (int64_t j = 0; j < 4; ++j) {
      MultiIndex alpha{i, i, j, j};
      std::sort(alpha.begin(), alpha.end());
      biharmonic[alpha] = biharmonic[alpha] + Rational(1);
    }
  }
  return {
      {"u_ij", 3, form({{{0, 2}, 1}})},
      {"u_iij", 3, form({{{1, 1, 2}, 1}})},
      {"u_iijj", 3, form({{{0, 0, 2, 2}, 1}})},
      {"u_ijk", 3, form({{{0, 1, 2}, 1}})},
      {"u_xxxy", 2, form({{{0, 0, 0, 1}, 1}})},
      {"u_iijk", 3, form({{{0, 0, 1, 2}, 1}})},
      {"kdv", 3, form({{{2}, 1}, {{0, 0, 0}, 1}, {{0, 0, 1}, 1}, {{1, 1}, 3}})},
      {"laplacian", 4, laplacian},
      {"biharmonic", 4, biharmonic},
      {"with u and grad", 2, form({{{}, 2}, {{0}, -1}, {{0, 1}, 3}})},
  };
}

TEST(JetPlanner, ExactOnPolynomials) {
  for (double denseCost : {1.0, 50.0}) {
    JetPlanner planner(PlannerOptions{16, denseCost});
    for (const OperatorCase &c : operatorCases()) {
      SCOPED_TRACE(std::string(c.name) + " dense cost " + std::to_string(denseCost));
      expectExactOnPolynomials(planner.planOperator(c.op), c.op, c.dim);
    }
  }
}

TEST(JetPlanner, ChoosesCheapPlans) {
  JetPlanner planner;
  // u_ij by two order-2 jets (polarization) when dense tangents are cheap.
  Plan ij = planner.planTerm({0, 1});
  EXPECT_EQ(ij.jets.size(), 2u) << ij.toString();
  EXPECT_EQ(ij.maxOrder(), 2) << ij.toString();
  // The diagonal is one clean jet.
  Plan diag = planner.planTerm({3, 3, 3});
  ASSERT_EQ(diag.jets.size(), 1u);
  EXPECT_EQ(diag.toString(), "1 * d3(e3, 0, 0)");
  // Expensive dense tangents: only basis-vector slots.
  JetPlanner sparse(PlannerOptions{16, 1000.0});
  for (MultiIndex alpha : {MultiIndex{0, 1}, MultiIndex{0, 0, 1}, MultiIndex{0, 0, 1, 1}}) {
    Plan plan = sparse.planTerm(alpha);
    for (const JetDirection &j : plan.jets)
      EXPECT_TRUE(j.isOneHot()) << plan.toString();
  }
  // Exact Laplacian in d = 4: four clean order-2 jets.
  LinearForm laplacian;
  for (int64_t i = 0; i < 4; ++i)
    laplacian[{i, i}] = Rational(1);
  Plan lap = planner.planOperator(laplacian);
  EXPECT_EQ(lap.jets.size(), 4u) << lap.toString();
}

TEST(JetPlanner, SharesJetsBetweenTerms) {
  // u_ii and u_iiii can share nothing, but u_j from the 7-jet prefix and
  // the diagonal jets of a biharmonic's polarizations are pushed once.
  JetPlanner planner;
  LinearForm op = form({{{0, 0, 1, 1}, 1}, {{0, 0, 2, 2}, 1}});
  Plan plan = planner.planOperator(op);
  int64_t diagonalOfZero = 0;
  for (const JetDirection &j : plan.jets)
    if (j.slots.size() == 1 && j.slots.begin()->second == e(0))
      ++diagonalOfZero;
  EXPECT_LE(diagonalOfZero, 1) << plan.toString();
  expectExactOnPolynomials(plan, op, 3);
}

} // namespace
