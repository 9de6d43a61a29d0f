//===- LinearMaps.cpp - maps applied to every coefficient of a jet --------===//
//
// Sums, slices and broadcasts over the last axis, dense layers and matrices
// given as values, and sums of products (dots): maps (linear, or bilinear for
// dots) that act on each Taylor coefficient of a jet, lowered so that a
// coefficient keeps its structure (one-hot tangents become gathers, zero
// ones stay absent, every direction of a dense one goes through one product).
//
//===----------------------------------------------------------------------===//
#include "LinearMaps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::jet;

using CK = CoefficientKind;

namespace {

/// Sum over the last axis of `value`.
} // namespace

Value mlir::jet::reduceLastAxis(OpBuilder &b, Location loc, Value value) {
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
Value mlir::jet::sliceLastAxis(OpBuilder &b, Location loc, Value value, int64_t offset, int64_t size) {
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
Value mlir::jet::broadcastLastAxis(OpBuilder &b, Location loc, Value value, int64_t extent) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.push_back(extent);
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::BroadcastOp::create(b, loc, value, init, ArrayRef<int64_t>{type.getRank()})
      ->getResult(0);
}

//===----------------------------------------------------------------------===//
// The entry where the primal is largest (jet.max)
//===----------------------------------------------------------------------===//

Value mlir::jet::argmaxLastAxis(OpBuilder &b, Location loc, Value primal) {
  auto type = cast<RankedTensorType>(primal.getType());
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  ArrayRef<int64_t> batch = type.getShape().drop_back();
  auto valueType = RankedTensorType::get(batch, element);
  auto indexType = RankedTensorType::get(batch, b.getIndexType());
  const llvm::fltSemantics &semantics = cast<FloatType>(element).getFloatSemantics();
  Value best = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(valueType, llvm::APFloat::getInf(semantics, /*Negative=*/true)));
  Value first = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(indexType, b.getIndexAttr(0)));
  SmallVector<AffineExpr> rows;
  for (int64_t d = 0; d + 1 < rank; ++d)
    rows.push_back(b.getAffineDimExpr(d));
  AffineMap row = AffineMap::get(rank, 0, rows, b.getContext());
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank), row, row};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valueType, indexType}, ValueRange{primal}, ValueRange{best, first}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        // Strictly larger: the first of equal entries stays.
        Value larger =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, args[0], args[1]);
        Value position = linalg::IndexOp::create(nb, nl, rank - 1);
        Value value = arith::SelectOp::create(nb, nl, larger, args[0], args[1]);
        Value index = arith::SelectOp::create(nb, nl, larger, position, args[2]);
        linalg::YieldOp::create(nb, nl, ValueRange{value, index});
      });
  return generic->getResult(1);
}

namespace {

/// value[r?, b..., argmax[b...]]: `value` is tensor<B... x D> or, with
/// `perDirection`, tensor<R x B... x D>.
Value gatherAt(OpBuilder &b, Location loc, Value value, Value argmax, bool perDirection) {
  auto type = cast<RankedTensorType>(value.getType());
  auto resultType =
      RankedTensorType::get(type.getShape().drop_back(), type.getElementType());
  int64_t rank = resultType.getRank(), skip = perDirection ? 1 : 0;
  SmallVector<AffineExpr> rows;
  for (int64_t d = skip; d < rank; ++d)
    rows.push_back(b.getAffineDimExpr(d));
  SmallVector<AffineMap> maps{AffineMap::get(rank, 0, rows, b.getContext()),
                              b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), type.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{argmax}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(nb, nl, d));
        indices.push_back(args[0]);
        linalg::YieldOp::create(nb, nl,
                                ValueRange{tensor::ExtractOp::create(nb, nl, value, indices)});
      });
  return generic->getResult(0);
}

/// s where idx[r] == argmax[b...], else 0: tensor<R x B...>.
Value oneHotAt(OpBuilder &b, Location loc, const TensorCoeff &hot, Value argmax,
               RankedTensorType reducedDense) {
  int64_t rank = reducedDense.getRank();
  SmallVector<AffineExpr> rows;
  for (int64_t d = 1; d < rank; ++d)
    rows.push_back(b.getAffineDimExpr(d));
  SmallVector<AffineMap> maps{AffineMap::get(rank, 0, b.getAffineDimExpr(0)),
                              AffineMap::get(rank, 0, rows, b.getContext()),
                              b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  Type element = reducedDense.getElementType();
  Value init = tensor::EmptyOp::create(b, loc, reducedDense.getShape(), element);
  double scale = hot.scale;
  auto generic = linalg::GenericOp::create(
      b, loc, reducedDense, ValueRange{hot.value, argmax}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value hit = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, args[0], args[1]);
        Value on = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(element, scale));
        Value off = arith::ConstantOp::create(nb, nl, nb.getFloatAttr(element, 0.0));
        linalg::YieldOp::create(nb, nl, ValueRange{arith::SelectOp::create(nb, nl, hit, on, off)});
      });
  return generic->getResult(0);
}

} // namespace

Lowered mlir::jet::readAtArgmax(OpBuilder &b, Location loc, const TensorAlgebra &alg,
                                const Lowered &in, Value argmax) {
  RankedTensorType dense = alg.getDenseType();
  auto reducedDense = RankedTensorType::get(dense.getShape().drop_back(), dense.getElementType());
  Lowered out;
  for (const TensorCoeff &c : in) {
    switch (c.kind) {
    case CK::zero: out.push_back(c); break;
    case CK::onehot: out.push_back({CK::dense, oneHotAt(b, loc, c, argmax, reducedDense)}); break;
    case CK::dense: out.push_back({c.kind, gatherAt(b, loc, c.value, argmax, true)}); break;
    case CK::shared:
    case CK::summed: out.push_back({c.kind, gatherAt(b, loc, c.value, argmax, false)}); break;
    }
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Dense layers
//===----------------------------------------------------------------------===//

Value mlir::jet::foldLastAxis(OpBuilder &b, Location loc, Value value, int64_t block) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  // [..., D] -> [..., D / K, K], then the sum over the D / K axis.
  SmallVector<int64_t> shape(type.getShape().drop_back());
  shape.push_back(type.getShape().back() / block);
  shape.push_back(block);
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i + 1 < rank; ++i)
    groups.push_back({i});
  groups.push_back({rank - 1, rank});
  Value blocks = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value, groups);
  SmallVector<int64_t> outShape(type.getShape().drop_back());
  outShape.push_back(block);
  auto outType = RankedTensorType::get(outShape, type.getElementType());
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(outType, b.getFloatAttr(type.getElementType(), 0.0)));
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{blocks}, ValueRange{zero}, ArrayRef<int64_t>{rank - 1},
      [](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, ValueRange{arith::AddFOp::create(nb, nl, args[0], args[1])});
      });
  return reduce->getResult(0);
}

Value mlir::jet::foldIndices(OpBuilder &b, Location loc, Value indices, int64_t block) {
  auto type = cast<RankedTensorType>(indices.getType());
  Value divisor = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getIndexAttr(block)));
  return arith::RemUIOp::create(b, loc, indices, divisor);
}

namespace {

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

} // namespace

Lowered mlir::jet::lowerDenseLayer(OpBuilder &b, Location loc, DenseOp op, const Lowered &in) {
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

Lowered mlir::jet::lowerLinearMap(OpBuilder &b, Location loc, LinearOp op, const Lowered &in) {
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
// jet.dot with one-hot tangents: a product coefficient x * (s e_{idx[r]}) is
// nonzero at one position per direction, so its sum over the last axis is
// the gather s x[..., idx[r]]; materializing the product first costs
// R x N x D per coefficient (at D = 10^5 the largest tensors of the whole
// step). The dot is lowered as the Cauchy product of last-axis dot products
// of the coefficients, each structure-aware.

namespace {

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

} // namespace

Lowered mlir::jet::lowerDot(OpBuilder &b, Location loc, TensorAlgebra &in, TensorAlgebra &out,
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

