//===- ZerothOrderProbe.h - zeroth-order internals of a program -*- C++ -*-===//
//
// For tests and analysis, not part of the public API: the entries a
// zeroth-order TrainingProgram's step is made of, callable one by one.
// Each is an error for an STDE program. pairLosses and directions are not in
// the training program: the first call of either compiles them (seconds).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_ZEROTHORDERPROBE_H
#define STDE_LIB_API_ZEROTHORDERPROBE_H

#include "stde/API/Training.h"

namespace stde {

class ZerothOrderProbe {
public:
  explicit ZerothOrderProbe(const TrainingProgram &program) : program(program) {}

  /// L(theta_eff +- eps P_j) for every pair j: 2 x pairs values (+ then -),
  /// spatial draws from (seed, spaceStep), perturbations from (seed,
  /// paramStep), subspace from `epoch`; `state` as in TrainingProgram::step.
  Status pairLosses(const void *params, const void *state, uint64_t seed, int64_t spaceStep,
                    int64_t paramStep, int64_t epoch, double *losses) const;
  /// The perturbation directions P_j materialized: pairs x numParams() values.
  Status directions(uint64_t seed, int64_t paramStep, int64_t epoch, void *out) const;
  /// Folds the cores of `epoch`'s subspace into the weights and clears them.
  Status fold(void *params, void *state, uint64_t seed, int64_t epoch) const;

private:
  const TrainingProgram &program;
};

} // namespace stde

#endif // STDE_LIB_API_ZEROTHORDERPROBE_H
