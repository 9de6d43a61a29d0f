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


SmallVector<int64_t> DrawOp::getDrawShape() {
  if (auto of = getSliceOfAttr())
    return SmallVector<int64_t>(of.asArrayRef());
  return SmallVector<int64_t>(getType().getShape());
}

SmallVector<int64_t> DrawOp::getDrawOffsets() {
  if (auto offsets = getSliceOffsetsAttr())
    return SmallVector<int64_t>(offsets.asArrayRef());
  return SmallVector<int64_t>(getType().getRank(), 0);
}

LogicalResult DrawOp::verify() {
  auto type = getType();
  if (!type.hasStaticShape())
    return emitOpError("result must have a static shape, got ") << type;
  if (bool(getSliceOffsetsAttr()) != bool(getSliceOfAttr()))
    return emitOpError("a slice needs both its offsets and the shape it is a slice of");
  SmallVector<int64_t> shape = getDrawShape(), offsets = getDrawOffsets();
  if (int64_t(shape.size()) != type.getRank() || int64_t(offsets.size()) != type.getRank())
    return emitOpError("a slice of a rank-")
           << type.getRank() << " draw needs " << type.getRank()
           << " offsets and a rank-" << type.getRank() << " shape";
  int64_t elements = 1;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (offsets[i] < 0 || shape[i] <= 0 || offsets[i] + type.getDimSize(i) > shape[i])
      return emitOpError("the slice's dimension ")
             << i << " (" << offsets[i] << " .. " << offsets[i] + type.getDimSize(i)
             << ") lies outside the draw's extent " << shape[i];
    if (elements > kMaxDrawElements / shape[i])
      elements = kMaxDrawElements + 1;
    else
      elements *= shape[i];
  }
  if (elements > kMaxDrawElements)
    return emitOpError("draws more than 2^32 numbers; one draw holds at most 2^32: split it "
                       "into several streams");
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

/// Every index lies in [0, count).
static void setIndexRange(Value result, int64_t count, SetIntRangeFn setResultRange) {
  unsigned width = IndexType::kInternalStorageBitWidth;
  setResultRange(result, ConstantIntRanges::fromSigned(APInt(width, 0), APInt(width, count - 1)));
}

void SampleOp::inferResultRanges(ArrayRef<ConstantIntRanges>, SetIntRangeFn setResultRange) {
  setIndexRange(getResult(), getPopulation(), setResultRange);
}

void ChoiceOp::inferResultRanges(ArrayRef<ConstantIntRanges>, SetIntRangeFn setResultRange) {
  setIndexRange(getResult(), int64_t(getWeights().size()), setResultRange);
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
