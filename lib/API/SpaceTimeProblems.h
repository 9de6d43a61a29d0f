//===- SpaceTimeProblems.h - time-dependent benchmark problems --*- C++ -*-===//
#ifndef STDE_LIB_API_SPACETIMEPROBLEMS_H
#define STDE_LIB_API_SPACETIMEPROBLEMS_H

#include "stde/API/ProblemBuilder.h"
#include "stde/API/Problems.h"

namespace stde {

/// The semilinear heat problem (d = o.dim space coordinates + t).
Expected<ProblemBuilder> semilinearHeatProblem(const ProblemOptions &o);
/// u(0, 0) from docs/MATH.md for d = 10, 100, 1K, 10K; 0 for other d.
double semilinearHeatReference(int64_t dim);

/// The gKdV soliton problem (one space coordinate + t).
Expected<ProblemBuilder> gkdvProblem(const ProblemOptions &o);
/// Boundary points per step (x = -4 and x = 4): N / 5, at least 2.
int64_t gkdvBoundaryPoints(const ProblemOptions &o);
/// The soliton u*(x, t) in double precision.
double gkdvExact(double x, double t);

} // namespace stde

#endif // STDE_LIB_API_SPACETIMEPROBLEMS_H
