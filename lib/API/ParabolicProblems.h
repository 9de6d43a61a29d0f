//===- ParabolicProblems.h - Allen-Cahn and Sine-Gordon in time -*- C++ -*-===//
#ifndef STDE_LIB_API_PARABOLICPROBLEMS_H
#define STDE_LIB_API_PARABOLICPROBLEMS_H

#include "stde/API/ProblemBuilder.h"
#include "stde/API/Problems.h"

namespace stde {

/// u_t + Lap u + u - u^3 = 0, u(x, T) = arctan(max_i x_i).
Expected<ProblemBuilder> allenCahnTimeProblem(const ProblemOptions &o);
/// u_t + Lap u + d sin(u / d) = 0, u(x, T) = 5 d / (10 + 2|x|^2).
Expected<ProblemBuilder> sineGordonTimeProblem(const ProblemOptions &o);

/// u(0, 0) from docs/MATH.md for d = 10, 100, 1K, 10K; 0 for other d.
double allenCahnTimeReference(int64_t dim);
double sineGordonTimeReference(int64_t dim);

} // namespace stde

#endif // STDE_LIB_API_PARABOLICPROBLEMS_H
