//===- GradientEnhanced.cpp - gradients of residuals for gPINN losses -----===//
#include "GradientEnhanced.h"
#include "dialects/stde/StdeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace stde;

namespace {

/// Forward-mode tangents of a residual's arithmetic, one row per coordinate
/// j: tangent(v) is tensor<m x N> or null (v does not depend on the point).
class TangentSweep {
public:
  TangentSweep(OpBuilder &b, Operation *loss, int64_t blocks,
               lowering::OperatorPartials operatorPartials)
      : b(b), loss(loss), loc(loss->getLoc()), blocks(blocks),
        operatorPartials(operatorPartials) {}

  FailureOr<Value> tangent(Value v);

private:
  FailureOr<Value> rule(Operation *op);
  /// x (tensor<N>) repeated for every coordinate: tensor<m x N>.
  Value spread(Value x);
  Value times(Value primal, Value tangent) {
    return arith::MulFOp::create(b, loc, spread(primal), tangent);
  }
  Value constantLike(Value x, double value) {
    auto type = cast<RankedTensorType>(x.getType());
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), value)));
  }

  OpBuilder &b;
  Operation *loss;
  Location loc;
  int64_t blocks;
  lowering::OperatorPartials operatorPartials;
  DenseMap<Value, Value> tangents;
};

Value TangentSweep::spread(Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{blocks, type.getDimSize(0)},
                                       type.getElementType());
  return linalg::BroadcastOp::create(b, loc, x, init, ArrayRef<int64_t>{0}).getResult()[0];
}

FailureOr<Value> TangentSweep::tangent(Value v) {
  if (auto it = tangents.find(v); it != tangents.end())
    return it->second;
  Operation *op = v.getDefiningOp();
  if (!op) {
    auto arg = cast<BlockArgument>(v);
    return loss->emitOpError("gradient_weights: the residual depends on argument #")
           << arg.getArgNumber()
           << " of the function, whose derivative along the points' coordinates is unknown; "
              "compute that term in the IR from the points (a fixed field: stde.apply "
              "@source(%xs)) or give this residual gradient weight 0";
  }
  FailureOr<Value> t = rule(op);
  if (succeeded(t))
    tangents[v] = *t;
  return t;
}

FailureOr<Value> TangentSweep::rule(Operation *op) {
  if (isa<OperatorOpInterface>(op))
    return operatorPartials(op);
  if (matchPattern(op, m_Constant()))
    return Value();
  // Tangents of the operands (null: constant in x).
  SmallVector<Value> t;
  for (Value operand : op->getOperands()) {
    FailureOr<Value> ti = tangent(operand);
    if (failed(ti))
      return failure();
    t.push_back(*ti);
  }
  if (llvm::all_of(t, [](Value ti) { return !ti; }))
    return Value();
  auto add = [&](Value x, Value y) -> Value {
    if (!x)
      return y;
    if (!y)
      return x;
    return arith::AddFOp::create(b, loc, x, y);
  };
  auto neg = [&](Value x) -> Value {
    return x ? Value(arith::NegFOp::create(b, loc, x)) : Value();
  };
  Value x = op->getNumOperands() > 0 ? op->getOperand(0) : Value();
  Value tx = t.empty() ? Value() : t[0];
  // d phi(x) = phi'(x) dx for the unary functions.
  auto chain = [&](Value derivative) -> FailureOr<Value> { return times(derivative, tx); };
  return TypeSwitch<Operation *, FailureOr<Value>>(op)
      .Case([&](arith::AddFOp) { return add(t[0], t[1]); })
      .Case([&](arith::SubFOp) -> Value {
        if (t[0] && t[1])
          return arith::SubFOp::create(b, loc, t[0], t[1]);
        return t[0] ? t[0] : neg(t[1]);
      })
      .Case([&](arith::NegFOp) { return neg(tx); })
      .Case([&](arith::MulFOp mul) {
        Value y = mul.getRhs();
        return add(t[0] ? times(y, t[0]) : Value(), t[1] ? times(x, t[1]) : Value());
      })
      .Case([&](arith::DivFOp div) {
        // d(x / y) = dx / y - (x / y^2) dy
        Value y = div.getRhs();
        Value dx = t[0] ? Value(arith::DivFOp::create(b, loc, t[0], spread(y))) : Value();
        Value dy;
        if (t[1]) {
          Value y2 = arith::MulFOp::create(b, loc, y, y);
          dy = neg(times(arith::DivFOp::create(b, loc, x, y2), t[1]));
        }
        return add(dx, dy);
      })
      .Case([&](math::SinOp) { return chain(math::CosOp::create(b, loc, x)); })
      .Case([&](math::CosOp) {
        return chain(arith::NegFOp::create(b, loc, math::SinOp::create(b, loc, x)));
      })
      .Case([&](math::ExpOp e) { return chain(e.getResult()); })
      .Case([&](math::LogOp) {
        return FailureOr<Value>(arith::DivFOp::create(b, loc, tx, spread(x)).getResult());
      })
      .Case([&](math::TanhOp th) {
        // 1 - tanh^2
        Value square = arith::MulFOp::create(b, loc, th.getResult(), th.getResult());
        return chain(arith::SubFOp::create(b, loc, constantLike(x, 1.0), square));
      })
      .Case([&](math::AtanOp) {
        // 1 / (1 + x^2)
        Value one = constantLike(x, 1.0);
        Value square = arith::MulFOp::create(b, loc, x, x);
        return chain(arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, square)));
      })
      .Case([&](math::SqrtOp root) {
        Value twice = arith::MulFOp::create(b, loc, constantLike(x, 2.0), root.getResult());
        return FailureOr<Value>(arith::DivFOp::create(b, loc, tx, spread(twice)).getResult());
      })
      .Case([&](math::PowFOp pow) -> FailureOr<Value> {
        // x^c with c constant in x: c x^(c - 1).
        if (t[1])
          return loss->emitOpError("gradient_weights: the residual raises to a power that "
                                   "depends on the point (math.powf); only constant "
                                   "exponents have a chain rule here");
        Value c = pow.getRhs();
        Value lower = arith::SubFOp::create(b, loc, c, constantLike(c, 1.0));
        Value power = math::PowFOp::create(b, loc, x, lower);
        return chain(arith::MulFOp::create(b, loc, c, power));
      })
      .Default([&](Operation *other) -> FailureOr<Value> {
        return loss->emitOpError("gradient_weights: no chain rule for '")
               << other->getName()
               << "' in the residual; a gradient-enhanced residual is arith.addf/subf/mulf/"
                  "divf/negf and math.sin/cos/exp/log/tanh/atan/sqrt/powf over operator "
                  "values and constants";
      });
}

} // namespace

FailureOr<Value> stde::lowering::residualPartials(OpBuilder &b, Operation *loss, Value residual,
                                                  int64_t blocks,
                                                  OperatorPartials operatorPartials) {
  TangentSweep sweep(b, loss, blocks, operatorPartials);
  return sweep.tangent(residual);
}

FailureOr<int64_t> stde::lowering::residualSpatialDim(Operation *loss, Value residual,
                                                      int64_t *inputs) {
  int64_t spatial = 0;
  Value points;
  SmallVector<Value> work{residual};
  DenseSet<Value> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    Operation *op = v.getDefiningOp();
    if (!op)
      continue;
    if (auto typed = dyn_cast<OperatorOpInterface>(op)) {
      auto network =
          SymbolTable::lookupNearestSymbolFrom<NetworkOp>(op, typed.getNetworkAttr());
      if (!network)
        return op->emitOpError("refers to unknown network ") << typed.getNetworkAttr();
      if (points && typed.getPoints() != points)
        return loss->emitOpError("gradient_weights: a residual combines operators at two "
                                 "batches of points; its gradient needs one batch");
      points = typed.getPoints();
      int64_t mine = network.getSpatialDim();
      if (spatial != 0 && mine != spatial)
        return loss->emitOpError("gradient_weights: a residual combines operators on ")
               << spatial << " and " << mine
               << " spatial coordinates; its gradient needs one space";
      spatial = mine;
      if (inputs)
        *inputs = network.getInputDim();
      continue;
    }
    for (Value operand : op->getOperands())
      work.push_back(operand);
  }
  return spatial;
}
