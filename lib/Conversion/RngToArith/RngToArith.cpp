//===- RngToArith.cpp - random numbers as integer arithmetic --------------===//
//
// rng.philox becomes its 10 rounds of 32-bit multiplies and xors; rng.draw a
// tensor.generate whose element e computes its own block; rng.sample Floyd's
// algorithm as an scf.for; rng.choice a lookup in an alias table built here.
// One OpConversionPattern per op (populateRngToArithPatterns); the pass
// declares the rng dialect illegal, so an op left behind is an error.
//
//===----------------------------------------------------------------------===//
#include "Philox.h"
#include "dialects/rng/RngOps.h"
#include "stde/Conversion/Passes.h"
#include "stde/Conversion/RngToArith.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

namespace stde {
#define GEN_PASS_DEF_CONVERTRNGTOARITH
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace mlir::rng;
using namespace stde::philox;

namespace {

/// Row-major linear index of a tensor.generate's indices.
Value linearIndex(OpBuilder &b, Location loc, ValueRange indices, ArrayRef<int64_t> shape) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [index, size] : llvm::zip_equal(indices, shape)) {
    linear = arith::MulIOp::create(b, loc, linear, arith::ConstantIndexOp::create(b, loc, size));
    linear = arith::AddIOp::create(b, loc, linear, index);
  }
  return linear;
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

/// One number of the distribution from the element's block.
Value transform(OpBuilder &b, Location loc, Distribution distribution, Type type,
                std::array<Value, 4> words) {
  switch (distribution) {
  case Distribution::uniform:
    return emitUniform(b, loc, type, words[0], words[1]);
  case Distribution::rademacher: {
    // 1 - 2 * (lowest bit).
    Value one = arith::ConstantIntOp::create(b, loc, b.getI32Type(), 1);
    Value bit = arith::AndIOp::create(b, loc, words[0], one);
    Value sign = arith::SubIOp::create(
        b, loc, one, arith::ShLIOp::create(b, loc, bit, one));
    return arith::SIToFPOp::create(b, loc, type, sign);
  }
  case Distribution::gaussian: {
    // Box-Muller: sqrt(-2 log u1) cos(2 pi u2), u1 in (0, 1].
    Value u1 = arith::SubFOp::create(b, loc, floatConstant(b, loc, type, 1.0),
                                     emitUniform(b, loc, type, words[0], words[1]));
    Value u2 = emitUniform(b, loc, type, words[2], words[3]);
    Value radius = math::SqrtOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, floatConstant(b, loc, type, -2.0),
                              math::LogOp::create(b, loc, u1)));
    Value angle = arith::MulFOp::create(
        b, loc, floatConstant(b, loc, type, 2.0 * M_PI), u2);
    return arith::MulFOp::create(b, loc, radius, math::CosOp::create(b, loc, angle));
  }
  }
  llvm_unreachable("unknown distribution");
}

struct PhiloxLowering : OpConversionPattern<PhiloxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(PhiloxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    std::array<Value, 4> words =
        emitPhilox(rewriter, op.getLoc(), adaptor.getK0(), adaptor.getK1(),
                   {adaptor.getC0(), adaptor.getC1(), adaptor.getC2(), adaptor.getC3()});
    rewriter.replaceOp(op, words);
    return success();
  }
};

struct DrawLowering : OpConversionPattern<DrawOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DrawOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    SmallVector<int64_t> drawShape = op.getDrawShape(), offsets = op.getDrawOffsets();
    Value seed = adaptor.getSeed(), step = adaptor.getStep();
    auto generate = tensor::GenerateOp::create(
        rewriter, op.getLoc(), type, ValueRange{},
        [&](OpBuilder &b, Location loc, ValueRange indices) {
          // A slice draws the elements of a larger draw: its index there.
          SmallVector<Value> global;
          for (auto [index, offset] : llvm::zip_equal(indices, offsets))
            global.push_back(offset == 0 ? index
                                         : Value(arith::AddIOp::create(
                                               b, loc, index,
                                               arith::ConstantIndexOp::create(b, loc, offset))));
          Value index = linearIndex(b, loc, global, drawShape);
          std::array<Value, 4> words = emitBlock(b, loc, seed, step, op.getStream(), index);
          Value value = transform(b, loc, op.getDistribution(), type.getElementType(), words);
          tensor::YieldOp::create(b, loc, value);
        });
    rewriter.replaceOp(op, generate);
    return success();
  }
};

/// Floyd: for j = n-k .. n-1, t = uniform in [0, j]; take j if t was taken,
/// else t. Every k-subset is equally likely.
struct SampleLowering : OpConversionPattern<SampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(SampleOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t k = op.getType().getDimSize(0), n = op.getPopulation();
    Value seed = adaptor.getSeed(), step = adaptor.getStep();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value count = arith::ConstantIndexOp::create(rewriter, loc, k);
    Value init = tensor::SplatOp::create(rewriter, loc, op.getType(), zero);
    auto outer = scf::ForOp::create(
        rewriter, loc, zero, count, one, ValueRange{init},
        [&](OpBuilder &b, Location loc, Value i, ValueRange state) {
          Value taken = state[0];
          Value j = arith::AddIOp::create(b, loc, i,
                                          arith::ConstantIndexOp::create(b, loc, n - k));
          std::array<Value, 4> words = emitBlock(b, loc, seed, step, op.getStream(), i);
          Value bound = arith::IndexCastUIOp::create(
              b, loc, b.getI64Type(), arith::AddIOp::create(b, loc, j, one));
          Value t = arith::IndexCastUIOp::create(
              b, loc, b.getIndexType(), emitBelow(b, loc, words[0], words[1], bound));
          Value no = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 0);
          auto search = scf::ForOp::create(
              b, loc, zero, i, one, ValueRange{no},
              [&](OpBuilder &b, Location loc, Value p, ValueRange found) {
                Value previous = tensor::ExtractOp::create(b, loc, taken, p);
                Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                                   previous, t);
                scf::YieldOp::create(b, loc,
                                     ValueRange{arith::OrIOp::create(b, loc, found[0], same)});
              });
          Value pick = arith::SelectOp::create(b, loc, search.getResult(0), j, t);
          Value next = tensor::InsertOp::create(b, loc, pick, taken, i);
          scf::YieldOp::create(b, loc, ValueRange{next});
        });
    rewriter.replaceOp(op, outer.getResult(0));
    return success();
  }
};

/// Vose's alias table: column c is kept with probability prob[c], else
/// replaced by alias[c]; uniform columns then give the weighted law.
void buildAliasTable(ArrayRef<double> weights, SmallVector<double> &prob,
                     SmallVector<int64_t> &alias) {
  size_t n = weights.size();
  double total = 0;
  for (double w : weights)
    total += w;
  SmallVector<double> scaled;
  SmallVector<size_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled.push_back(weights[i] * n / total);
    (scaled[i] < 1 ? small : large).push_back(i);
  }
  prob.assign(n, 1.0);
  alias.resize(n);
  for (size_t i = 0; i < n; ++i)
    alias[i] = i;
  while (!small.empty() && !large.empty()) {
    size_t s = small.pop_back_val(), l = large.back();
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] -= 1 - scaled[s];
    if (scaled[l] < 1) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding.
}

struct ChoiceLowering : OpConversionPattern<ChoiceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ChoiceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<double> prob;
    SmallVector<int64_t> alias;
    buildAliasTable(op.getWeights(), prob, alias);
    int64_t n = prob.size();
    auto probType = RankedTensorType::get({n}, rewriter.getF64Type());
    auto aliasType = RankedTensorType::get({n}, rewriter.getIndexType());
    Value probTable = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(probType, ArrayRef<double>(prob)));
    Value aliasTable = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(aliasType, llvm::map_to_vector(alias, [&](int64_t a) {
                                 return Attribute(rewriter.getIndexAttr(a));
                               })));
    Value seed = adaptor.getSeed(), step = adaptor.getStep();
    auto generate = tensor::GenerateOp::create(
        rewriter, loc, op.getType(), ValueRange{},
        [&](OpBuilder &b, Location loc, ValueRange indices) {
          std::array<Value, 4> words = emitBlock(b, loc, seed, step, op.getStream(), indices[0]);
          Value bound = arith::ConstantIntOp::create(b, loc, b.getI64Type(), n);
          Value column = arith::IndexCastUIOp::create(
              b, loc, b.getIndexType(), emitBelow(b, loc, words[0], words[1], bound));
          Value u = emitUniform(b, loc, b.getF64Type(), words[2], words[3]);
          Value keep = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OLT, u,
              tensor::ExtractOp::create(b, loc, probTable, column));
          Value other = tensor::ExtractOp::create(b, loc, aliasTable, column);
          Value pick = arith::SelectOp::create(b, loc, keep, column, other);
          tensor::YieldOp::create(b, loc, pick);
        });
    rewriter.replaceOp(op, generate);
    return success();
  }
};

} // namespace

void stde::populateRngToArithPatterns(RewritePatternSet &patterns) {
  patterns.add<PhiloxLowering, DrawLowering, SampleLowering, ChoiceLowering>(
      patterns.getContext());
}

namespace {

struct ConvertRngToArith : public stde::impl::ConvertRngToArithBase<ConvertRngToArith> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    // Every rng op must go; what it becomes is legal. A draw whose operands
    // cannot be lowered is an error at its location.
    target.addIllegalDialect<RngDialect>();
    target.addLegalDialect<arith::ArithDialect, math::MathDialect, scf::SCFDialect,
                           tensor::TensorDialect>();
    RewritePatternSet patterns(context);
    stde::populateRngToArithPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
