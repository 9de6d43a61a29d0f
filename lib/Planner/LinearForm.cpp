//===- LinearForm.cpp - exact linear combinations of partial derivatives --===//
#include "stde/Planner/LinearForm.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace stde::planner {

static std::string digits(const llvm::DynamicAPInt &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

double toDouble(const Rational &value) {
  // Both parts through long double: exact for the integers the planner
  // produces, and the quotient is rounded once.
  long double num = std::strtold(digits(value.num).c_str(), nullptr);
  long double den = std::strtold(digits(value.den).c_str(), nullptr);
  return static_cast<double>(num / den);
}

std::string toString(const Rational &value) {
  if (value.den == 1)
    return digits(value.num);
  return digits(value.num) + "/" + digits(value.den);
}

void accumulate(LinearForm &form, const LinearForm &other, const Rational &scale) {
  for (const auto &[alpha, coefficient] : other) {
    Rational sum = form[alpha] + scale * coefficient;
    if (sum.num == 0)
      form.erase(alpha);
    else
      form[alpha] = sum;
  }
}

void appendTerm(std::string &text, bool first, const Rational &coefficient,
                const std::string &what, bool omitUnit) {
  bool negative = coefficient.num < 0;
  if (!first)
    text += negative ? " - " : " + ";
  else if (negative)
    text += "-";
  Rational magnitude = negative ? -coefficient : coefficient;
  if (!omitUnit || magnitude != Rational(1))
    text += toString(magnitude) + " ";
  text += what;
}

std::string toString(const LinearForm &form) {
  if (form.empty())
    return "0";
  std::string text;
  bool first = true;
  for (const auto &[alpha, coefficient] : form) {
    std::string index = "[";
    for (size_t i = 0; i < alpha.size(); ++i)
      index += (i ? ", " : "") + std::to_string(alpha[i]);
    appendTerm(text, first, coefficient, index + "]", false);
    first = false;
  }
  return text;
}

Rational factorial(int64_t k) {
  llvm::DynamicAPInt result(1);
  for (int64_t i = 2; i <= k; ++i)
    result *= llvm::DynamicAPInt(i);
  return Rational(result);
}

} // namespace stde::planner
