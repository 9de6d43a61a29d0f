//===- StdeAttrs.cpp - estimator and term attributes ----------------------===//
//
// Attribute verifiers reject estimators that cannot work whatever they are
// attached to; the checks that depend on the operator and the network (samples
// larger than the dimension, ...) are made by the operator ops.
//
//===----------------------------------------------------------------------===//
#include "dialects/stde/StdeDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace stde;

#define GET_ATTRDEF_CLASSES
#include "dialects/stde/StdeAttrs.cpp.inc"

void StdeDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/stde/StdeAttrs.cpp.inc"
      >();
}

FailureOr<llvm::APFloat> stde::detail::parseF64Parameter(AsmParser &parser) {
  double value = 0;
  if (parser.parseFloat(value))
    return failure();
  return llvm::APFloat(value);
}

LogicalResult SparseAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t samples) {
  if (samples < 1)
    return emitError() << "sparse estimator needs samples >= 1, got " << samples;
  return success();
}

LogicalResult
DenseEstimatorAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                           Distribution, int64_t samples) {
  if (samples < 1)
    return emitError() << "dense estimator needs samples >= 1, got " << samples;
  return success();
}

LogicalResult ZerothOrderAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                      llvm::APFloat eps, int64_t rank,
                                      int64_t pairs) {
  double e = eps.convertToDouble();
  if (!std::isfinite(e) || e <= 0)
    return emitError() << "zeroth-order estimator needs a finite eps > 0, got " << e;
  if (rank < 1)
    return emitError() << "zeroth-order estimator needs rank >= 1, got " << rank;
  if (pairs < 1)
    return emitError() << "zeroth-order estimator needs pairs >= 1, got " << pairs;
  return success();
}

//===----------------------------------------------------------------------===//
// TermAttr: `#stde.term<coefficient * [i, j, ...]>`
//===----------------------------------------------------------------------===//

LogicalResult TermAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               llvm::APFloat coefficient, ArrayRef<int64_t> index) {
  double c = coefficient.convertToDouble();
  if (!std::isfinite(c))
    return emitError() << "term coefficient must be finite, got " << c;
  if (c == 0)
    return emitError() << "term coefficient is zero: leave the term out";
  if (index.empty())
    return emitError()
           << "term has an empty multi-index (order 0): use stde.apply for u itself";
  for (int64_t i : index)
    if (i < 0)
      return emitError() << "multi-index entries are coordinates >= 0, got " << i;
  if (!llvm::is_sorted(index))
    return emitError() << "multi-index must be sorted (non-decreasing): write the "
                          "coordinates of each derivative in increasing order";
  return success();
}

/// Parses `coefficient * [i, j, ...]` (shared by the attribute and stde.diff).
static FailureOr<TermAttr> parseTermBody(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  double coefficient = 0;
  SmallVector<int64_t> index;
  if (parser.parseFloat(coefficient) || parser.parseStar() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
        return parser.parseInteger(index.emplace_back());
      }))
    return failure();
  return TermAttr::getChecked([&] { return parser.emitError(loc); },
                              parser.getContext(), llvm::APFloat(coefficient),
                              index);
}

static void printTermBody(AsmPrinter &printer, TermAttr term) {
  printer.printFloat(term.getCoefficient());
  printer << " * [";
  llvm::interleaveComma(term.getIndex(), printer.getStream());
  printer << "]";
}

Attribute TermAttr::parse(AsmParser &parser, Type) {
  FailureOr<TermAttr> term;
  if (parser.parseLess() || failed(term = parseTermBody(parser)) ||
      parser.parseGreater())
    return {};
  return *term;
}

void TermAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printTermBody(printer, *this);
  printer << ">";
}

namespace stde::detail {
FailureOr<TermAttr> parseTerm(AsmParser &parser) { return parseTermBody(parser); }
void printTerm(AsmPrinter &printer, TermAttr term) { printTermBody(printer, term); }
} // namespace stde::detail
