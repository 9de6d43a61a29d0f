//===- Passes.h - conversions from one level to the next -------*- C++ -*-===//
#ifndef STDE_CONVERSION_PASSES_H
#define STDE_CONVERSION_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace stde {
#define GEN_PASS_DECL
#include "stde/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

#endif // STDE_CONVERSION_PASSES_H
