//===- RngOps.h - counter-based random numbers ----------------------------===//
#ifndef STDE_DIALECTS_RNG_RNGOPS_H
#define STDE_DIALECTS_RNG_RNGOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/rng/RngLimits.h"

#include "dialects/rng/RngEnums.h.inc"

#include "dialects/rng/RngDialect.h.inc"

#define GET_OP_CLASSES
#include "dialects/rng/RngOps.h.inc"

#endif // STDE_DIALECTS_RNG_RNGOPS_H
