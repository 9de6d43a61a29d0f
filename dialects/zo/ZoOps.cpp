//===- ZoOps.cpp - verifiers and result types of the zo ops ---------------===//
#include "dialects/zo/ZoOps.h"
#include "dialects/rng/RngLimits.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlir::zo;

#include "dialects/zo/ZoDialect.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/zo/ZoOps.cpp.inc"

namespace {
/// The ops refer to no enclosing region: functions holding them inline.
struct ZoInlinerInterface : DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final { return true; }
};
} // namespace

void ZoDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/zo/ZoOps.cpp.inc"
      >();
  addInterfaces<ZoInlinerInterface>();
}


LogicalResult BasisOp::verify() {
  auto type = getType();
  if (type.getRank() != 2 || type.isDynamicDim(0) || type.isDynamicDim(1))
    return emitOpError() << "result must be a static tensor<n x r>, got " << type;
  int64_t n = type.getDimSize(0), r = type.getDimSize(1);
  if (r < 1 || r > n)
    return emitOpError() << "an orthonormal basis of rank " << r << " needs 1 <= r <= n = " << n
                         << ": use a rank of at most " << n;
  if (n * r >= rng::kMaxDrawElements)
    return emitOpError() << "draws " << n * r << " values; a stream holds at most 2^32";
  return success();
}
