//===- JetToTensor.cpp - jets become tensors -----------------------------===//
//
// A jet lowers to its primal tensor<S> plus one stored value per coefficient,
// whose form depends on the coefficient's structure (TensorAlgebra.h): a 1:N
// type conversion (JetTypeConverter), one OpConversionPattern per jet op.
// Each pattern unpacks its operands' tensors into coefficients, runs the
// op's rule and packs the result as its type says.
//
// Every rule runs the recurrence of TaylorRecurrences.h on TensorAlgebra, the
// same template the op verifiers run on kinds, so the structure each jet type
// claims is the structure the code has.
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/JetToTensor.h"
#include "stde/Conversion/Passes.h"

#include "LinearMaps.h"
#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTJETTOTENSOR
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace mlir::jet;

using CK = CoefficientKind;

//===----------------------------------------------------------------------===//
// A jet as tensors
//===----------------------------------------------------------------------===//

stde::JetTypeConverter::JetTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](JetType type, SmallVectorImpl<Type> &results) {
    results.push_back(type.getBase());
    for (int64_t k = 1; k <= type.getOrder(); ++k) {
      if (Type storage = type.getStorageType(type.getKind(k)))
        results.push_back(storage);
      if (type.getKind(k) == CK::onehot)
        results.push_back(Float64Type::get(type.getContext()));
    }
    return success();
  });
}

namespace {

double factorial(int64_t k) {
  double f = 1.0;
  for (int64_t i = 2; i <= k; ++i)
    f *= i;
  return f;
}

TensorAlgebra algebraFor(OpBuilder &b, Location loc, Type jet) {
  auto type = cast<JetType>(jet);
  return TensorAlgebra(b, loc, type.getBase(), type.getDirections());
}

/// The coefficients stored in `values` (JetTypeConverter's order).
FailureOr<Lowered> unpack(Operation *op, JetType type, ValueRange values) {
  Lowered jet{{CK::shared, values.front()}};
  size_t next = 1;
  for (int64_t k = 1; k <= type.getOrder(); ++k) {
    CK kind = type.getKind(k);
    if (kind == CK::zero) {
      jet.push_back({});
      continue;
    }
    TensorCoeff c{kind, values[next++]};
    if (kind != CK::onehot && matchPattern(c.value, m_AnyZeroFloat())) {
      jet.push_back({}); // a stored zero is known zero again (see pack)
      continue;
    }
    if (kind == CK::onehot) {
      FloatAttr scale;
      if (!matchPattern(values[next++], m_Constant(&scale)))
        return op->emitOpError() << "reads a one-hot coefficient whose scale is not a constant";
      c.scale = scale.getValueAsDouble();
    }
    jet.push_back(c);
  }
  return jet;
}

/// The tensors that store `jet` as `type` says, each coefficient conformed
/// to its kind (dense or summed where the rule produced something narrower).
/// A zero coefficient stored as shared, summed or dense is a splat-zero
/// constant, which unpack reads back as zero: terms with it stay unemitted
/// (a collapsed top coefficient that is still zero at the input layer costs
/// no N x D product).
FailureOr<SmallVector<Value>> pack(OpBuilder &b, Operation *op, JetType type, Lowered jet) {
  TensorAlgebra alg = algebraFor(b, op->getLoc(), type);
  SmallVector<Value> values{jet[0].value};
  for (int64_t k = 1; k <= type.getOrder(); ++k) {
    CK kind = type.getKind(k);
    if (jet[k].kind == CK::zero && kind != CK::zero && kind != CK::onehot) {
      auto storage = cast<RankedTensorType>(type.getStorageType(kind));
      values.push_back(arith::ConstantOp::create(
          b, op->getLoc(),
          DenseElementsAttr::get(storage, b.getFloatAttr(storage.getElementType(), 0.0))));
      continue;
    }
    TensorCoeff c = alg.conform(jet[k], kind);
    if (c.kind != kind)
      return op->emitOpError() << "computes coefficient " << k << " as " << stringifyEnum(c.kind)
                               << " where its type stores " << stringifyEnum(kind);
    if (kind == CK::zero)
      continue;
    values.push_back(c.value);
    if (kind == CK::onehot)
      values.push_back(arith::ConstantOp::create(b, op->getLoc(), b.getF64FloatAttr(c.scale)));
  }
  if (alg.hasFailed())
    return failure();
  return values;
}

//===----------------------------------------------------------------------===//
// Ops with a jet result
//===----------------------------------------------------------------------===//

/// A jet op with one jet result: its operand jets unpacked (in operand
/// order), `lower` applies the rule, the result is packed in its place.
template <typename Op> struct JetOpLowering : OpConversionPattern<Op> {
  using Base = OpConversionPattern<Op>;
  using Base::Base;
  using Adaptor = typename Base::OneToNOpAdaptor;

  virtual FailureOr<Lowered> lower(Op op, ArrayRef<Lowered> jets, Adaptor adaptor,
                                   OpBuilder &b) const = 0;

  LogicalResult matchAndRewrite(Op op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const final {
    SmallVector<Lowered> jets;
    for (auto [operand, values] : llvm::zip(op->getOperands(), adaptor.getOperands()))
      if (auto type = dyn_cast<JetType>(operand.getType())) {
        FailureOr<Lowered> jet = unpack(op, type, values);
        if (failed(jet))
          return failure();
        jets.push_back(std::move(*jet));
      }
    FailureOr<Lowered> result = lower(op, jets, adaptor, rewriter);
    if (failed(result))
      return failure();
    FailureOr<SmallVector<Value>> values =
        pack(rewriter, op, cast<JetType>(op.getType()), std::move(*result));
    if (failed(values))
      return failure();
    rewriter.replaceOpWithMultiple(op, {std::move(*values)});
    return success();
  }
};

/// Succeeds with `jet` unless the algebra met a combination it cannot
/// express (it has emitted the error).
FailureOr<Lowered> checked(const TensorAlgebra &alg, Lowered jet) {
  if (alg.hasFailed())
    return failure();
  return jet;
}

/// Stored derivatives in, normalized coefficients inside: a_k = v_k / k!.
struct SeedLowering : JetOpLowering<SeedOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(SeedOp op, ArrayRef<Lowered>, Adaptor adaptor,
                           OpBuilder &b) const override {
    auto type = cast<JetType>(op.getType());
    TensorAlgebra alg = algebraFor(b, op.getLoc(), type);
    Lowered jet{{CK::shared, adaptor.getPrimal().front()}};
    auto stored = adaptor.getCoefficients().begin();
    size_t oneHot = 0;
    for (int64_t k = 1; k <= type.getOrder(); ++k) {
      CK kind = type.getKind(k);
      TensorCoeff c{kind, kind == CK::zero ? Value() : (*stored++).front()};
      if (kind == CK::onehot && op.getScales())
        c.scale = (*op.getScales())[oneHot++];
      jet.push_back(alg.scale(c, 1.0 / factorial(k)));
    }
    return checked(alg, std::move(jet));
  }
};

/// jet.widen and jet.collapse restate the structure only: packing the input
/// as the result type widens (or sums the top coefficient).
template <typename Op> struct RestructureLowering : JetOpLowering<Op> {
  using JetOpLowering<Op>::JetOpLowering;
  using typename JetOpLowering<Op>::Adaptor;
  FailureOr<Lowered> lower(Op, ArrayRef<Lowered> jets, Adaptor, OpBuilder &) const override {
    return jets[0];
  }
};

/// jet.add and jet.sub: coefficient by coefficient.
template <typename Op, TensorCoeff (TensorAlgebra::*Combine)(TensorCoeff, TensorCoeff)>
struct CombineLowering : JetOpLowering<Op> {
  using JetOpLowering<Op>::JetOpLowering;
  using typename JetOpLowering<Op>::Adaptor;
  FailureOr<Lowered> lower(Op op, ArrayRef<Lowered> jets, Adaptor, OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getType());
    Lowered out;
    for (auto [lhs, rhs] : llvm::zip(jets[0], jets[1]))
      out.push_back((alg.*Combine)(lhs, rhs));
    return checked(alg, std::move(out));
  }
};

struct NegLowering : JetOpLowering<NegOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(NegOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getType());
    Lowered out;
    for (const TensorCoeff &c : jets[0])
      out.push_back(alg.scale(c, -1.0));
    return checked(alg, std::move(out));
  }
};

/// jet.mul and jet.div: the Cauchy product and its inverse recurrence.
template <typename Op, Lowered (*Rule)(TensorAlgebra &, ArrayRef<TensorCoeff>,
                                       ArrayRef<TensorCoeff>)>
struct ProductLowering : JetOpLowering<Op> {
  using JetOpLowering<Op>::JetOpLowering;
  using typename JetOpLowering<Op>::Adaptor;
  FailureOr<Lowered> lower(Op op, ArrayRef<Lowered> jets, Adaptor, OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getType());
    return checked(alg, Rule(alg, jets[0], jets[1]));
  }
};

struct ElementwiseLowering : JetOpLowering<ElementwiseOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(ElementwiseOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getType());
    return checked(alg, taylor::elementwise(alg, op.getFn(), ArrayRef<TensorCoeff>(jets[0])));
  }
};

struct PowiLowering : JetOpLowering<PowiOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(PowiOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getType());
    return checked(alg, taylor::powi(alg, ArrayRef<TensorCoeff>(jets[0]), op.getExponent()));
  }
};

//===----------------------------------------------------------------------===//
// Maps over the last axis, layers and dots (LinearMaps.h)
//===----------------------------------------------------------------------===//

struct SumLowering : JetOpLowering<jet::SumOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(jet::SumOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getInput().getType());
    return checked(alg, mapCoefficients(alg, jets[0], [&](Value v) {
                     return reduceLastAxis(b, op.getLoc(), v);
                   }));
  }
};

struct MaxLowering : JetOpLowering<jet::MaxOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(jet::MaxOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getInput().getType());
    Value argmax = argmaxLastAxis(b, op.getLoc(), jets[0][0].value);
    return checked(alg, readAtArgmax(b, op.getLoc(), alg, jets[0], argmax));
  }
};

struct SliceLowering : JetOpLowering<SliceOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(SliceOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getInput().getType());
    return checked(alg, mapCoefficients(alg, jets[0], [&](Value v) {
                     return sliceLastAxis(b, op.getLoc(), v, op.getOffset(), op.getSize());
                   }));
  }
};

struct BroadcastLowering : JetOpLowering<BroadcastOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(BroadcastOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra alg = algebraFor(b, op.getLoc(), op.getInput().getType());
    int64_t extent = cast<JetType>(op.getType()).getBase().getShape().back();
    return checked(alg, mapCoefficients(alg, jets[0], [&](Value v) {
                     return broadcastLastAxis(b, op.getLoc(), v, extent);
                   }));
  }
};

/// Every structure kept: one-hot indices fold modulo the block, stored
/// values are summed block by block.
struct FoldBlocksLowering : JetOpLowering<FoldBlocksOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(FoldBlocksOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    int64_t block = cast<JetType>(op.getType()).getBase().getShape().back();
    Lowered out;
    for (TensorCoeff c : jets[0]) {
      if (c.kind == CK::onehot)
        c.value = foldIndices(b, op.getLoc(), c.value, block);
      else if (c.kind != CK::zero)
        c.value = foldLastAxis(b, op.getLoc(), c.value, block);
      out.push_back(c);
    }
    return out;
  }
};

struct DenseLowering : JetOpLowering<DenseOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(DenseOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    return lowerDenseLayer(b, op.getLoc(), op, jets[0]);
  }
};

struct LinearLowering : JetOpLowering<LinearOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(LinearOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    return lowerLinearMap(b, op.getLoc(), op, jets[0]);
  }
};

struct DotLowering : JetOpLowering<DotOp> {
  using JetOpLowering::JetOpLowering;
  FailureOr<Lowered> lower(DotOp op, ArrayRef<Lowered> jets, Adaptor,
                           OpBuilder &b) const override {
    TensorAlgebra factors = algebraFor(b, op.getLoc(), op.getLhs().getType());
    TensorAlgebra out = algebraFor(b, op.getLoc(), op.getType());
    Lowered value = lowerDot(b, op.getLoc(), factors, out, jets[0], jets[1]);
    if (factors.hasFailed())
      return failure();
    return checked(out, std::move(value));
  }
};

//===----------------------------------------------------------------------===//
// Reading a coefficient
//===----------------------------------------------------------------------===//

/// Derivatives out: v_k = k! a_k, stored dense (summed when the type sums).
struct CoefficientLowering : OpConversionPattern<CoefficientOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(CoefficientOp op, OneToNOpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<JetType>(op.getJet().getType());
    FailureOr<Lowered> jet = unpack(op, type, adaptor.getJet());
    if (failed(jet))
      return failure();
    int64_t k = op.getIndex();
    TensorAlgebra alg = algebraFor(rewriter, op.getLoc(), type);
    Value result;
    if (k == 0)
      result = (*jet)[0].value;
    else if (type.getKind(k) == CK::summed)
      result = alg.directionSum(alg.scale((*jet)[k], factorial(k)));
    else
      result = alg.dense(alg.scale((*jet)[k], factorial(k)));
    if (alg.hasFailed())
      return failure();
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void stde::populateJetToTensorPatterns(const TypeConverter &converter,
                                       RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<SeedLowering, CoefficientLowering, RestructureLowering<WidenOp>,
               RestructureLowering<CollapseOp>, CombineLowering<AddOp, &TensorAlgebra::add>,
               CombineLowering<SubOp, &TensorAlgebra::sub>, NegLowering,
               ProductLowering<MulOp, taylor::mul<TensorAlgebra>>,
               ProductLowering<DivOp, taylor::div<TensorAlgebra>>, ElementwiseLowering,
               PowiLowering, SumLowering, MaxLowering, SliceLowering, BroadcastLowering, FoldBlocksLowering, DenseLowering,
               LinearLowering, DotLowering>(converter, context);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

/// What the patterns cannot lower, as errors at the op before anything is
/// rewritten: an unexpanded jet.pushforward; a jet that no jet op made (a
/// block argument: jets never cross function or block boundaries); a jet read
/// by an op that is not a jet op (func.return, a call), which would need a
/// tensor form of the whole jet.
LogicalResult checkJetsStayInside(Operation *root) {
  LogicalResult result = success();
  root->walk([&](Operation *op) {
    bool isJetOp = isa<JetDialect>(op->getDialect());
    if (isa<PushforwardOp>(op)) {
      op->emitOpError() << "must be expanded first (run --jet-expand)";
      result = failure();
      return;
    }
    for (Value operand : op->getOperands()) {
      if (!isa<JetType>(operand.getType()))
        continue;
      Operation *producer = operand.getDefiningOp();
      if (!producer || !isa<JetDialect>(producer->getDialect())) {
        op->emitOpError() << "uses a jet that was not made by jet.seed or a jet op in this "
                             "function";
        result = failure();
      } else if (!isJetOp) {
        op->emitOpError() << "uses a jet (" << operand.getType() << ", made by '"
                          << producer->getName()
                          << "'), which has no tensor form outside the jet ops: read its "
                             "coefficients with jet.coefficient";
        result = failure();
      }
    }
  });
  return result;
}

struct ConvertJetToTensorPass : stde::impl::ConvertJetToTensorBase<ConvertJetToTensorPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    if (failed(checkJetsStayInside(getOperation())))
      return signalPassFailure();
    // jet.sum(jet.mul(a, b)) -> jet.dot(a, b) first: the dot's pattern sees
    // the factors, so one-hot ones become gathers.
    RewritePatternSet fusion(context);
    jet::SumOp::getCanonicalizationPatterns(fusion, context);
    walkAndApplyPatterns(getOperation(), std::move(fusion));

    stde::JetTypeConverter converter;
    ConversionTarget target(*context);
    target.addIllegalDialect<JetDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(context);
    stde::populateJetToTensorPatterns(converter, patterns);
    // The patterns read stored coefficients themselves; folding jet ops
    // midway would only hide structure from them.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
