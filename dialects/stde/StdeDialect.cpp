//===- StdeDialect.cpp - registration of the stde dialect -----------------===//
#include "dialects/stde/StdeDialect.h"
#include "dialects/stde/StdeOps.h"

using namespace mlir;
using namespace stde;

#include "dialects/stde/StdeDialect.cpp.inc"
#include "dialects/stde/StdeEnums.cpp.inc"

void StdeDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/stde/StdeOps.cpp.inc"
      >();
  registerAttributes();
}
