//===- SmallLinalg.cpp - small tensor-level products and fills ------------===//
#include "stde/Utils/SmallLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value stde::zo::zerosLike(OpBuilder &b, Location loc, RankedTensorType type) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(type.getElementType(), 0.0));
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty}).getResult(0);
}

/// init + sum over the reduction dims of lhs * rhs, with the given maps.
static Value contract(OpBuilder &b, Location loc, Value lhs, Value rhs, Value init,
                      ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators) {
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{lhs, rhs}, ValueRange{init}, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange a) {
               Value p = arith::MulFOp::create(nb, nl, a[0], a[1]);
               linalg::YieldOp::create(nb, nl, ValueRange{arith::AddFOp::create(nb, nl, a[2], p)});
             })
      ->getResult(0);
}

Value stde::zo::timesTransposed(OpBuilder &b, Location loc, Value l, Value r, Value init) {
  MLIRContext *ctx = b.getContext();
  AffineExpr x, k, y;
  bindDims(ctx, x, k, y);
  using utils::IteratorType;
  return contract(b, loc, l, r, init,
                  {AffineMap::get(3, 0, {x, k}, ctx), AffineMap::get(3, 0, {y, k}, ctx),
                   AffineMap::get(3, 0, {x, y}, ctx)},
                  {IteratorType::parallel, IteratorType::reduction, IteratorType::parallel});
}

Value stde::zo::gram(OpBuilder &b, Location loc, Value g) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(g.getType());
  int64_t r = type.getDimSize(1);
  AffineExpr i, x, y;
  bindDims(ctx, i, x, y);
  using utils::IteratorType;
  return contract(b, loc, g, g, zerosLike(b, loc, RankedTensorType::get({r, r}, type.getElementType())),
                  {AffineMap::get(3, 0, {i, x}, ctx), AffineMap::get(3, 0, {i, y}, ctx),
                   AffineMap::get(3, 0, {x, y}, ctx)},
                  {IteratorType::reduction, IteratorType::parallel, IteratorType::parallel});
}
