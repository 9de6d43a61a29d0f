//===- ControlProblems.h - HJB and Black-Scholes-Barenblatt problems -*- C++ -*-===//
#ifndef STDE_LIB_API_CONTROLPROBLEMS_H
#define STDE_LIB_API_CONTROLPROBLEMS_H

#include "stde/API/ProblemBuilder.h"
#include "stde/API/Problems.h"

#include <vector>

namespace stde {

/// HJB with a linear solution (d = o.dim space coordinates + t).
Expected<ProblemBuilder> hjbLinProblem(const ProblemOptions &o);
/// HJB of a linear-quadratic-Gaussian control problem (error at u(0, 0)).
Expected<ProblemBuilder> hjbLqgProblem(const ProblemOptions &o);
/// Black-Scholes-Barenblatt (a diagonal, point-dependent sigma).
Expected<ProblemBuilder> bsbProblem(const ProblemOptions &o);

/// The exact solutions at (x, t) (x.size() = d + 1, t last).
double hjbLinExact(const std::vector<double> &xt);
double bsbExact(const std::vector<double> &xt);
/// u*(x, t) of HJB-LQG at (x, t) (x.size() = d + 1, t last):
/// -ln E[2 / (1 + |x + sqrt(2) W_{T-t}|^2)] by quadrature (ControlProblems.cpp).
double hjbLqgExact(const std::vector<double> &xt);
/// The point HJB-LQG's error is measured at: x = (1, ..., 1), t = 0.
std::vector<double> hjbLqgReferencePoint(int64_t dim);

} // namespace stde

#endif // STDE_LIB_API_CONTROLPROBLEMS_H
