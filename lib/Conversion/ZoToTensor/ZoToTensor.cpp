//===- ZoToTensor.cpp - subspace bases from Philox counters ---------------===//
//
// zo.basis becomes: Gaussian G (n x r) from its stream, keyed by the seed
// and the refresh epoch; the Gram matrix G^T G (one reduction over n); its
// Cholesky factor L and L^-1, unrolled on r x r scalars (r is small and
// static); B = G L^-T, whose columns are orthonormal (B^T B = L^-1 G^T G L^-T
// = I). zo.project and zo.lift are jet ops: convert-jet-to-tensor lowers them.
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"

#include "dialects/rng/RngOps.h"
#include "dialects/zo/ZoOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTZOTOTENSOR
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// Zeros as a fill: a dense constant would be a global of its full size in
/// the compiled image (B is n x r: 32 MB at n = 10^6, r = 8).
Value zerosLike(OpBuilder &b, Location loc, RankedTensorType type) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(type.getElementType(), 0.0));
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{empty}).getResult(0);
}

/// out[a, b] = sum_i G[i, a] * G[i, b].
Value gram(OpBuilder &b, Location loc, Value g, int64_t r, Type element) {
  MLIRContext *ctx = b.getContext();
  AffineExpr i, x, y;
  bindDims(ctx, i, x, y);
  auto type = RankedTensorType::get({r, r}, element);
  Value init = zerosLike(b, loc, type);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {i, x}, ctx), AffineMap::get(3, 0, {i, y}, ctx),
                             AffineMap::get(3, 0, {x, y}, ctx)};
  SmallVector<utils::IteratorType> iterators{utils::IteratorType::reduction,
                                             utils::IteratorType::parallel,
                                             utils::IteratorType::parallel};
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{g, g}, ValueRange{init}, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               Value p = arith::MulFOp::create(nb, nl, args[0], args[1]);
               linalg::YieldOp::create(nb, nl, ValueRange{arith::AddFOp::create(nb, nl, args[2], p)});
             })
      ->getResult(0);
}

/// L^-1 for the Cholesky factor L of the r x r matrix `a` (lower triangular,
/// row-major, zeros above the diagonal), as straight-line scalar code.
Value inverseCholesky(OpBuilder &b, Location loc, Value a, int64_t r, Type element) {
  auto at = [&](int64_t i, int64_t j) {
    SmallVector<Value> idx{arith::ConstantIndexOp::create(b, loc, i),
                           arith::ConstantIndexOp::create(b, loc, j)};
    return tensor::ExtractOp::create(b, loc, a, idx).getResult();
  };
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0));
  Value one = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 1.0));
  std::vector<std::vector<Value>> l(r, std::vector<Value>(r, zero)), inv = l;
  for (int64_t j = 0; j < r; ++j) {
    Value d = at(j, j);
    for (int64_t k = 0; k < j; ++k)
      d = arith::SubFOp::create(b, loc, d, arith::MulFOp::create(b, loc, l[j][k], l[j][k]));
    l[j][j] = math::SqrtOp::create(b, loc, d);
    for (int64_t i = j + 1; i < r; ++i) {
      Value s = at(i, j);
      for (int64_t k = 0; k < j; ++k)
        s = arith::SubFOp::create(b, loc, s, arith::MulFOp::create(b, loc, l[i][k], l[j][k]));
      l[i][j] = arith::DivFOp::create(b, loc, s, l[j][j]);
    }
  }
  // Forward substitution, column by column: L inv = I.
  for (int64_t i = 0; i < r; ++i) {
    inv[i][i] = arith::DivFOp::create(b, loc, one, l[i][i]);
    for (int64_t j = 0; j < i; ++j) {
      Value s = zero;
      for (int64_t k = j; k < i; ++k)
        s = arith::AddFOp::create(b, loc, s, arith::MulFOp::create(b, loc, l[i][k], inv[k][j]));
      inv[i][j] = arith::DivFOp::create(b, loc, arith::NegFOp::create(b, loc, s), l[i][i]);
    }
  }
  SmallVector<Value> flat;
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < r; ++j)
      flat.push_back(inv[i][j]);
  return tensor::FromElementsOp::create(b, loc, RankedTensorType::get({r, r}, element), flat);
}

/// B[i, o] = sum_k G[i, k] * Linv[o, k].
Value timesTransposed(OpBuilder &b, Location loc, Value g, Value inv, RankedTensorType type) {
  MLIRContext *ctx = b.getContext();
  AffineExpr i, k, o;
  bindDims(ctx, i, k, o);
  Type element = type.getElementType();
  Value init = zerosLike(b, loc, type);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {i, k}, ctx), AffineMap::get(3, 0, {o, k}, ctx),
                             AffineMap::get(3, 0, {i, o}, ctx)};
  SmallVector<utils::IteratorType> iterators{utils::IteratorType::parallel,
                                             utils::IteratorType::reduction,
                                             utils::IteratorType::parallel};
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{g, inv}, ValueRange{init}, maps, iterators,
             [](OpBuilder &nb, Location nl, ValueRange args) {
               Value p = arith::MulFOp::create(nb, nl, args[0], args[1]);
               linalg::YieldOp::create(nb, nl, ValueRange{arith::AddFOp::create(nb, nl, args[2], p)});
             })
      ->getResult(0);
}

void lowerBasis(zo::BasisOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  RankedTensorType type = op.getType();
  int64_t r = type.getDimSize(1);
  Type element = type.getElementType();
  Value g = rng::DrawOp::create(b, loc, type, rng::Distribution::gaussian, op.getSeed(),
                                op.getEpoch(), op.getStream());
  Value inv = inverseCholesky(b, loc, gram(b, loc, g, r, element), r, element);
  op.replaceAllUsesWith(timesTransposed(b, loc, g, inv, type));
  op.erase();
}

struct ConvertZoToTensorPass : stde::impl::ConvertZoToTensorBase<ConvertZoToTensorPass> {
  void runOnOperation() override {
    SmallVector<zo::BasisOp> bases;
    getOperation()->walk([&](zo::BasisOp op) { bases.push_back(op); });
    for (zo::BasisOp op : bases)
      lowerBasis(op);
  }
};

} // namespace
