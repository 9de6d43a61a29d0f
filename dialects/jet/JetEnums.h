//===- JetEnums.h - coefficient kinds and elementwise functions ----------===//
#ifndef STDE_DIALECTS_JET_JETENUMS_H
#define STDE_DIALECTS_JET_JETENUMS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

#include "dialects/jet/JetEnums.h.inc"

#endif // STDE_DIALECTS_JET_JETENUMS_H
