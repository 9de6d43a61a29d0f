//===- NetworkOp.cpp - stde.network: signature, syntax, verification -----===//
#include "dialects/stde/ParamLayout.h"
#include "dialects/stde/StdeOps.h"

#include "mlir/Interfaces/FunctionImplementation.h"

using namespace mlir;
using namespace stde;

void NetworkOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                      FunctionType type) {
  state.addAttribute(SymbolTable::getSymbolAttrName(), builder.getStringAttr(name));
  state.addAttribute(getFunctionTypeAttrName(state.name), TypeAttr::get(type));
  state.addRegion();
}

ParseResult NetworkOp::parse(OpAsmParser &parser, OperationState &result) {
  auto buildType = [](Builder &builder, ArrayRef<Type> inputs, ArrayRef<Type> results,
                      function_interface_impl::VariadicFlag, std::string &) {
    return builder.getFunctionType(inputs, results);
  };
  return function_interface_impl::parseFunctionOp(
      parser, result, /*allowVariadic=*/false, getFunctionTypeAttrName(result.name),
      buildType, getArgAttrsAttrName(result.name), getResAttrsAttrName(result.name));
}

void NetworkOp::print(OpAsmPrinter &printer) {
  function_interface_impl::printFunctionOp(printer, *this, /*isVariadic=*/false,
                                           getFunctionTypeAttrName(), getArgAttrsAttrName(),
                                           getResAttrsAttrName());
}

void NetworkOp::getAsmBlockArgumentNames(Region &region,
                                         OpAsmSetValueNameFn setNameFn) {
  // Also called on ops that have not verified: name nothing unless the entry
  // block matches the signature.
  if (region.empty() || region.front().getNumArguments() != getFunctionType().getNumInputs())
    return;
  if (hasParams())
    setNameFn(getParamsArgument(), "theta");
  setNameFn(getPointArgument(), "x");
}

//===----------------------------------------------------------------------===//
// Signature accessors (valid once the op has verified)
//===----------------------------------------------------------------------===//

static RankedTensorType pointType(NetworkOp net) {
  return cast<RankedTensorType>(net.getFunctionType().getInputs().back());
}

int64_t NetworkOp::getNumParams() {
  if (!hasParams())
    return 0;
  return cast<RankedTensorType>(getFunctionType().getInput(0)).getDimSize(0);
}

int64_t NetworkOp::getInputDim() { return pointType(*this).getDimSize(0); }

Type NetworkOp::getElementType() { return pointType(*this).getElementType(); }

BlockArgument NetworkOp::getParamsArgument() {
  if (!hasParams() || getBody().empty())
    return {};
  return getBody().getArgument(0);
}

BlockArgument NetworkOp::getPointArgument() {
  return getBody().getArgument(getBody().getNumArguments() - 1);
}

//===----------------------------------------------------------------------===//
// Verification
//===----------------------------------------------------------------------===//

/// A static, non-empty, 1-D tensor of f32 or f64.
static bool isStaticVector(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getRank() == 1 && tensor.hasStaticShape() &&
         tensor.getDimSize(0) >= 1 && isa<Float32Type, Float64Type>(tensor.getElementType());
}

LogicalResult NetworkOp::verify() {
  FunctionType type = getFunctionType();
  if (type.getNumInputs() < 1 || type.getNumInputs() > 2)
    return emitOpError("takes (params, x) or, for a fixed field, (x); got ")
           << type.getNumInputs() << " arguments";
  for (Type input : type.getInputs())
    if (!isStaticVector(input))
      return emitOpError("arguments must be static 1-D tensors of f32 or f64 "
                         "(tensor<P x T> for params, tensor<D x T> for the point), got ")
             << input;
  Type element = getElementType();
  if (hasParams() &&
      cast<RankedTensorType>(type.getInput(0)).getElementType() != element)
    return emitOpError("parameters and point must have the same element type, got ")
           << type.getInput(0) << " and " << type.getInput(1);
  if (type.getNumResults() != 1 || type.getResult(0) != element)
    return emitOpError("must return one scalar of its element type (")
           << element << "), got " << type.getNumResults() << " result(s)"
           << (type.getNumResults() ? " of type " : "")
           << (type.getNumResults() ? type.getResult(0) : Type());
  if (getSpaceTime() && getInputDim() < 2)
    return emitOpError("is space-time, so its point needs at least one space "
                       "coordinate and the time coordinate (D >= 2), got D = ")
           << getInputDim();
  if (getBody().empty())
    return emitOpError("needs a body");
  return success();
}

LogicalResult NetworkOp::verifyRegions() {
  WalkResult nested = getBody().walk([&](Operation *op) {
    if (isa<NetworkOp, OperatorOpInterface, LossOp>(op)) {
      op->emitOpError("cannot appear inside network @")
          << getSymName()
          << ": a network is a per-point function; apply operators and losses "
             "to it from outside";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (nested.wasInterrupted())
    return failure();
  return getParamLayout(*this);
}
