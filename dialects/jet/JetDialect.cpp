//===- JetDialect.cpp - the jet dialect ----------------------------------===//
#include "dialects/jet/JetDialect.h"
#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::jet;

#include "dialects/jet/JetDialect.cpp.inc"
#include "dialects/jet/JetEnums.cpp.inc"

void JetDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/jet/JetOps.cpp.inc"
      >();
  registerTypes();
}
