//===- EvolutionProblems.h - initial-value problems on boxes ----*- C++ -*-===//
#ifndef STDE_LIB_API_EVOLUTIONPROBLEMS_H
#define STDE_LIB_API_EVOLUTIONPROBLEMS_H

#include "stde/API/ProblemBuilder.h"
#include "stde/API/Problems.h"

#include <vector>

namespace stde {

/// The wave equation u_tt = Lap u in d dimensions.
Expected<ProblemBuilder> waveProblem(const ProblemOptions &o);
/// The (2+1)-dimensional KdV-type equation (two space coordinates + t).
Expected<ProblemBuilder> kdv2dProblem(const ProblemOptions &o);
/// The Kadomtsev-Petviashvili equation (two space coordinates + t).
Expected<ProblemBuilder> kpProblem(const ProblemOptions &o);
/// Boundary points per step on the spatial faces: N / 5, at least 2.
int64_t evolutionBoundaryPoints(const ProblemOptions &o);

/// The exact solutions at (x, t) (t last).
double waveExact(const std::vector<double> &xt);
double kdv2dExact(const std::vector<double> &xt);
double kpExact(const std::vector<double> &xt);

} // namespace stde

#endif // STDE_LIB_API_EVOLUTIONPROBLEMS_H
