//===- TensorAlgebra.cpp - Taylor coefficients as tensors -----------------===//
#include "TensorAlgebra.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <type_traits>

using namespace mlir;
using namespace mlir::jet;

using CK = CoefficientKind;

RankedTensorType TensorAlgebra::getDenseType() const {
  SmallVector<int64_t> shape{directions};
  llvm::append_range(shape, base.getShape());
  return RankedTensorType::get(shape, base.getElementType());
}

Value TensorAlgebra::splat(RankedTensorType type, double value) {
  auto attr = DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), value));
  return arith::ConstantOp::create(b, loc, attr);
}

TensorCoeff TensorAlgebra::constant(double value) {
  return {CK::shared, splat(base, value)};
}

Value TensorAlgebra::broadcastDirections(Value shared) {
  RankedTensorType type = getDenseType();
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::BroadcastOp::create(b, loc, shared, init, ArrayRef<int64_t>{0})->getResult(0);
}

/// dense[r, ..., d] = scale if d == idx[r] else 0.
Value TensorAlgebra::materializeOneHot(Coeff coeff) {
  RankedTensorType type = getDenseType();
  int64_t rank = type.getRank();
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap direction = AffineMap::get(rank, 0, b.getAffineDimExpr(0));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  Type element = type.getElementType();
  double scale = coeff.scale;
  auto generic = linalg::GenericOp::create(
      b, loc, type, ValueRange{coeff.value}, ValueRange{init},
      ArrayRef<AffineMap>{direction, identity}, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value position = linalg::IndexOp::create(nb, nl, rank - 1);
        Value hit = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, position, args[0]);
        Value on = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(element, scale));
        Value off = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(element, 0.0));
        Value result = arith::SelectOp::create(nb, nl, hit, on, off);
        linalg::YieldOp::create(nb, nl, result);
      });
  return generic->getResult(0);
}

Value TensorAlgebra::dense(Coeff coeff) {
  switch (coeff.kind) {
  case CK::zero: return splat(getDenseType(), 0.0);
  case CK::onehot: return materializeOneHot(coeff);
  case CK::shared: return broadcastDirections(coeff.value);
  case CK::dense: return coeff.value;
  case CK::summed: break;
  }
  fail("a coefficient summed over the directions cannot be split back into directions");
  return splat(getDenseType(), 0.0);
}

Value TensorAlgebra::directionSum(Coeff coeff) {
  switch (coeff.kind) {
  case CK::zero: return splat(base, 0.0);
  case CK::summed: return coeff.value;
  case CK::shared:
    return arith::MulFOp::create(b, loc, coeff.value, splat(base, double(directions)));
  case CK::onehot:
  case CK::dense: break;
  }
  Value init = splat(base, 0.0);
  return linalg::ReduceOp::create(
             b, loc, ValueRange{dense(coeff)}, ValueRange{init}, ArrayRef<int64_t>{0},
             [](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl,
                                       ValueRange{arith::AddFOp::create(nb, nl, args[0], args[1])});
             })
      ->getResult(0);
}

void TensorAlgebra::fail(const Twine &message) {
  if (!failed)
    emitError(loc) << "collapsed Taylor mode: " << message;
  failed = true;
}

TensorCoeff TensorAlgebra::conform(Coeff coeff, CK kind) {
  if (coeff.kind == kind)
    return coeff;
  switch (kind) {
  case CK::summed: // a zero sum stays known-zero: no products of zeros later
    return coeff.kind == CK::zero ? coeff : Coeff{CK::summed, directionSum(coeff)};
  case CK::shared: // only zero widens to shared
    return {CK::shared, splat(base, 0.0)};
  case CK::dense: return {CK::dense, dense(coeff)};
  case CK::zero:
  case CK::onehot: break;
  }
  // A onehot target can only be reached from zero: an all-zero coefficient
  // has no index tensor, so it is stored dense instead (never produced by the
  // verified ops, which only widen to dense or shared).
  return {CK::dense, dense(coeff)};
}

template <typename ArithOp> TensorCoeff TensorAlgebra::elementwise(Coeff lhs, Coeff rhs) {
  if (lhs.kind == CK::shared && rhs.kind == CK::shared)
    return {CK::shared, ArithOp::create(b, loc, lhs.value, rhs.value)};
  if (lhs.kind == CK::summed || rhs.kind == CK::summed) {
    constexpr bool additive = std::is_same_v<ArithOp, arith::AddFOp> ||
                              std::is_same_v<ArithOp, arith::SubFOp>;
    // sum_r (x_r + y_r) = sum_r x_r + sum_r y_r; sum_r (x_r * p) = p sum_r x_r
    // for a factor p common to every direction, and nothing else.
    if (additive)
      return {CK::summed, ArithOp::create(b, loc, directionSum(lhs), directionSum(rhs))};
    bool common = lhs.kind == CK::shared || rhs.kind == CK::shared;
    bool divisorCommon = std::is_same_v<ArithOp, arith::DivFOp> ? rhs.kind == CK::shared : true;
    if (common && divisorCommon)
      return {CK::summed, ArithOp::create(b, loc, lhs.value, rhs.value)};
    fail("a summed top coefficient meets a factor that differs between directions");
    return {CK::summed, directionSum(lhs)};
  }
  return {CK::dense, ArithOp::create(b, loc, dense(lhs), dense(rhs))};
}

TensorCoeff TensorAlgebra::add(Coeff lhs, Coeff rhs) {
  if (lhs.kind == CK::zero)
    return rhs;
  if (rhs.kind == CK::zero)
    return lhs;
  return elementwise<arith::AddFOp>(lhs, rhs);
}

TensorCoeff TensorAlgebra::sub(Coeff lhs, Coeff rhs) {
  if (rhs.kind == CK::zero)
    return lhs;
  if (lhs.kind == CK::zero)
    return scale(rhs, -1.0);
  return elementwise<arith::SubFOp>(lhs, rhs);
}

TensorCoeff TensorAlgebra::mul(Coeff lhs, Coeff rhs) {
  if (lhs.kind == CK::zero || rhs.kind == CK::zero)
    return zero();
  return elementwise<arith::MulFOp>(lhs, rhs);
}

TensorCoeff TensorAlgebra::div(Coeff lhs, Coeff rhs) {
  if (lhs.kind == CK::zero || rhs.kind == CK::zero)
    return zero(); // rhs is always a primal (nonzero) in the recurrences
  return elementwise<arith::DivFOp>(lhs, rhs);
}

TensorCoeff TensorAlgebra::scale(Coeff coeff, double factor) {
  if (coeff.kind == CK::zero || factor == 1.0)
    return coeff;
  if (coeff.kind == CK::onehot)
    return {CK::onehot, coeff.value, coeff.scale * factor};
  auto type = cast<RankedTensorType>(coeff.value.getType());
  Value scaled = arith::MulFOp::create(b, loc, coeff.value, splat(type, factor));
  return {coeff.kind, scaled};
}

TensorCoeff TensorAlgebra::primal(ElementwiseFn fn, Coeff x) {
  if (x.kind == CK::summed)
    fail("an elementwise function of a summed coefficient is not the sum of its values");
  Value v = x.kind == CK::shared ? x.value : dense(x);
  auto type = cast<RankedTensorType>(v.getType());
  Value result;
  switch (fn) {
  case ElementwiseFn::tanh: result = math::TanhOp::create(b, loc, v); break;
  case ElementwiseFn::sin: result = math::SinOp::create(b, loc, v); break;
  case ElementwiseFn::cos: result = math::CosOp::create(b, loc, v); break;
  case ElementwiseFn::exp: result = math::ExpOp::create(b, loc, v); break;
  case ElementwiseFn::log: result = math::LogOp::create(b, loc, v); break;
  case ElementwiseFn::sqrt: result = math::SqrtOp::create(b, loc, v); break;
  case ElementwiseFn::atan: result = math::AtanOp::create(b, loc, v); break;
  case ElementwiseFn::sigmoid: {
    // 1 / (1 + exp(-x))
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
    Value one = splat(type, 1.0);
    result = arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
    break;
  }
  case ElementwiseFn::softplus: {
    // max(x, 0) + log1p(exp(-|x|)): no overflow for large |x|.
    Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, v));
    Value tail = math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
    Value relu = arith::MaximumFOp::create(b, loc, v, splat(type, 0.0));
    result = arith::AddFOp::create(b, loc, relu, tail);
    break;
  }
  }
  return {x.kind == CK::shared ? CK::shared : CK::dense, result};
}
