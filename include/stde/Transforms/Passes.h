//===- Passes.h - passes within the stde (problem) level -------*- C++ -*-===//
#ifndef STDE_TRANSFORMS_PASSES_H
#define STDE_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>
#include <string>

namespace stde {
#define GEN_PASS_DECL
#include "stde/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

#endif // STDE_TRANSFORMS_PASSES_H
