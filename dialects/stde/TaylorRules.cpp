//===- TaylorRules.cpp - Taylor rules of the network ops -----------------===//
//
// How jets pass through stde's network primitives (TaylorOpInterface):
//   dense      -> jet.dense (z0 = W a0 + b, zk = W ak)
//   activation -> jet.elementwise (identity passes the jet through)
//   sqnorm     -> jet.sum(jet.mul(a, a))
//   sum        -> jet.sum
//
//===----------------------------------------------------------------------===//
#include "dialects/jet/JetOps.h"
#include "dialects/jet/JetStructure.h"
#include "dialects/stde/StdeOps.h"

using namespace mlir;
using namespace stde;

FailureOr<Value> DenseOp::pushJet(OpBuilder &builder, jet::JetExpansion &expansion) {
  FailureOr<Value> input = expansion.operandJet(*this, 0);
  if (failed(input))
    return failure();
  Value params = expansion.resolveParams(getParams());
  if (!params)
    return emitOpError() << "reads parameters that are not the network's parameter argument";
  auto inputType = cast<jet::JetType>(input->getType());
  jet::JetType type = expansion.jetType(getOutput().getType(),
                                        jet::inferLinearStructure(inputType.getStructure()));
  return jet::DenseOp::create(builder, getLoc(), type, *input, params, getOffsetAttr())
      .getResult();
}

FailureOr<Value> ActivationOp::pushJet(OpBuilder &builder, jet::JetExpansion &expansion) {
  FailureOr<Value> input = expansion.operandJet(*this, 0);
  if (failed(input))
    return failure();
  std::optional<jet::ElementwiseFn> fn;
  switch (getKind()) {
  case Activation::identity: return *input;
  case Activation::tanh: fn = jet::ElementwiseFn::tanh; break;
  case Activation::sin: fn = jet::ElementwiseFn::sin; break;
  case Activation::cos: fn = jet::ElementwiseFn::cos; break;
  case Activation::exp: fn = jet::ElementwiseFn::exp; break;
  case Activation::sigmoid: fn = jet::ElementwiseFn::sigmoid; break;
  case Activation::softplus: fn = jet::ElementwiseFn::softplus; break;
  }
  return jet::ElementwiseOp::create(builder, getLoc(), *fn, *input).getResult();
}

FailureOr<Value> SqNormOp::pushJet(OpBuilder &builder, jet::JetExpansion &expansion) {
  FailureOr<Value> input = expansion.operandJet(*this, 0);
  if (failed(input))
    return failure();
  Value square = jet::MulOp::create(builder, getLoc(), *input, *input);
  return jet::SumOp::create(builder, getLoc(), square).getResult();
}

FailureOr<Value> SumOp::pushJet(OpBuilder &builder, jet::JetExpansion &expansion) {
  FailureOr<Value> input = expansion.operandJet(*this, 0);
  if (failed(input))
    return failure();
  return jet::SumOp::create(builder, getLoc(), *input).getResult();
}
