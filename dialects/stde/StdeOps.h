//===- StdeOps.h - the operations of the stde dialect ------------*- C++ -*-===//
#ifndef STDE_DIALECTS_STDE_STDEOPS_H
#define STDE_DIALECTS_STDE_STDEOPS_H

#include "dialects/stde/StdeDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

#include "dialects/stde/OperatorInterface.h.inc"

#define GET_OP_CLASSES
#include "dialects/stde/StdeOps.h.inc"

#endif // STDE_DIALECTS_STDE_STDEOPS_H
