//===- ProblemModule.h - the module of a ProblemBuilder ---------*- C++ -*-===//
#ifndef STDE_LIB_API_PROBLEMMODULE_H
#define STDE_LIB_API_PROBLEMMODULE_H

#include "stde/API/ProblemBuilder.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace stde {

/// The estimator as the dialect's attribute.
mlir::Attribute estimatorAttr(mlir::MLIRContext *context, const Estimator &estimator);

/// The problem module: module attributes for the domain, one stde.network per
/// field (u first, then the fixed fields in the order they were added) and
/// func.func @loss with one op per recorded column, in the order recorded.
mlir::OwningOpRef<mlir::ModuleOp> buildProblemModule(mlir::MLIRContext &context,
                                                     const ProblemBuilder &problem);

/// The module built, verified and printed, below the description as comments.
Expected<std::string> printProblemModule(const ProblemBuilder &problem);

} // namespace stde

#endif // STDE_LIB_API_PROBLEMMODULE_H
