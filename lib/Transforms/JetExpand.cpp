//===- JetExpand.cpp - push jets through networks, primitive by primitive -===//
//
// Each jet.pushforward is replaced by its network's body in jet form: the
// per-point values of the body map to batched jets, and every primitive asks
// its TaylorOpInterface for the jet of its result. The pass does not know any
// rule itself; it only walks the body and wires values. Ops without a rule
// that do not depend on the point or the parameters (constants the body
// draws with rng.draw) are copied out once and seeded as constant jets.
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
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

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

/// Per-point values of the body that do not depend on the point or the
/// parameters (a draw of problem constants, its conversion to f32), copied
/// to the pushforward once: they need no Taylor rule, as they do not move
/// along the curve.
class PointIndependentValues {
public:
  explicit PointIndependentValues(stde::NetworkOp net) : body(&net.getBody().front()) {}

  /// Whether `op` (of the body) computes from constants only.
  bool isPointIndependent(Operation *op) {
    auto known = verdicts.find(op);
    if (known != verdicts.end())
      return known->second;
    bool independent = op->getNumRegions() == 0 && isPure(op) &&
                       llvm::all_of(op->getOperands(), [&](Value v) {
                         Operation *def = v.getDefiningOp();
                         return def && def->getBlock() == body && isPointIndependent(def);
                       });
    verdicts[op] = independent;
    return independent;
  }

  /// Whether `op` is one of them: point-independent, one result, and no
  /// Taylor rule (ops with rules, such as constants, keep their rules).
  bool isCopied(Operation *op) {
    return !isa<jet::TaylorOpInterface, stde::ReturnOp>(op) && op->getNumResults() == 1 &&
           isPointIndependent(op);
  }

  /// The result of `op` copied at the builder, with the ops it reads.
  Value copy(Operation *op, OpBuilder &builder) {
    if (Value done = copies.lookupOrNull(op->getResult(0)))
      return done;
    for (Value operand : op->getOperands())
      if (!copies.contains(operand))
        copy(operand.getDefiningOp(), builder);
    return builder.clone(*op, copies)->getResult(0);
  }

private:
  Block *body;
  DenseMap<Operation *, bool> verdicts;
  IRMapping copies;
};

/// The jet of the network's value at the pushforward's points, or failure
/// after an error on the offending op.
FailureOr<Value> expandBody(stde::NetworkOp net, jet::PushforwardOp push, OpBuilder &builder) {
  auto points = push.getPoints();
  jet::JetType pointsType = points.getType();
  jet::JetExpansion expansion(pointsType.getBase().getDimSize(0), pointsType.getOrder(),
                              pointsType.getDirections(), net.getParamsArgument(),
                              push.getParams());
  expansion.map(net.getPointArgument(), points);
  PointIndependentValues independent(net);

  for (Operation &op : net.getBody().front()) {
    if (auto ret = dyn_cast<stde::ReturnOp>(op))
      return expansion.lookup(ret.getValue());
    if (isIntegerOnly(&op))
      continue;
    auto rule = dyn_cast<jet::TaylorOpInterface>(op);
    if (!rule && independent.isCopied(&op)) {
      // Only values that rules (or the return) read need a jet.
      if (llvm::any_of(op.getUsers(), [&](Operation *user) { return !independent.isCopied(user); }))
        expansion.map(op.getResult(0), expansion.constant(builder, op.getLoc(),
                                                          independent.copy(&op, builder)));
      continue;
    }
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
