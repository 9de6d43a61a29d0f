//===- ElementwiseAdjoints.cpp - reverse-mode rules of arith/math ops -----===//
#include "ElementwiseAdjoints.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace stde::grad {

Value constantLike(OpBuilder &b, Location loc, Type type, double value) {
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    auto attr = DenseElementsAttr::get(tensor, b.getFloatAttr(tensor.getElementType(), value));
    return arith::ConstantOp::create(b, loc, attr);
  }
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value zerosLike(OpBuilder &b, Location loc, Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return constantLike(b, loc, type, 0.0);
  Value zero = constantLike(b, loc, tensor.getElementType(), 0.0);
  Value empty = tensor::EmptyOp::create(b, loc, tensor.getShape(), tensor.getElementType());
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

bool hasElementwiseRule(Operation *op) {
  return isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp, arith::NegFOp,
             arith::MaximumFOp, arith::MinimumFOp, arith::SelectOp, arith::ExtFOp,
             arith::TruncFOp, math::TanhOp, math::SinOp, math::CosOp, math::ExpOp, math::LogOp,
             math::Log1pOp, math::ExpM1Op, math::SqrtOp, math::RsqrtOp, math::AbsFOp,
             math::PowFOp, math::FPowIOp, math::AtanOp>(op);
}

bool isNonDifferentiable(Operation *op) {
  if (isa<arith::ConstantOp, arith::CmpFOp, arith::CmpIOp, linalg::IndexOp>(op))
    return true;
  // Integer and index arithmetic carries no derivative.
  return op->getDialect() && op->getDialect()->getNamespace() == "arith" &&
         llvm::none_of(op->getResultTypes(),
                       [](Type t) { return isa<FloatType>(getElementTypeOrSelf(t)); });
}

namespace {

/// Builds the rules with short names; every value has g's type.
struct Rules {
  OpBuilder &b;
  Location loc;
  Type type;

  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value neg(Value x) { return arith::NegFOp::create(b, loc, x); }
  Value cst(double v) { return constantLike(b, loc, type, v); }
  Value pick(Value cond, Value g, bool first) {
    Value zero = cst(0.0);
    return first ? arith::SelectOp::create(b, loc, cond, g, zero).getResult()
                 : arith::SelectOp::create(b, loc, cond, zero, g).getResult();
  }
};

} // namespace

FailureOr<SmallVector<Value>> elementwiseAdjoint(OpBuilder &b, Operation *op, ValueRange x,
                                                 Value y, Value g) {
  Rules r{b, op->getLoc(), g.getType()};
  using V = SmallVector<Value>;
  return llvm::TypeSwitch<Operation *, FailureOr<V>>(op)
      .Case([&](arith::AddFOp) { return V{g, g}; })
      .Case([&](arith::SubFOp) { return V{g, r.neg(g)}; })
      .Case([&](arith::MulFOp) { return V{r.mul(g, x[1]), r.mul(g, x[0])}; })
      .Case([&](arith::DivFOp) {
        // d(a/b) = da/b - (a/b) db/b
        Value gb = r.div(g, x[1]);
        return V{gb, r.neg(r.mul(gb, y))};
      })
      .Case([&](arith::NegFOp) { return V{r.neg(g)}; })
      .Case([&](arith::MaximumFOp) {
        Value c = arith::CmpFOp::create(b, r.loc, arith::CmpFPredicate::OGE, x[0], x[1]);
        return V{r.pick(c, g, true), r.pick(c, g, false)};
      })
      .Case([&](arith::MinimumFOp) {
        Value c = arith::CmpFOp::create(b, r.loc, arith::CmpFPredicate::OLE, x[0], x[1]);
        return V{r.pick(c, g, true), r.pick(c, g, false)};
      })
      .Case([&](arith::SelectOp) {
        return V{Value(), r.pick(x[0], g, true), r.pick(x[0], g, false)};
      })
      .Case([&](arith::ExtFOp) {
        return V{arith::TruncFOp::create(b, r.loc, x[0].getType(), g).getResult()};
      })
      .Case([&](arith::TruncFOp) {
        return V{arith::ExtFOp::create(b, r.loc, x[0].getType(), g).getResult()};
      })
      .Case([&](math::TanhOp) { return V{r.mul(g, r.sub(r.cst(1.0), r.mul(y, y)))}; })
      .Case([&](math::SinOp) { return V{r.mul(g, math::CosOp::create(b, r.loc, x[0]))}; })
      .Case([&](math::CosOp) { return V{r.neg(r.mul(g, math::SinOp::create(b, r.loc, x[0])))}; })
      .Case([&](math::ExpOp) { return V{r.mul(g, y)}; })
      .Case([&](math::ExpM1Op) { return V{r.mul(g, r.add(y, r.cst(1.0)))}; })
      .Case([&](math::LogOp) { return V{r.div(g, x[0])}; })
      .Case([&](math::Log1pOp) { return V{r.div(g, r.add(x[0], r.cst(1.0)))}; })
      .Case([&](math::SqrtOp) { return V{r.div(r.mul(g, r.cst(0.5)), y)}; })
      .Case([&](math::AtanOp) { return V{r.div(g, r.add(r.cst(1.0), r.mul(x[0], x[0])))}; })
      .Case([&](math::RsqrtOp) {
        // d x^(-1/2) = -1/2 x^(-3/2) = -1/2 y^3
        return V{r.mul(g, r.mul(r.cst(-0.5), r.mul(y, r.mul(y, y))))};
      })
      .Case([&](math::AbsFOp) {
        // sign(x) by a select: math.copysign has no CPU lowering here.
        Value positive = arith::CmpFOp::create(b, r.loc, arith::CmpFPredicate::OGE, x[0],
                                               r.cst(0.0));
        return V{arith::SelectOp::create(b, r.loc, positive, g, r.neg(g)).getResult()};
      })
      .Case([&](math::PowFOp) {
        // d x^p = p x^(p-1) dx + x^p log(x) dp
        Value pm1 = r.sub(x[1], r.cst(1.0));
        Value gx = r.mul(g, r.mul(x[1], math::PowFOp::create(b, r.loc, x[0], pm1)));
        Value gp = r.mul(g, r.mul(y, math::LogOp::create(b, r.loc, x[0])));
        return V{gx, gp};
      })
      .Case([&](math::FPowIOp op) {
        Value n = x[1];
        Value one = arith::ConstantOp::create(
            b, r.loc, n.getType(), b.getIntegerAttr(getElementTypeOrSelf(n.getType()), 1));
        if (auto t = dyn_cast<RankedTensorType>(n.getType()))
          one = arith::ConstantOp::create(
              b, r.loc, DenseElementsAttr::get(t, b.getIntegerAttr(t.getElementType(), 1)));
        Value nm1 = arith::SubIOp::create(b, r.loc, n, one);
        Value power = math::FPowIOp::create(b, r.loc, x[0], nm1);
        Value nf = arith::SIToFPOp::create(b, r.loc, g.getType(), n);
        return V{r.mul(g, r.mul(nf, power)), Value()};
      })
      .Default([](Operation *) { return failure(); });
}

} // namespace stde::grad
