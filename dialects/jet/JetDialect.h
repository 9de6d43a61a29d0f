//===- JetDialect.h - the jet dialect ------------------------------------===//
#ifndef STDE_DIALECTS_JET_JETDIALECT_H
#define STDE_DIALECTS_JET_JETDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/jet/JetEnums.h"

#include "dialects/jet/JetDialect.h.inc"

#define GET_TYPEDEF_CLASSES
#include "dialects/jet/JetTypes.h.inc"

#endif // STDE_DIALECTS_JET_JETDIALECT_H
