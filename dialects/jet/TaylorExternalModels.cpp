//===- TaylorExternalModels.cpp - Taylor rules of upstream ops ------------===//
//
// TaylorOpInterface attached to the arith, math and tensor ops a network body
// may contain. Each model maps the op to the jet op carrying its rule; the
// recurrences themselves live in TaylorRecurrences.h.
//
//===----------------------------------------------------------------------===//
#include "dialects/jet/JetOps.h"
#include "dialects/jet/TaylorOpInterface.h"
#include "dialects/jet/OneHotTimesConstant.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace mlir::jet;

namespace {

template <typename Op, typename JetOp>
struct BinaryModel : TaylorOpInterface::ExternalModel<BinaryModel<Op, JetOp>, Op> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> lhs = expansion.operandJet(op, 0);
    FailureOr<Value> rhs = expansion.operandJet(op, 1);
    if (failed(lhs) || failed(rhs))
      return failure();
    return JetOp::create(builder, op->getLoc(), *lhs, *rhs).getResult();
  }
};

/// x * c for a constant c that takes one value wherever x's one-hot tangents
/// point keeps them one-hot, scaled (OneHotTimesConstant.h); any other
/// product is jet.mul.
struct MulModel : TaylorOpInterface::ExternalModel<MulModel, arith::MulFOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> lhs = expansion.operandJet(op, 0);
    FailureOr<Value> rhs = expansion.operandJet(op, 1);
    if (failed(lhs) || failed(rhs))
      return failure();
    Value jets[2] = {*lhs, *rhs};
    for (unsigned x = 0; x < 2; ++x) {
      DenseElementsAttr c;
      if (!matchPattern(op->getOperand(1 - x), m_Constant(&c)))
        continue;
      if (Value kept = mulOneHotByConstant(builder, op->getLoc(), jets[x], jets[1 - x], c))
        return kept;
    }
    return MulOp::create(builder, op->getLoc(), *lhs, *rhs).getResult();
  }
};

struct NegModel : TaylorOpInterface::ExternalModel<NegModel, arith::NegFOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    return NegOp::create(builder, op->getLoc(), *input).getResult();
  }
};

/// Constants do not move along the curve: all coefficients are zero.
struct ConstantModel : TaylorOpInterface::ExternalModel<ConstantModel, arith::ConstantOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    auto value = cast<arith::ConstantOp>(op).getValue();
    return expansion.constant(builder, op->getLoc(), value);
  }
};

template <typename Op, ElementwiseFn fn>
struct ElementwiseModel : TaylorOpInterface::ExternalModel<ElementwiseModel<Op, fn>, Op> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    return ElementwiseOp::create(builder, op->getLoc(), fn, *input).getResult();
  }
};

/// x^n needs a constant integer n known at compile time.
FailureOr<Value> pushPower(Operation *op, OpBuilder &builder, JetExpansion &expansion,
                           std::optional<int64_t> exponent) {
  if (!exponent)
    return op->emitOpError()
           << "exponent must be a constant integer to push a jet through it (use sqrt, or "
              "exp and log, for other powers)";
  FailureOr<Value> input = expansion.operandJet(op, 0);
  if (failed(input))
    return failure();
  return PowiOp::create(builder, op->getLoc(), *input, *exponent).getResult();
}

/// n if `value` is an integer of modest size (larger powers are surely typos).
std::optional<int64_t> integralExponent(double value) {
  if (value == std::trunc(value) && std::fabs(value) < 1024)
    return static_cast<int64_t>(value);
  return std::nullopt;
}

struct FPowIModel : TaylorOpInterface::ExternalModel<FPowIModel, math::FPowIOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    APInt value;
    std::optional<int64_t> exponent;
    if (matchPattern(op->getOperand(1), m_ConstantInt(&value)))
      exponent = value.getSExtValue();
    return pushPower(op, builder, expansion, exponent);
  }
};

struct PowFModel : TaylorOpInterface::ExternalModel<PowFModel, math::PowFOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FloatAttr value;
    std::optional<int64_t> exponent;
    if (matchPattern(op->getOperand(1), m_Constant(&value)))
      exponent = integralExponent(value.getValueAsDouble());
    else if (DenseElementsAttr dense;
             matchPattern(op->getOperand(1), m_Constant(&dense)) && dense.isSplat())
      exponent = integralExponent(dense.getSplatValue<APFloat>().convertToDouble());
    return pushPower(op, builder, expansion, exponent);
  }
};

/// A static slice of a per-point vector: x[offset : offset + size].
struct ExtractSliceModel
    : TaylorOpInterface::ExternalModel<ExtractSliceModel, tensor::ExtractSliceOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    auto slice = cast<tensor::ExtractSliceOp>(op);
    if (slice.getSourceType().getRank() != 1 || !slice.hasUnitStride() ||
        !slice.getOffsets().empty() || !slice.getSizes().empty())
      return op->emitOpError()
             << "only static unit-stride slices of a vector have a Taylor rule";
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    return SliceOp::create(builder, op->getLoc(), *input, slice.getStaticOffsets()[0],
                           slice.getStaticSizes()[0])
        .getResult();
  }
};

/// x[i] for a constant i: a one-entry slice summed away.
struct ExtractModel : TaylorOpInterface::ExternalModel<ExtractModel, tensor::ExtractOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    auto extract = cast<tensor::ExtractOp>(op);
    APInt index;
    if (extract.getIndices().size() != 1 ||
        !matchPattern(extract.getIndices()[0], m_ConstantInt(&index)))
      return op->emitOpError() << "only x[i] with a constant index has a Taylor rule";
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    Value entry = SliceOp::create(builder, op->getLoc(), *input, index.getSExtValue(), 1);
    return SumOp::create(builder, op->getLoc(), entry).getResult();
  }
};

struct SplatModel : TaylorOpInterface::ExternalModel<SplatModel, tensor::SplatOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    auto inputType = cast<JetType>(input->getType());
    JetType type = expansion.jetType(op->getResult(0).getType(), inputType.getStructure());
    return BroadcastOp::create(builder, op->getLoc(), type, *input).getResult();
  }
};

} // namespace

void mlir::jet::registerTaylorExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, arith::ArithDialect *) {
    arith::ConstantOp::attachInterface<ConstantModel>(*ctx);
    arith::AddFOp::attachInterface<BinaryModel<arith::AddFOp, AddOp>>(*ctx);
    arith::SubFOp::attachInterface<BinaryModel<arith::SubFOp, SubOp>>(*ctx);
    arith::MulFOp::attachInterface<MulModel>(*ctx);
    arith::DivFOp::attachInterface<BinaryModel<arith::DivFOp, DivOp>>(*ctx);
    arith::NegFOp::attachInterface<NegModel>(*ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, math::MathDialect *) {
    math::TanhOp::attachInterface<ElementwiseModel<math::TanhOp, ElementwiseFn::tanh>>(*ctx);
    math::SinOp::attachInterface<ElementwiseModel<math::SinOp, ElementwiseFn::sin>>(*ctx);
    math::CosOp::attachInterface<ElementwiseModel<math::CosOp, ElementwiseFn::cos>>(*ctx);
    math::ExpOp::attachInterface<ElementwiseModel<math::ExpOp, ElementwiseFn::exp>>(*ctx);
    math::LogOp::attachInterface<ElementwiseModel<math::LogOp, ElementwiseFn::log>>(*ctx);
    math::SqrtOp::attachInterface<ElementwiseModel<math::SqrtOp, ElementwiseFn::sqrt>>(*ctx);
    math::AtanOp::attachInterface<ElementwiseModel<math::AtanOp, ElementwiseFn::atan>>(*ctx);
    math::FPowIOp::attachInterface<FPowIModel>(*ctx);
    math::PowFOp::attachInterface<PowFModel>(*ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    tensor::ExtractSliceOp::attachInterface<ExtractSliceModel>(*ctx);
    tensor::ExtractOp::attachInterface<ExtractModel>(*ctx);
    tensor::SplatOp::attachInterface<SplatModel>(*ctx);
  });
}
