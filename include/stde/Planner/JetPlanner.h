//===- JetPlanner.h - turn a linear differential operator into jets -------===//
//
// Given L u = sum_alpha C_alpha D^alpha u, the planner chooses pushforwards
// (jets: order and tangent slots) and exact rational weights on their output
// coefficients such that sum_e w_e d^{k_e} u(jet_e) = L u for every smooth u.
//
// Each multi-index is planned by its pattern (the multiplicities of its
// distinct coordinates, e.g. u_iij -> (2, 1)) on abstract coordinates, then
// instantiated. Strategies for a pattern, the cheapest one winning:
//  - diagonal: (e_i, 0, ..., 0) of order q gives D_i^q u cleanly;
//  - slots: coordinate t in its own slot s_t, order sum s_t q_t; every other
//    partition of the order into these slot sizes is a contaminating term,
//    planned recursively and subtracted;
//  - signs: order-n jets along e_0 +- e_1 +- ...; the sign character cancels
//    the terms of the wrong parity, the rest are planned recursively;
//  - interpolation (Griewank-Utke-Walther): order-n jets along every
//    sum_t j_t e_t with |j| = n, weights from an exact rational solve; always
//    clean, used when nothing cheaper works.
// Plans of all terms are merged: equal jets are pushed once, a jet whose
// slots are a prefix of a longer one is read from the longer one.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_PLANNER_JETPLANNER_H
#define STDE_PLANNER_JETPLANNER_H

#include "stde/Planner/JetMeasure.h"

namespace stde::planner {

/// Read coefficient k of pushforward `jet`, times `weight`.
struct Extraction {
  size_t jet;
  int64_t coefficient;
  Rational weight;
};

struct Plan {
  std::vector<JetDirection> jets;
  std::vector<Extraction> extractions;

  /// The operator the plan computes: sum of weight * measure(jet, k).
  LinearForm evaluate() const;
  /// Add scale * other (jets appended, merged later).
  void append(const Plan &other, const Rational &scale);
  /// Push equal jets once, read prefix jets from longer ones, sum and drop
  /// zero weights, forget unused jets.
  void merge();
  /// The highest jet order.
  int64_t maxOrder() const;
  std::string toString() const;
};

struct PlannerOptions {
  /// Highest jet order a strategy may use.
  int64_t maxOrder = 16;
  /// Relative cost of a jet whose tangents are not basis vectors (their
  /// first layer is a matrix product instead of a column gather).
  double denseTangentCost = 1.0;
};

/// Cost of a plan: the coefficients each distinct jet propagates, coefficient
/// k weighted by k (elementwise recurrences cost O(k) per coefficient), jets
/// with non-basis tangents weighted by denseTangentCost.
double planCost(const Plan &plan, const PlannerOptions &options);

class JetPlanner {
public:
  explicit JetPlanner(PlannerOptions options = {});
  ~JetPlanner();

  /// The plan for a single multi-index D^alpha u (weight 1).
  Plan planTerm(const MultiIndex &alpha);
  /// The plan for a whole operator, merged.
  Plan planOperator(const LinearForm &op);

  /// The plan for a pattern (multiplicities, non-increasing) on abstract
  /// coordinates 0..m-1: what a sampled term of that pattern instantiates.
  const Plan &planPattern(const std::vector<int64_t> &pattern);

private:
  struct Impl;
  Impl *impl;
};

/// The pattern of a multi-index and the coordinate of each abstract
/// coordinate: u_{1,4,4} -> pattern (2, 1), coordinates (4, 1).
void patternOf(const MultiIndex &alpha, std::vector<int64_t> &pattern,
               std::vector<int64_t> &coordinates);

/// Rename abstract coordinate t to coordinates[t] in every tangent.
Plan instantiate(const Plan &pattern, const std::vector<int64_t> &coordinates);

/// Griewank-Utke-Walther weights for D^alpha u from order-n jets along
/// sum_t j_t e_t (|j| = n, j_t >= 0) over the coordinates of alpha: the
/// weight of d^n along each direction j (zero weights omitted).
std::vector<std::pair<std::vector<int64_t>, Rational>>
interpolationWeights(const std::vector<int64_t> &pattern);

} // namespace stde::planner

#endif // STDE_PLANNER_JETPLANNER_H
