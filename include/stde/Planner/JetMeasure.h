//===- JetMeasure.h - what one coefficient of a pushed jet measures -------===//
//
// A jet seeds the curve g(t) = x + sum_j v_j t^j / j! (slot j holds v_j).
// Its k-th output coefficient d^k u = d^k/dt^k u(g(t)) at t = 0 is, by Faa di
// Bruno grouped by integer partitions of k into slot sizes,
//   d^k u = sum_{p} k! / prod_j (p_j! (j!)^p_j) <D^{|p|} u, v_{j1} ... v_{jr}>,
// a linear form in the partial derivatives of u. The planner reasons only
// with these forms.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_PLANNER_JETMEASURE_H
#define STDE_PLANNER_JETMEASURE_H

#include "stde/Planner/LinearForm.h"

namespace stde::planner {

/// One pushforward: a jet of order K whose slot j (1..K) holds the tangent
/// v_j; slots that are absent hold zero.
struct JetDirection {
  int64_t order = 1;
  std::map<int64_t, SparseVector> slots;

  /// Whether every nonzero slot is a basis vector e_i with entry exactly 1
  /// (a one-hot tangent: a column gather in the first layer).
  bool isOneHot() const;
  /// Whether coefficient k can be nonzero: k is a sum of nonzero slot sizes.
  bool mayBeNonzero(int64_t k) const;

  bool operator<(const JetDirection &other) const;
  bool operator==(const JetDirection &other) const;
};

/// The linear form d^k u measures (0 <= k <= order; k = 0 is u).
LinearForm measure(const JetDirection &jet, int64_t k);

/// The multiplicities of the integer partitions of k into the given part
/// sizes: each entry maps part size -> count, with its Faa di Bruno
/// multiplicity k! / prod_j (p_j! (j!)^p_j).
struct SlotPartition {
  std::map<int64_t, int64_t> counts;
  Rational multiplicity;
};
std::vector<SlotPartition> partitionsIntoSlots(int64_t k,
                                               const std::vector<int64_t> &sizes);

/// "(0, e1, e0 + e2, 0)".
std::string toString(const JetDirection &jet);

} // namespace stde::planner

#endif // STDE_PLANNER_JETMEASURE_H
