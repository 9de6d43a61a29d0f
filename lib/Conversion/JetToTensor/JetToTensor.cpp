//===- JetToTensor.cpp - jets become tensors -----------------------------===//
//
// A jet lowers to its primal tensor<S> plus one stored value per coefficient,
// whose form depends on the coefficient's structure (TensorAlgebra.h). Since
// one jet becomes a varying number of tensors, the pass lowers each function
// in one forward walk, keeping the lowered form of every jet in a map, and
// then erases the jet ops; jets never cross function or block boundaries
// (they are made by jet.seed and leave through jet.coefficient).
//
// Every rule runs the recurrence of TaylorRecurrences.h on TensorAlgebra, the
// same template the op verifiers run on kinds, so the structure each jet type
// claims is the structure the code has.
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"

#include "TensorAlgebra.h"
#include "dialects/jet/JetOps.h"
#include "dialects/jet/TaylorRecurrences.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTJETTOTENSOR
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace mlir::jet;

namespace {

using CK = CoefficientKind;
/// A lowered jet: the normalized coefficients a_0 (primal) .. a_K.
using Lowered = taylor::Series<TensorAlgebra>;

double factorial(int64_t k) {
  double f = 1.0;
  for (int64_t i = 2; i <= k; ++i)
    f *= i;
  return f;
}

//===----------------------------------------------------------------------===//
// Linear maps applied coefficient by coefficient
//===----------------------------------------------------------------------===//

/// Sum over the last axis of `value`.
Value reduceLastAxis(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  auto resultType = RankedTensorType::get(type.getShape().drop_back(), type.getElementType());
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(resultType, b.getFloatAttr(type.getElementType(), 0.0)));
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{value}, ValueRange{zero}, ArrayRef<int64_t>{type.getRank() - 1},
      [](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, ValueRange{arith::AddFOp::create(nb, nl, args[0], args[1])});
      });
  return reduce->getResult(0);
}

/// value[..., offset : offset + size] on the last axis.
Value sliceLastAxis(OpBuilder &b, Location loc, Value value, int64_t offset, int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t d : type.getShape())
    sizes.push_back(b.getIndexAttr(d));
  offsets.back() = b.getIndexAttr(offset);
  sizes.back() = b.getIndexAttr(size);
  return tensor::ExtractSliceOp::create(b, loc, value, offsets, sizes, strides);
}

/// value repeated along a new last axis of `extent`.
Value broadcastLastAxis(OpBuilder &b, Location loc, Value value, int64_t extent) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.push_back(extent);
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::BroadcastOp::create(b, loc, value, init, ArrayRef<int64_t>{type.getRank()})
      ->getResult(0);
}

/// Combines two jets coefficient by coefficient (sums and differences).
template <typename Combine>
Lowered combineCoefficients(const Lowered &lhs, const Lowered &rhs, Combine combine) {
  Lowered out;
  for (size_t k = 0; k < lhs.size(); ++k)
    out.push_back(combine(lhs[k], rhs[k]));
  return out;
}

/// Applies a map of stored tensors to every coefficient: `map` receives the
/// stored value of a shared or dense coefficient; onehot ones are made dense
/// first, zeros stay zero.
template <typename Map>
Lowered mapCoefficients(TensorAlgebra &alg, const Lowered &in, Map map) {
  Lowered out;
  for (size_t k = 0; k < in.size(); ++k) {
    TensorCoeff c = in[k];
    if (c.kind == CK::zero) {
      out.push_back(c);
      continue;
    }
    if (c.kind == CK::onehot)
      c = {CK::dense, alg.dense(c)};
    out.push_back({c.kind, map(c.value)});
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Dense layers
//===----------------------------------------------------------------------===//

/// C[m, o] = init[m, o] + sum_i A[m, i] * W[o, i]: W read in place, as the
/// parameters store it (no transposed copy: at d = 10^5 the first layer's W
/// is the largest tensor of the step, and the adjoint of a transpose is a
/// strided sweep over it). The runtime matmul reads W as a transposed operand.
/// With `inputMajor` W is stored I x O (jet.linear input_major): W[i, o].
Value matmul(OpBuilder &b, Location loc, Value a, Value w, Value init, bool inputMajor = false) {
  MLIRContext *ctx = b.getContext();
  AffineExpr m, i, o;
  bindDims(ctx, m, i, o);
  AffineMap wMap = inputMajor ? AffineMap::get(3, 0, {i, o}, ctx) : AffineMap::get(3, 0, {o, i}, ctx);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {m, i}, ctx), wMap,
                             AffineMap::get(3, 0, {m, o}, ctx)};
  SmallVector<utils::IteratorType> iterators{utils::IteratorType::parallel,
                                             utils::IteratorType::reduction,
                                             utils::IteratorType::parallel};
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{a, w}, ValueRange{init}, maps, iterators,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        Value product = arith::MulFOp::create(nb, nl, args[0], args[1]);
        linalg::YieldOp::create(nb, nl, ValueRange{arith::AddFOp::create(nb, nl, args[2], product)});
      });
  return generic->getResult(0);
}

struct LayerWeights {
  Value w;    // tensor<O x I>
  Value bias; // tensor<O>
};

LayerWeights loadWeights(OpBuilder &b, Location loc, Value params, int64_t offset, int64_t in,
                         int64_t out) {
  Type element = cast<RankedTensorType>(params.getType()).getElementType();
  Value flat = sliceLastAxis(b, loc, params, offset, out * in);
  auto wType = RankedTensorType::get({out, in}, element);
  Value w = tensor::ExpandShapeOp::create(b, loc, wType, flat,
                                          ArrayRef<ReassociationIndices>{{0, 1}});
  Value bias = sliceLastAxis(b, loc, params, offset + out * in, out);
  return {w, bias};
}

Value zeros(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type element) {
  auto type = RankedTensorType::get(shape, element);
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, b.getFloatAttr(element, 0.0)));
}

/// W e_{idx[r]} * scale for every point: a column gather, no product (a
/// row of W when it is stored input-major).
Value gatherColumns(OpBuilder &b, Location loc, TensorCoeff coeff, Value w, int64_t directions,
                    int64_t batch, int64_t out, Type element, bool inputMajor) {
  auto type = RankedTensorType::get({directions, batch, out}, element);
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), element);
  MLIRContext *ctx = b.getContext();
  AffineExpr r, n, o;
  bindDims(ctx, r, n, o);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {r}, ctx), AffineMap::get(3, 0, {r, n, o}, ctx)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  double scale = coeff.scale;
  auto generic = linalg::GenericOp::create(
      b, loc, type, ValueRange{coeff.value}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value column = linalg::IndexOp::create(nb, nl, 2);
        SmallVector<Value, 2> at{column, args[0]};
        if (inputMajor)
          std::swap(at[0], at[1]);
        Value entry = tensor::ExtractOp::create(nb, nl, w, at);
        Value factor = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(element, scale));
        linalg::YieldOp::create(nb, nl, ValueRange{arith::MulFOp::create(nb, nl, entry, factor)});
      });
  return generic->getResult(0);
}

/// A batch-row copy of a vector: tensor<batch x n> from tensor<n>.
Value broadcastRows(OpBuilder &b, Location loc, Value vector, int64_t batch) {
  auto type = cast<RankedTensorType>(vector.getType());
  int64_t n = type.getDimSize(0);
  Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{batch, n}, type.getElementType());
  return linalg::BroadcastOp::create(b, loc, vector, init, ArrayRef<int64_t>{0})->getResult(0);
}

/// A linear map applied coefficient by coefficient: z0 = a0 W^T + primalInit,
/// zk = ak W^T (W: O x I, or I x O when `inputMajor`). One-hot tangents
/// become gathers, zeros stay zero, every direction goes in one product.
Lowered lowerLinear(OpBuilder &b, Location loc, JetType inType, const Lowered &in, Value w,
                    bool inputMajor, Value primalInit) {
  int64_t batch = inType.getBase().getDimSize(0), inF = inType.getBase().getDimSize(1);
  int64_t outF = cast<RankedTensorType>(primalInit.getType()).getDimSize(1);
  int64_t dirs = inType.getDirections();
  Type element = inType.getElementType();
  Lowered out;
  out.push_back({CK::shared, matmul(b, loc, in[0].value, w, primalInit, inputMajor)});
  for (size_t k = 1; k < in.size(); ++k) {
    const TensorCoeff &c = in[k];
    switch (c.kind) {
    case CK::zero: out.push_back(c); break;
    case CK::onehot:
      out.push_back(
          {CK::dense, gatherColumns(b, loc, c, w, dirs, batch, outF, element, inputMajor)});
      break;
    case CK::shared:
    case CK::summed: // one vector per point either way; a sum maps linearly
      out.push_back({c.kind, matmul(b, loc, c.value, w, zeros(b, loc, {batch, outF}, element),
                                    inputMajor)});
      break;
    case CK::dense: {
      // All directions in one product: (R*N) x I times I x O.
      auto flatType = RankedTensorType::get({dirs * batch, inF}, element);
      Value flat = tensor::CollapseShapeOp::create(b, loc, flatType, c.value,
                                                   ArrayRef<ReassociationIndices>{{0, 1}, {2}});
      Value product = matmul(b, loc, flat, w, zeros(b, loc, {dirs * batch, outF}, element),
                             inputMajor);
      auto denseType = RankedTensorType::get({dirs, batch, outF}, element);
      out.push_back({CK::dense, tensor::ExpandShapeOp::create(
                                    b, loc, denseType, product,
                                    ArrayRef<ReassociationIndices>{{0, 1}, {2}})});
      break;
    }
    }
  }
  return out;
}

Lowered lowerDense(OpBuilder &b, Location loc, jet::DenseOp op, const Lowered &in) {
  auto inType = cast<JetType>(op.getInput().getType());
  auto outType = cast<JetType>(op.getResult().getType());
  int64_t batch = inType.getBase().getDimSize(0), inF = inType.getBase().getDimSize(1);
  int64_t outF = outType.getBase().getDimSize(1);
  LayerWeights weights = loadWeights(b, loc, op.getParams(), op.getOffset(), inF, outF);
  return lowerLinear(b, loc, inType, in, weights.w, /*inputMajor=*/false,
                     broadcastRows(b, loc, weights.bias, batch));
}

//===----------------------------------------------------------------------===//
// Matrices given as values: y_k = x_k W^T (or x_k W), the bias on the primal
//===----------------------------------------------------------------------===//

Lowered lowerLinearOp(OpBuilder &b, Location loc, LinearOp op, const Lowered &in) {
  auto inType = cast<JetType>(op.getInput().getType());
  auto outType = cast<JetType>(op.getResult().getType());
  int64_t batch = inType.getBase().getDimSize(0);
  Value init = op.getBias() ? broadcastRows(b, loc, op.getBias(), batch)
                            : zeros(b, loc, outType.getBase().getShape(), outType.getElementType());
  return lowerLinear(b, loc, inType, in, op.getWeight(), op.getInputMajor(), init);
}

//===----------------------------------------------------------------------===//
// Sums of products over the last axis (|x|^2, dot products)
//===----------------------------------------------------------------------===//
//
// jet.sum(jet.mul(a, b)) with one-hot tangents: a product coefficient
// x * (s e_{idx[r]}) is nonzero at one position per direction, so its sum
// over the last axis is the gather s x[..., idx[r]]; materializing the
// product first costs R x N x D per coefficient (at D = 10^5 the largest
// tensors of the whole step). The sum is lowered as the Cauchy product of
// last-axis dot products, each structure-aware; the elementwise product
// already emitted for the jet.mul is then dead and erased by canonicalize.

/// x[..., idx[r]] * scale for every direction r: tensor<R x B...> from x of
/// type tensor<B... x D> (shared) or tensor<R x B... x D> (dense).
Value gatherHot(OpBuilder &b, Location loc, const TensorCoeff &x, const TensorCoeff &hot,
                RankedTensorType reducedDense) {
  int64_t rank = reducedDense.getRank();
  SmallVector<AffineMap> maps{AffineMap::get(rank, 0, b.getAffineDimExpr(0)),
                              b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, reducedDense.getShape(),
                                       reducedDense.getElementType());
  bool perDirection = x.kind == CK::dense;
  double scale = hot.scale;
  Type element = reducedDense.getElementType();
  auto generic = linalg::GenericOp::create(
      b, loc, reducedDense, ValueRange{hot.value}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t d = perDirection ? 0 : 1; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(nb, nl, d));
        indices.push_back(args[0]);
        Value v = tensor::ExtractOp::create(nb, nl, x.value, indices);
        Value factor = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(element, scale));
        linalg::YieldOp::create(nb, nl, ValueRange{arith::MulFOp::create(nb, nl, v, factor)});
      });
  return generic->getResult(0);
}

/// sum over the last axis of a * b, for two coefficients of the input jets.
TensorCoeff dotLastAxis(OpBuilder &b, Location loc, TensorAlgebra &in, TensorAlgebra &out,
                        const TensorCoeff &x, const TensorCoeff &y) {
  if (x.kind == CK::zero || y.kind == CK::zero)
    return out.zero();
  if (x.kind == CK::onehot && y.kind == CK::onehot && x.value == y.value)
    return out.constant(x.scale * y.scale); // e_i . e_i = 1 everywhere
  const TensorCoeff *hot = x.kind == CK::onehot ? &x : y.kind == CK::onehot ? &y : nullptr;
  const TensorCoeff *other = hot == &x ? &y : &x;
  if (hot && (other->kind == CK::shared || other->kind == CK::dense))
    return {CK::dense, gatherHot(b, loc, *other, *hot, out.getDenseType())};
  TensorCoeff product = in.mul(x, y);
  if (product.kind == CK::zero)
    return product;
  return {product.kind, reduceLastAxis(b, loc, product.value)};
}

/// The jet of sum_last(a * b): c_k = sum_{i+j=k} dot(a_i, b_j).
Lowered sumOfProduct(OpBuilder &b, Location loc, TensorAlgebra &in, TensorAlgebra &out,
                          const Lowered &lhs, const Lowered &rhs) {
  Lowered result;
  for (size_t k = 0; k < lhs.size(); ++k) {
    TensorCoeff c = out.zero();
    for (size_t i = 0; i <= k; ++i)
      c = out.add(c, dotLastAxis(b, loc, in, out, lhs[i], rhs[k - i]));
    result.push_back(c);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// The walk
//===----------------------------------------------------------------------===//

class JetLowering {
public:
  explicit JetLowering(OpBuilder &b) : b(b) {}

  /// Lowers one jet op; false after an error.
  LogicalResult lower(Operation *op);

private:
  FailureOr<Lowered> get(Operation *user, Value jet) {
    auto it = lowered.find(jet);
    if (it != lowered.end())
      return it->second;
    return user->emitOpError()
           << "uses a jet that was not made by jet.seed or a jet op in this function";
  }
  TensorAlgebra algebraFor(Location loc, Value jet) {
    auto type = cast<JetType>(jet.getType());
    return TensorAlgebra(b, loc, type.getBase(), type.getDirections());
  }
  /// Records the lowered form of `result`, stored as its type says.
  void define(Value result, Lowered value) {
    auto type = cast<JetType>(result.getType());
    TensorAlgebra alg = algebraFor(result.getLoc(), result);
    for (int64_t k = 1; k <= type.getOrder(); ++k)
      value[k] = alg.conform(value[k], type.getKind(k));
    lowered[result] = std::move(value);
  }

  LogicalResult lowerSeed(SeedOp op);
  LogicalResult lowerCoefficient(CoefficientOp op);
  LogicalResult lowerSumOfProduct(jet::SumOp sum, MulOp mul);

  OpBuilder &b;
  llvm::DenseMap<Value, Lowered> lowered;
};

LogicalResult JetLowering::lowerSeed(SeedOp op) {
  auto type = cast<JetType>(op.getResult().getType());
  TensorAlgebra alg = algebraFor(op.getLoc(), op.getResult());
  Lowered value{{CK::shared, op.getPrimal()}};
  auto stored = op.getCoefficients().begin();
  for (int64_t k = 1; k <= type.getOrder(); ++k) {
    CK kind = type.getKind(k);
    TensorCoeff c{kind, kind == CK::zero ? Value() : *stored++};
    // Derivatives in, normalized coefficients inside: a_k = v_k / k!.
    value.push_back(alg.scale(c, 1.0 / factorial(k)));
  }
  define(op.getResult(), std::move(value));
  return success();
}

LogicalResult JetLowering::lowerCoefficient(CoefficientOp op) {
  FailureOr<Lowered> in = get(op, op.getJet());
  if (failed(in))
    return failure();
  int64_t k = op.getIndex();
  TensorAlgebra alg = algebraFor(op.getLoc(), op.getJet());
  Value result;
  if (k == 0)
    result = (*in)[0].value;
  else if (cast<JetType>(op.getJet().getType()).getKind(k) == CK::summed)
    result = alg.directionSum(alg.scale((*in)[k], factorial(k)));
  else
    result = alg.dense(alg.scale((*in)[k], factorial(k)));
  op.getResult().replaceAllUsesWith(result);
  return success();
}

LogicalResult JetLowering::lowerSumOfProduct(jet::SumOp sum, MulOp mul) {
  FailureOr<Lowered> lhs = get(sum, mul.getLhs()), rhs = get(sum, mul.getRhs());
  if (failed(lhs) || failed(rhs))
    return failure();
  Location loc = sum.getLoc();
  TensorAlgebra factors = algebraFor(loc, mul.getLhs());
  TensorAlgebra out = algebraFor(loc, sum.getResult());
  Lowered value = sumOfProduct(b, loc, factors, out, *lhs, *rhs);
  if (factors.hasFailed() || out.hasFailed())
    return failure();
  define(sum.getResult(), std::move(value));
  return success();
}

LogicalResult JetLowering::lower(Operation *op) {
  b.setInsertionPoint(op);
  Location loc = op->getLoc();
  if (auto seed = dyn_cast<SeedOp>(op))
    return lowerSeed(seed);
  if (auto coefficient = dyn_cast<CoefficientOp>(op))
    return lowerCoefficient(coefficient);
  if (isa<PushforwardOp>(op))
    return op->emitOpError() << "must be expanded first (run --jet-expand)";

  // Every other jet op: operands are jets, one jet result.
  SmallVector<Lowered> ins;
  for (Value operand : op->getOperands()) {
    if (!isa<JetType>(operand.getType()))
      continue;
    FailureOr<Lowered> in = get(op, operand);
    if (failed(in))
      return failure();
    ins.push_back(*in);
  }
  Value result = op->getResult(0);
  TensorAlgebra alg = algebraFor(loc, op->getOperand(0));
  TensorAlgebra out = algebraFor(loc, result);
  if (auto sum = dyn_cast<jet::SumOp>(op))
    if (auto mul = sum.getInput().getDefiningOp<MulOp>(); mul && mul->hasOneUse())
      return lowerSumOfProduct(sum, mul);
  auto unary = [&](auto fn) { return fn(ArrayRef<TensorCoeff>(ins[0])); };

  std::optional<Lowered> value =
      llvm::TypeSwitch<Operation *, std::optional<Lowered>>(op)
          .Case([&](WidenOp) { return ins[0]; })
          .Case([&](CollapseOp) { return ins[0]; }) // define() sums the top
          .Case([&](AddOp) {
            return combineCoefficients(ins[0], ins[1], [&](TensorCoeff a, TensorCoeff c) { return alg.add(a, c); });
          })
          .Case([&](SubOp) {
            return combineCoefficients(ins[0], ins[1], [&](TensorCoeff a, TensorCoeff c) { return alg.sub(a, c); });
          })
          .Case([&](NegOp) {
            Lowered r;
            for (const TensorCoeff &c : ins[0])
              r.push_back(alg.scale(c, -1.0));
            return r;
          })
          .Case([&](MulOp) { return taylor::mul(alg, ArrayRef(ins[0]), ArrayRef(ins[1])); })
          .Case([&](DivOp) { return taylor::div(alg, ArrayRef(ins[0]), ArrayRef(ins[1])); })
          .Case([&](ElementwiseOp e) {
            return unary([&](ArrayRef<TensorCoeff> u) {
              return taylor::elementwise(alg, e.getFn(), u);
            });
          })
          .Case([&](PowiOp p) {
            return unary([&](ArrayRef<TensorCoeff> u) {
              return taylor::powi(alg, u, p.getExponent());
            });
          })
          .Case([&](jet::SumOp) {
            return mapCoefficients(alg, ins[0], [&](Value v) {
              return reduceLastAxis(b, loc, v);
            });
          })
          .Case([&](SliceOp s) {
            return mapCoefficients(alg, ins[0], [&](Value v) {
              return sliceLastAxis(b, loc, v, s.getOffset(), s.getSize());
            });
          })
          .Case([&](BroadcastOp) {
            int64_t extent = out.getBase().getShape().back();
            return mapCoefficients(alg, ins[0], [&](Value v) {
              return broadcastLastAxis(b, loc, v, extent);
            });
          })
          .Case([&](jet::DenseOp d) { return lowerDense(b, loc, d, ins[0]); })
          .Case([&](LinearOp l) { return lowerLinearOp(b, loc, l, ins[0]); })
          .Default([](Operation *) { return std::nullopt; });
  if (!value)
    return op->emitOpError() << "has no lowering to tensors";
  if (alg.hasFailed())
    return failure();
  define(result, std::move(*value));
  return success();
}

/// A jet read by an op that is not lowered with it (func.return, a call, an
/// op of another dialect) would lose its value when the jet ops are erased:
/// an error at that op, before anything is rewritten.
LogicalResult checkJetsStayInside(ArrayRef<Operation *> jetOps) {
  llvm::DenseSet<Operation *> lowered(jetOps.begin(), jetOps.end());
  LogicalResult result = success();
  for (Operation *op : jetOps)
    for (Value value : op->getResults()) {
      if (!isa<JetType>(value.getType()))
        continue;
      for (Operation *user : value.getUsers())
        if (!lowered.contains(user)) {
          user->emitOpError() << "uses a jet (" << value.getType() << ", made by '"
                              << op->getName()
                              << "'), which has no tensor form outside the jet ops: read its "
                                 "coefficients with jet.coefficient";
          result = failure();
        }
    }
  return result;
}

struct ConvertJetToTensorPass : stde::impl::ConvertJetToTensorBase<ConvertJetToTensorPass> {
  void runOnOperation() override {
    SmallVector<Operation *> jetOps;
    getOperation()->walk([&](Operation *op) {
      if (isa<JetDialect>(op->getDialect()))
        jetOps.push_back(op);
    });
    if (failed(checkJetsStayInside(jetOps)))
      return signalPassFailure();
    OpBuilder builder(&getContext());
    JetLowering lowering(builder);
    for (Operation *op : jetOps)
      if (failed(lowering.lower(op)))
        return signalPassFailure();
    // Jets are used only by jet ops now (checked above), and the lowered
    // coefficients replaced every tensor use: erase users before producers.
    for (Operation *op : llvm::reverse(jetOps)) {
      if (!op->use_empty()) {
        op->emitOpError() << "still has uses after lowering to tensors";
        return signalPassFailure();
      }
      op->erase();
    }
  }
};

} // namespace
