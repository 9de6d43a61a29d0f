//===- StdeDialect.cpp - registration of the stde dialect -----------------===//
#include "mlir/Transforms/InliningUtils.h"
#include "dialects/stde/StdeDialect.h"
#include "dialects/stde/StdeOps.h"

using namespace mlir;
using namespace stde;

#include "dialects/stde/StdeDialect.cpp.inc"
#include "dialects/stde/StdeEnums.cpp.inc"


namespace {
/// Calls of functions holding these ops may be inlined (a training step
/// composes the problem's @loss with the point sampler by a func.call): the
/// ops refer to no enclosing region.
struct StdeInlinerInterface : mlir::DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(mlir::Operation *, mlir::Region *, bool, mlir::IRMapping &) const final {
    return true;
  }
};
} // namespace

void StdeDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/stde/StdeOps.cpp.inc"
      >();
  addInterfaces<StdeInlinerInterface>();
  registerAttributes();
}
