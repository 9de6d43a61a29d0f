//===- JetPlanner.cpp - choose jets and exact constants for an operator ---===//
//
// Every strategy proposes a few jets and fixed weights on their coefficients;
// the linear form they measure is c D^alpha u plus contaminating terms. The
// contaminants are planned recursively (by their own patterns) and
// subtracted, everything is scaled by 1/c, and the result is checked to
// measure exactly D^alpha u. The cheapest verified candidate wins.
//
//===----------------------------------------------------------------------===//
#include "stde/Planner/JetPlanner.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

namespace stde::planner {

namespace {

/// Jets and weights that measure some linear form.

SparseVector basis(int64_t coordinate, int64_t entry = 1) {
  return SparseVector{{coordinate, Rational(entry)}};
}

} // namespace

struct JetPlanner::Impl {
  PlannerOptions options;
  /// Plans by (pattern, depth): contaminants are planned one level deeper,
  /// and at the last level only clean strategies are tried, which bounds
  /// the search.
  std::map<std::pair<std::vector<int64_t>, int64_t>, Plan> memo;
  std::set<std::vector<int64_t>> inProgress;
  static constexpr int64_t maxDepth = 2;

  const Plan *planPattern(const std::vector<int64_t> &pattern, int64_t depth);
  std::optional<Plan> planMultiIndex(const MultiIndex &alpha, int64_t depth);
  std::optional<Plan> complete(const Plan &proposal, const MultiIndex &target,
                               int64_t depth, const Plan *bound);
  std::vector<Plan> proposals(const std::vector<int64_t> &pattern);
  bool better(const Plan &a, const Plan &b) const;
};

/// The multi-index of pattern q on abstract coordinates 0..m-1.
static MultiIndex abstractMultiIndex(const std::vector<int64_t> &pattern) {
  MultiIndex alpha;
  for (size_t t = 0; t < pattern.size(); ++t)
    alpha.insert(alpha.end(), pattern[t], static_cast<int64_t>(t));
  return alpha;
}

static int64_t totalOrder(const std::vector<int64_t> &pattern) {
  int64_t n = 0;
  for (int64_t q : pattern)
    n += q;
  return n;
}

bool JetPlanner::Impl::better(const Plan &a, const Plan &b) const {
  double ca = planCost(a, options), cb = planCost(b, options);
  if (ca != cb)
    return ca < cb;
  if (a.jets.size() != b.jets.size())
    return a.jets.size() < b.jets.size();
  return a.maxOrder() < b.maxOrder();
}

std::optional<Plan> JetPlanner::Impl::planMultiIndex(const MultiIndex &alpha,
                                                      int64_t depth) {
  std::vector<int64_t> pattern, coordinates;
  patternOf(alpha, pattern, coordinates);
  const Plan *abstract = planPattern(pattern, depth);
  if (!abstract)
    return std::nullopt;
  return instantiate(*abstract, coordinates);
}

std::optional<Plan> JetPlanner::Impl::complete(const Plan &proposal,
                                                const MultiIndex &target,
                                                int64_t depth, const Plan *bound) {
  LinearForm measured = proposal.evaluate();
  auto it = measured.find(target);
  if (it == measured.end())
    return std::nullopt;
  Rational scale = Rational(1) / it->second;
  Plan plan;
  plan.append(proposal, scale);
  for (const auto &[beta, coefficient] : measured) {
    if (beta == target)
      continue;
    if (depth == maxDepth)
      return std::nullopt;
    std::optional<Plan> contaminant = planMultiIndex(beta, depth + 1);
    if (!contaminant)
      return std::nullopt;
    plan.append(*contaminant, -coefficient * scale);
    // Adding terms rarely makes a merged plan cheaper: give up as soon as
    // this one cannot beat the best found so far.
    Plan partial = plan;
    partial.merge();
    if (bound && !better(partial, *bound))
      return std::nullopt;
  }
  plan.merge();
  // The plan must measure exactly the target: this guards every strategy.
  if (plan.evaluate() != LinearForm{{target, Rational(1)}})
    return std::nullopt;
  return plan;
}

std::vector<Plan> JetPlanner::Impl::proposals(const std::vector<int64_t> &pattern) {
  int64_t m = pattern.size();
  int64_t n = totalOrder(pattern);
  std::vector<Plan> result;

  // The primal: u itself is coefficient 0 of any jet.
  if (m == 0) {
    Plan plan;
    plan.jets.push_back(JetDirection{1, {}});
    plan.extractions.push_back({0, 0, Rational(1)});
    result.push_back(plan);
    return result;
  }

  // Diagonal: (e_0, 0, ..., 0) of order n measures D_0^n u.
  if (m == 1) {
    Plan plan;
    plan.jets.push_back(JetDirection{n, {{1, basis(0)}}});
    plan.extractions.push_back({0, n, Rational(1)});
    result.push_back(plan);
    return result;
  }

  // Interpolation: always clean.
  {
    Plan plan;
    for (const auto &[direction, weight] : interpolationWeights(pattern)) {
      SparseVector w;
      for (int64_t t = 0; t < m; ++t)
        if (direction[t])
          w[t] = Rational(direction[t]);
      plan.jets.push_back(JetDirection{n, {{1, w}}});
      plan.extractions.push_back({plan.jets.size() - 1, n, weight});
    }
    result.push_back(plan);
  }

  // Signs: e_0 +- e_1 +- ... with the character prod_t sigma_t^{q_t}.
  if (m <= 4) {
    Plan plan;
    for (int64_t mask = 0; mask < (int64_t(1) << (m - 1)); ++mask) {
      SparseVector w{{0, Rational(1)}};
      int64_t character = 1;
      for (int64_t t = 1; t < m; ++t) {
        bool negative = (mask >> (t - 1)) & 1;
        w[t] = Rational(negative ? -1 : 1);
        if (negative && pattern[t] % 2)
          character = -character;
      }
      plan.jets.push_back(JetDirection{n, {{1, w}}});
      plan.extractions.push_back({plan.jets.size() - 1, n, Rational(character)});
    }
    result.push_back(plan);
  }

  // Slots: coordinate t alone in slot s_t (distinct), order sum s_t q_t.
  // Orders beyond 2n + 1 only add contaminants (u_ij is clean at 5 = 2 + 3,
  // u_iij at 7 = 2 + 2 + 3), so the search stops there.
  int64_t slotOrderLimit = std::min(options.maxOrder, 2 * n + 1);
  if (m <= 4) {
    std::vector<int64_t> slot(m, 0);
    std::set<int64_t> used;
    std::function<void(int64_t, int64_t)> assign = [&](int64_t t, int64_t order) {
      if (t == m) {
        JetDirection jet{order, {}};
        for (int64_t i = 0; i < m; ++i)
          jet.slots[slot[i]] = basis(i);
        Plan plan;
        plan.jets.push_back(jet);
        plan.extractions.push_back({0, order, Rational(1)});
        result.push_back(plan);
        return;
      }
      for (int64_t s = 1; order + s * pattern[t] <= slotOrderLimit; ++s) {
        if (used.count(s))
          continue;
        slot[t] = s;
        used.insert(s);
        assign(t + 1, order + s * pattern[t]);
        used.erase(s);
      }
    };
    assign(0, 0);
  }
  return result;
}

const Plan *JetPlanner::Impl::planPattern(const std::vector<int64_t> &pattern,
                                          int64_t depth) {
  auto found = memo.find({pattern, depth});
  if (found != memo.end())
    return &found->second;
  if (inProgress.count(pattern))
    return nullptr;
  inProgress.insert(pattern);

  MultiIndex target = abstractMultiIndex(pattern);
  // Cheapest proposals first, so the bound below prunes early.
  std::vector<Plan> candidates = proposals(pattern);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](const Plan &a, const Plan &b) { return better(a, b); });
  std::optional<Plan> best;
  for (const Plan &proposal : candidates) {
    // A proposal already costlier than the best cannot win after adding
    // its contaminants.
    if (best && !better(proposal, *best))
      continue;
    std::optional<Plan> plan = complete(proposal, target, depth, best ? &*best : nullptr);
    if (plan && (!best || better(*plan, *best)))
      best = std::move(plan);
  }
  inProgress.erase(pattern);
  if (!best)
    return nullptr;
  return &memo.emplace(std::make_pair(pattern, depth), std::move(*best)).first->second;
}

JetPlanner::JetPlanner(PlannerOptions options) : impl(new Impl) {
  impl->options = options;
}

JetPlanner::~JetPlanner() { delete impl; }

const Plan &JetPlanner::planPattern(const std::vector<int64_t> &pattern) {
  // Interpolation always succeeds, so every pattern has a plan.
  return *impl->planPattern(pattern, 0);
}

Plan JetPlanner::planTerm(const MultiIndex &alpha) {
  std::optional<Plan> plan = impl->planMultiIndex(alpha, 0);
  return plan ? *plan : Plan{};
}

Plan JetPlanner::planOperator(const LinearForm &op) {
  Plan plan;
  for (const auto &[alpha, coefficient] : op)
    plan.append(planTerm(alpha), coefficient);
  plan.merge();
  return plan;
}

} // namespace stde::planner
