//===- TaylorOpInterface.cpp - what a Taylor rule sees --------------------===//
#include "dialects/jet/TaylorOpInterface.h"
#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::jet;

#include "dialects/jet/TaylorOpInterface.cpp.inc"

RankedTensorType JetExpansion::batchedType(Type perPoint) const {
  SmallVector<int64_t> shape{batch};
  Type element = perPoint;
  if (auto tensor = dyn_cast<RankedTensorType>(perPoint)) {
    llvm::append_range(shape, tensor.getShape());
    element = tensor.getElementType();
  }
  return RankedTensorType::get(shape, element);
}

FailureOr<Value> JetExpansion::operandJet(Operation *op, unsigned index) const {
  if (Value jet = lookup(op->getOperand(index)))
    return jet;
  return op->emitOpError() << "operand " << index
                           << " has no jet: it is not computed from the point by ops with "
                              "Taylor rules";
}

JetType JetExpansion::jetType(Type perPoint, ArrayRef<CoefficientKind> structure) const {
  return JetType::get(batchedType(perPoint), directions, structure);
}

Value JetExpansion::constant(OpBuilder &builder, Location loc, TypedAttr value) const {
  // A per-point tensor is repeated along the batch axis; a splat or scalar
  // is one constant of the batched shape.
  if (auto dense = dyn_cast<DenseElementsAttr>(value); dense && !dense.isSplat())
    return constant(builder, loc, arith::ConstantOp::create(builder, loc, dense).getResult());
  Attribute scalar = isa<DenseElementsAttr>(value)
                         ? cast<DenseElementsAttr>(value).getSplatValue<Attribute>()
                         : Attribute(value);
  RankedTensorType batched = batchedType(value.getType());
  Value primal = arith::ConstantOp::create(builder, loc, DenseElementsAttr::get(batched, scalar));
  return constantOfPrimal(builder, loc, primal);
}

Value JetExpansion::constant(OpBuilder &builder, Location loc, Value perPoint) const {
  RankedTensorType batched = batchedType(perPoint.getType());
  Value init =
      tensor::EmptyOp::create(builder, loc, batched.getShape(), batched.getElementType());
  Value primal;
  if (isa<RankedTensorType>(perPoint.getType()))
    primal = linalg::BroadcastOp::create(builder, loc, perPoint, init, ArrayRef<int64_t>{0})
                 ->getResult(0);
  else
    primal = linalg::FillOp::create(builder, loc, perPoint, init).getResult(0);
  return constantOfPrimal(builder, loc, primal);
}

Value JetExpansion::constantOfPrimal(OpBuilder &builder, Location loc, Value primal) const {
  SmallVector<CoefficientKind> zeros(order, CoefficientKind::zero);
  return SeedOp::create(builder, loc,
                        JetType::get(cast<RankedTensorType>(primal.getType()), directions, zeros),
                        primal, ValueRange{});
}
