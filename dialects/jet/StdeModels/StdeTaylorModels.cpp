//===- StdeTaylorModels.cpp - Taylor rules of stde's network ops ----------===//
//
// TaylorOpInterface attached to the stde dialect's network primitives, as
// external models beside those of arith, math and tensor: neither dialect
// library depends on the other, and this library joins them.
//   stde.dense      -> jet.dense (z0 = W a0 + b, zk = W ak)
//   stde.activation -> jet.elementwise (identity passes the jet through)
//   stde.sqnorm     -> jet.sum(jet.mul(a, a))
//   stde.sum        -> jet.sum
//
//===----------------------------------------------------------------------===//
#include "dialects/jet/StdeModels/StdeTaylorModels.h"
#include "dialects/jet/JetOps.h"
#include "dialects/jet/JetStructure.h"
#include "dialects/jet/TaylorOpInterface.h"
#include "dialects/stde/StdeDialect.h"
#include "dialects/stde/StdeOps.h"

using namespace mlir;
using namespace mlir::jet;

namespace {

struct DenseModel : TaylorOpInterface::ExternalModel<DenseModel, stde::DenseOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    auto dense = cast<stde::DenseOp>(op);
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    Value params = expansion.resolveParams(dense.getParams());
    if (!params)
      return dense.emitOpError() << "reads parameters that are not the network's parameter argument";
    auto inputType = cast<JetType>(input->getType());
    JetType type = expansion.jetType(dense.getOutput().getType(),
                                     inferLinearStructure(inputType.getStructure()));
    return jet::DenseOp::create(builder, op->getLoc(), type, *input, params, dense.getOffsetAttr())
        .getResult();
  }
};

struct ActivationModel : TaylorOpInterface::ExternalModel<ActivationModel, stde::ActivationOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    std::optional<ElementwiseFn> fn;
    switch (cast<stde::ActivationOp>(op).getKind()) {
    case stde::Activation::identity: return *input;
    case stde::Activation::tanh: fn = ElementwiseFn::tanh; break;
    case stde::Activation::sin: fn = ElementwiseFn::sin; break;
    case stde::Activation::cos: fn = ElementwiseFn::cos; break;
    case stde::Activation::exp: fn = ElementwiseFn::exp; break;
    case stde::Activation::sigmoid: fn = ElementwiseFn::sigmoid; break;
    case stde::Activation::softplus: fn = ElementwiseFn::softplus; break;
    }
    return ElementwiseOp::create(builder, op->getLoc(), *fn, *input).getResult();
  }
};

struct SqNormModel : TaylorOpInterface::ExternalModel<SqNormModel, stde::SqNormOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    return DotOp::create(builder, op->getLoc(), *input, *input).getResult();
  }
};

/// Folding blocks is linear and keeps every structure (a one-hot e_i folds
/// to e_{i mod K}).
struct FoldBlocksModel : TaylorOpInterface::ExternalModel<FoldBlocksModel, stde::FoldBlocksOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    auto inputType = cast<JetType>(input->getType());
    JetType type = expansion.jetType(op->getResult(0).getType(), inputType.getStructure());
    return FoldBlocksOp::create(builder, op->getLoc(), type, *input).getResult();
  }
};

struct SumModel : TaylorOpInterface::ExternalModel<SumModel, stde::SumOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    return jet::SumOp::create(builder, op->getLoc(), *input).getResult();
  }
};

/// max reads every coefficient at the primal's argmax (jet.max).
struct MaxModel : TaylorOpInterface::ExternalModel<MaxModel, stde::MaxOp> {
  FailureOr<Value> pushJet(Operation *op, OpBuilder &builder, JetExpansion &expansion) const {
    FailureOr<Value> input = expansion.operandJet(op, 0);
    if (failed(input))
      return failure();
    return jet::MaxOp::create(builder, op->getLoc(), *input).getResult();
  }
};

} // namespace

void mlir::jet::registerStdeTaylorModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, stde::StdeDialect *) {
    stde::DenseOp::attachInterface<DenseModel>(*ctx);
    stde::ActivationOp::attachInterface<ActivationModel>(*ctx);
    stde::SqNormOp::attachInterface<SqNormModel>(*ctx);
    stde::SumOp::attachInterface<SumModel>(*ctx);
    stde::MaxOp::attachInterface<MaxModel>(*ctx);
    stde::FoldBlocksOp::attachInterface<FoldBlocksModel>(*ctx);
  });
}
