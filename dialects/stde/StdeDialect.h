//===- StdeDialect.h - the stde dialect, its enums and attributes -*- C++ -*-===//
#ifndef STDE_DIALECTS_STDE_STDEDIALECT_H
#define STDE_DIALECTS_STDE_STDEDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/APFloat.h"

#include "dialects/stde/StdeDialect.h.inc"
#include "dialects/stde/StdeEnums.h.inc"

namespace stde::detail {
/// Parses a float literal as an f64 attribute parameter.
mlir::FailureOr<llvm::APFloat> parseF64Parameter(mlir::AsmParser &parser);
} // namespace stde::detail

#define GET_ATTRDEF_CLASSES
#include "dialects/stde/StdeAttrs.h.inc"

namespace stde::detail {
/// `coefficient * [i, j, ...]`: the body of a term, shared by `#stde.term<...>`
/// and the term list of `stde.diff`.
mlir::FailureOr<TermAttr> parseTerm(mlir::AsmParser &parser);
void printTerm(mlir::AsmPrinter &printer, TermAttr term);
} // namespace stde::detail

#endif // STDE_DIALECTS_STDE_STDEDIALECT_H
