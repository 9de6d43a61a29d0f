//===- RngOps.cpp - counter-based random numbers --------------------------===//
#include "mlir/Transforms/InliningUtils.h"
#include "dialects/rng/RngOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::rng;

#include "dialects/rng/RngDialect.cpp.inc"
#include "dialects/rng/RngEnums.cpp.inc"


namespace {
/// Calls of functions holding these ops may be inlined (a training step
/// composes the problem's @loss with the point sampler by a func.call): the
/// ops refer to no enclosing region.
struct RngInlinerInterface : mlir::DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(mlir::Operation *, mlir::Region *, bool, mlir::IRMapping &) const final {
    return true;
  }
};
} // namespace

void RngDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/rng/RngOps.cpp.inc"
      >();
  addInterfaces<RngInlinerInterface>();
}


LogicalResult DrawOp::verify() {
  auto type = getType();
  if (!type.hasStaticShape())
    return emitOpError("result must have a static shape, got ") << type;
  if (type.getNumElements() > kMaxDrawElements)
    return emitOpError("draws ") << type.getNumElements()
                                 << " numbers; one draw holds at most 2^32: split it "
                                    "into several streams";
  return success();
}

LogicalResult SampleOp::verify() {
  int64_t k = getType().getDimSize(0);
  if (ShapedType::isDynamic(k))
    return emitOpError("result must have a static size");
  if (k > getPopulation())
    return emitOpError("cannot draw ")
           << k << " distinct values from a population of " << getPopulation()
           << ": use at most " << getPopulation() << " samples";
  return success();
}

LogicalResult ChoiceOp::verify() {
  if (ShapedType::isDynamic(getType().getDimSize(0)))
    return emitOpError("result must have a static size");
  ArrayRef<double> weights = getWeights();
  if (weights.empty())
    return emitOpError("needs at least one weight");
  for (auto [i, w] : llvm::enumerate(weights))
    if (!(w > 0) || !std::isfinite(w))
      return emitOpError("weight ") << i << " is " << w
                                    << "; weights must be positive and finite";
  if (weights.size() > size_t(kMaxDrawElements))
    return emitOpError("at most 2^32 weights");
  return success();
}

#define GET_OP_CLASSES
#include "dialects/rng/RngOps.cpp.inc"
