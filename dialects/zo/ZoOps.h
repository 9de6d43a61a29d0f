//===- ZoOps.h - paired parameter perturbations (SDZE) --------------------===//
#ifndef STDE_DIALECTS_ZO_ZOOPS_H
#define STDE_DIALECTS_ZO_ZOOPS_H


#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/zo/ZoDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/zo/ZoOps.h.inc"

#endif // STDE_DIALECTS_ZO_ZOOPS_H
