//===- JetFolds.cpp - folders and canonicalization of the jet ops ---------===//
//
// Reading a coefficient of a seed returns what was stored (the primal, a
// dense or summed coefficient); reading one of a widened jet reads the jet
// before widening; a zero coefficient is a zero constant; widening to the
// same type and negating twice are identities. Each keeps the lowering from
// materializing a value it already has.
//
//===----------------------------------------------------------------------===//
#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::jet;

/// The operand of `seed` that stores coefficient k (k >= 1), if one does.
static Value storedCoefficient(SeedOp seed, int64_t k) {
  auto type = cast<JetType>(seed.getResult().getType());
  size_t operand = 0;
  for (int64_t j = 1; j < k; ++j)
    if (type.getStorageType(type.getKind(j)))
      ++operand;
  return type.getStorageType(type.getKind(k)) ? seed.getCoefficients()[operand] : Value();
}

OpFoldResult CoefficientOp::fold(FoldAdaptor) {
  int64_t k = getIndex();
  if (auto seed = getJet().getDefiningOp<SeedOp>()) {
    if (k == 0)
      return seed.getPrimal();
    // Stored as materialized (dense: R x S, summed: S); onehot indices and
    // shared tensors are expanded by the lowering, not here.
    if (Value stored = storedCoefficient(seed, k); stored && stored.getType() == getType())
      return stored;
    return {};
  }
  if (auto widen = getJet().getDefiningOp<WidenOp>()) {
    // Widening restates the structure, never the values.
    getJetMutable().assign(widen.getInput());
    return getResult();
  }
  return {};
}

namespace {

/// jet.coefficient of a zero coefficient -> arith.constant dense<0>.
struct ZeroCoefficient : OpRewritePattern<CoefficientOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CoefficientOp op, PatternRewriter &rewriter) const override {
    auto type = cast<JetType>(op.getJet().getType());
    int64_t k = op.getIndex();
    if (k == 0 || type.getKind(k) != CoefficientKind::zero)
      return failure();
    auto result = cast<RankedTensorType>(op.getType());
    auto zero = DenseElementsAttr::get(result, rewriter.getFloatAttr(result.getElementType(), 0.0));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, zero);
    return success();
  }
};

/// jet.sum(jet.mul(a, b)) -> jet.dot(a, b) when the product has no other
/// use: the lowering then sees the factors (one-hot ones become gathers).
struct SumOfProduct : OpRewritePattern<SumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SumOp op, PatternRewriter &rewriter) const override {
    auto mul = op.getInput().getDefiningOp<MulOp>();
    if (!mul || !mul->hasOneUse())
      return failure();
    auto dot = DotOp::create(rewriter, op.getLoc(), mul.getLhs(), mul.getRhs());
    if (dot.getType() != op.getType()) { // same rules: never expected
      rewriter.eraseOp(dot);
      return failure();
    }
    rewriter.replaceOp(op, dot.getResult());
    rewriter.eraseOp(mul);
    return success();
  }
};

} // namespace

void SumOp::getCanonicalizationPatterns(RewritePatternSet &patterns, MLIRContext *context) {
  patterns.add<SumOfProduct>(context);
}

void CoefficientOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                                MLIRContext *context) {
  patterns.add<ZeroCoefficient>(context);
}

OpFoldResult WidenOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<WidenOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

OpFoldResult NegOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}
