//===- Estimator.h - how an operator's derivatives are computed -*- C++ -*-===//
//
// The typed form of the dialect's estimator attributes (#stde.exact,
// #stde.sparse<samples = S>, #stde.dense<distribution = D, samples = S>),
// for problems built from C++ and for the problem library's options.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_ESTIMATOR_H
#define STDE_API_ESTIMATOR_H

#include "stde/API/Status.h"

#include <cstdint>
#include <string>

namespace stde {

/// Distribution of dense random tangents (E[v v^T] = I for both).
enum class TangentDistribution { rademacher, gaussian };

struct Estimator {
  enum class Kind {
    exact,  ///< every needed direction, deterministic
    sparse, ///< sampled coordinates / terms (sparse STDE)
    dense   ///< random dense tangents (dense STDE, Hutchinson for order 2)
  };
  Kind kind = Kind::exact;
  int64_t samples = 0; ///< sampled terms or directions per point (sparse, dense)
  TangentDistribution distribution = TangentDistribution::rademacher; ///< dense only

  static Estimator exact() { return {}; }
  static Estimator sparse(int64_t samples) { return {Kind::sparse, samples}; }
  static Estimator dense(int64_t samples, TangentDistribution d = TangentDistribution::rademacher) {
    return {Kind::dense, samples, d};
  }

  /// The dialect attribute it stands for, e.g. "#stde.sparse<samples = 16>"
  /// (for messages and summaries).
  std::string str() const;
  /// An error naming the bad field (samples < 1 for a random estimator).
  Status check() const;

  bool operator==(const Estimator &o) const {
    return kind == o.kind && (kind == Kind::exact || samples == o.samples) &&
           (kind != Kind::dense || distribution == o.distribution);
  }
  bool operator!=(const Estimator &o) const { return !(*this == o); }
};

/// `exact`, `sparse`, `dense` (Rademacher) or `dense-gaussian`, with `samples`
/// for the random ones; an error lists the names.
Expected<Estimator> estimatorNamed(const std::string &name, int64_t samples);

} // namespace stde

#endif // STDE_API_ESTIMATOR_H
