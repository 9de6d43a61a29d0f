//===- LayerOps.cpp - ops of a network body: dense, sqnorm, sum, return ---===//
#include "dialects/stde/StdeOps.h"

using namespace mlir;
using namespace stde;

static RankedTensorType vectorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

int64_t DenseOp::getInFeatures() { return vectorType(getInput()).getDimSize(0); }
int64_t DenseOp::getOutFeatures() { return vectorType(getOutput()).getDimSize(0); }

LogicalResult DenseOp::verify() {
  RankedTensorType in = vectorType(getInput()), out = vectorType(getOutput()),
                   params = vectorType(getParams());
  for (RankedTensorType type : {in, out, params})
    if (!type.hasStaticShape() || type.getDimSize(0) < 1)
      return emitOpError("needs static, non-empty shapes, got ") << type;
  if (in.getElementType() != out.getElementType() ||
      in.getElementType() != params.getElementType())
    return emitOpError("input, parameters and output must have one element type, got ")
           << in << ", " << params << " and " << out;
  int64_t end = getOffset() + getNumLayerParams();
  if (end > params.getDimSize(0))
    return emitOpError("needs parameters [")
           << getOffset() << ", " << end << ") (" << getOutFeatures() << "x"
           << getInFeatures() << " weights + " << getOutFeatures()
           << " biases) but the buffer holds " << params.getDimSize(0);
  return success();
}

/// A reduction of a vector to a scalar keeps the element type.
static LogicalResult verifyReduction(Operation *op, Value input, Type result) {
  Type element = vectorType(input).getElementType();
  if (element != result)
    return op->emitOpError("result type must be the element type of the input (")
           << element << "), got " << result;
  return success();
}

LogicalResult SqNormOp::verify() {
  return verifyReduction(*this, getInput(), getResult().getType());
}

LogicalResult FoldBlocksOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (input.getElementType() != result.getElementType())
    return emitOpError() << "result elements " << result.getElementType()
                         << " differ from the input's " << input.getElementType();
  if (!input.hasStaticShape() || !result.hasStaticShape())
    return emitOpError() << "needs static sizes, got " << input << " -> " << result;
  int64_t d = input.getDimSize(0), block = result.getDimSize(0);
  if (block < 1 || d % block != 0)
    return emitOpError() << "blocks of " << block << " entries do not tile a vector of " << d
                         << ": the result's size must divide the input's";
  return success();
}

LogicalResult SumOp::verify() {
  return verifyReduction(*this, getInput(), getResult().getType());
}

LogicalResult MaxOp::verify() {
  return verifyReduction(*this, getInput(), getResult().getType());
}

LogicalResult ReturnOp::verify() {
  auto network = cast<NetworkOp>((*this)->getParentOp());
  Type expected = network.getFunctionType().getNumResults() == 1
                      ? network.getFunctionType().getResult(0)
                      : Type();
  if (getValue().getType() != expected)
    return emitOpError("returns ")
           << getValue().getType() << " but network @" << network.getSymName()
           << " returns " << expected;
  return success();
}
