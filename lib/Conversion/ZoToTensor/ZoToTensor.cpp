//===- ZoToTensor.cpp - subspace bases from Philox counters ---------------===//
//
// zo.basis becomes: Gaussian G (n x r) from its stream, keyed by the seed
// and the refresh epoch; the Gram matrix G^T G (one reduction over n); its
// Cholesky factor L and L^-1, unrolled on r x r scalars (r is small and
// static); B = G L^-T, whose columns are orthonormal (B^T B = L^-1 G^T G L^-T
// = I). The products with the bases are jet.linear maps: convert-jet-to-tensor
// lowers them.
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"
#include "stde/Conversion/ZoToTensor.h"
#include "stde/Utils/SmallLinalg.h"

#include "dialects/rng/RngOps.h"
#include "dialects/zo/ZoOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTZOTOTENSOR
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

using stde::zo::gram;
using stde::zo::timesTransposed;
using stde::zo::zerosLike;

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

/// zo.basis -> B = G L^-T from its Gaussian block G.
struct BasisLowering : OpConversionPattern<zo::BasisOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(zo::BasisOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t r = type.getDimSize(1);
    Type element = type.getElementType();
    Value g = rng::DrawOp::create(rewriter, loc, type, rng::Distribution::gaussian,
                                  adaptor.getSeed(), adaptor.getEpoch(), op.getStream());
    Value inv = inverseCholesky(rewriter, loc, gram(rewriter, loc, g), r, element);
    rewriter.replaceOp(op, timesTransposed(rewriter, loc, g, inv, zerosLike(rewriter, loc, type)));
    return success();
  }
};

} // namespace

void stde::populateZoToTensorPatterns(RewritePatternSet &patterns) {
  patterns.add<BasisLowering>(patterns.getContext());
}

namespace {

struct ConvertZoToTensorPass : stde::impl::ConvertZoToTensorBase<ConvertZoToTensorPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // The products with the bases are jet.linear maps (convert-jet-to-tensor),
    // so only zo.basis is this pass's (an rng.draw and small tensor algebra).
    ConversionTarget target(*context);
    target.addIllegalOp<zo::BasisOp>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect, math::MathDialect,
                           rng::RngDialect, tensor::TensorDialect>();
    RewritePatternSet patterns(context);
    stde::populateZoToTensorPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
