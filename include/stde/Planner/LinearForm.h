//===- LinearForm.h - exact linear combinations of partial derivatives ----===//
//
// The vocabulary of the jet planner: exact rationals, multi-indices, sparse
// tangent vectors and linear forms sum_alpha c_alpha D^alpha u.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_PLANNER_LINEARFORM_H
#define STDE_PLANNER_LINEARFORM_H

#include "mlir/Analysis/Presburger/Fraction.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace stde::planner {

/// Exact rational arithmetic on arbitrary-precision integers: constants such
/// as 1/200200 or 13/192 are carried exactly and rounded once, at emission.
using Rational = mlir::presburger::Fraction;

/// The rational nearest in double precision.
double toDouble(const Rational &value);
/// "p/q" or "p".
std::string toString(const Rational &value);

/// A multi-index as the sorted list of the coordinates differentiated, with
/// repetition: {0, 0, 1} is d^3 u / dx0^2 dx1; {} is u itself.
using MultiIndex = std::vector<int64_t>;

/// A linear combination of partial derivatives sum_alpha c_alpha D^alpha u.
/// Zero coefficients are never stored.
using LinearForm = std::map<MultiIndex, Rational>;

/// A sparse vector of the input space: coordinate -> entry (no zeros).
using SparseVector = std::map<int64_t, Rational>;

/// form += scale * other, dropping terms that cancel.
void accumulate(LinearForm &form, const LinearForm &other, const Rational &scale);

/// Appends one signed term "c what" of a sum to `text` (" + ", " - " or a
/// leading "-"); a unit magnitude is left out when `omitUnit`.
void appendTerm(std::string &text, bool first, const Rational &coefficient,
                const std::string &what, bool omitUnit);

/// "3/2 [0, 1] - 2 [1, 1]".
std::string toString(const LinearForm &form);

/// k! exactly.
Rational factorial(int64_t k);

} // namespace stde::planner

#endif // STDE_PLANNER_LINEARFORM_H
