//===- JetExpand.cpp - push jets through networks, primitive by primitive -===//
//
// Each jet.pushforward is replaced by its network's body in jet form: the
// per-point values of the body map to batched jets, and every primitive asks
// its TaylorOpInterface for the jet of its result. The pass does not know any
// rule itself; it only walks the body and wires values.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"

#include "dialects/jet/JetOps.h"
#include "dialects/jet/JetStructure.h"
#include "dialects/jet/TaylorOpInterface.h"
#include "dialects/stde/StdeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

namespace stde {
#define GEN_PASS_DEF_JETEXPAND
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// Whether an op computes only integers or indices (exponents, positions):
/// those values stay as they are and never carry a jet.
bool isIntegerOnly(Operation *op) {
  return llvm::all_of(op->getResultTypes(), [](Type type) {
    return isa<IntegerType, IndexType>(getElementTypeOrSelf(type));
  });
}

/// The jet of the network's value at the pushforward's points, or failure
/// after an error on the offending op.
FailureOr<Value> expandBody(stde::NetworkOp net, jet::PushforwardOp push, OpBuilder &builder) {
  auto points = push.getPoints();
  jet::JetType pointsType = points.getType();
  jet::JetExpansion expansion(pointsType.getBase().getDimSize(0), pointsType.getOrder(),
                              pointsType.getDirections(), net.getParamsArgument(),
                              push.getParams());
  expansion.map(net.getPointArgument(), points);

  for (Operation &op : net.getBody().front()) {
    if (auto ret = dyn_cast<stde::ReturnOp>(op))
      return expansion.lookup(ret.getValue());
    if (isIntegerOnly(&op))
      continue;
    auto rule = dyn_cast<jet::TaylorOpInterface>(op);
    if (!rule)
      return op.emitOpError() << "has no Taylor rule, so network '" << net.getSymName()
                              << "' cannot be expanded into jets";
    FailureOr<Value> result = rule.pushJet(builder, expansion);
    if (failed(result))
      return failure();
    expansion.map(op.getResult(0), *result);
  }
  return net.emitOpError() << "has no stde.return";
}

/// Connects the expanded jet to the pushforward's declared result type.
FailureOr<Value> conformToDeclared(jet::PushforwardOp push, Value expanded, OpBuilder &builder) {
  auto declared = cast<jet::JetType>(push.getResult().getType());
  auto actual = cast<jet::JetType>(expanded.getType());
  if (declared == actual)
    return expanded;
  for (int64_t k = 1; k <= declared.getOrder(); ++k) {
    if (!jet::isAtLeastAsGeneral(declared.getKind(k), actual.getKind(k)))
      return push.emitOpError() << "declares result coefficient " << k << " "
                                << jet::stringifyCoefficientKind(declared.getKind(k))
                                << " but the network produces "
                                << jet::stringifyCoefficientKind(actual.getKind(k))
                                << "; declare " << actual;
  }
  return jet::WidenOp::create(builder, push.getLoc(), declared, expanded).getResult();
}

struct JetExpandPass : stde::impl::JetExpandBase<JetExpandPass> {
  using JetExpandBase::JetExpandBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<jet::PushforwardOp> pushes;
    module.walk([&](jet::PushforwardOp push) { pushes.push_back(push); });

    for (jet::PushforwardOp push : pushes) {
      auto net = symbols.lookup<stde::NetworkOp>(push.getNetwork());
      if (!net) {
        push.emitOpError() << "'" << push.getNetwork() << "' does not name a stde.network";
        return signalPassFailure();
      }
      OpBuilder builder(push);
      FailureOr<Value> expanded = expandBody(net, push, builder);
      if (failed(expanded))
        return signalPassFailure();
      FailureOr<Value> result = conformToDeclared(push, *expanded, builder);
      if (failed(result))
        return signalPassFailure();
      push.getResult().replaceAllUsesWith(*result);
      push.erase();
    }
    if (dropNetworks)
      for (auto net : llvm::make_early_inc_range(module.getOps<stde::NetworkOp>()))
        if (SymbolTable::symbolKnownUseEmpty(net, module))
          net.erase();
  }
};

} // namespace
