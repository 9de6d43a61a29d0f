//===- ResolveEstimators.cpp - give every operator an explicit estimator --===//
//
// An operator without an estimator inherits the spatial estimator of the
// losses its result feeds (found through its forward slice); failing that, the
// pass option `default`. After this pass the lowering never has to guess.
//
//===----------------------------------------------------------------------===//
#include "dialects/stde/StdeOps.h"
#include "stde/Transforms/Passes.h"
#include "InheritedEstimator.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/AsmParser/AsmParser.h"

namespace stde {
#define GEN_PASS_DEF_STDERESOLVEESTIMATORS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace stde;

/// An operator computed by a spatial estimator (Laplacian, diff, ...).
static bool isEstimatedOperator(Operation *op) {
  auto typed = dyn_cast<OperatorOpInterface>(op);
  return typed && typed.isEstimated();
}

FailureOr<Attribute> stde::estimatorFromLosses(Operation *op) {
  SetVector<Operation *> slice;
  getForwardSlice(op->getResult(0), &slice);
  Attribute found;
  LossOp foundLoss;
  for (Operation *user : slice) {
    auto loss = dyn_cast<LossOp>(user);
    if (!loss || !loss.getEstimatorAttr() || isa<ZerothOrderAttr>(loss.getEstimatorAttr()))
      continue;
    if (found && found != loss.getEstimatorAttr()) {
      InFlightDiagnostic diag = op->emitOpError("feeds two losses with different "
                                                "estimators, ")
                                << found << " and " << loss.getEstimatorAttr()
                                << ": give the operator its own estimator";
      diag.attachNote(foundLoss.getLoc()) << "first loss here";
      diag.attachNote(loss.getLoc()) << "second loss here";
      return failure();
    }
    found = loss.getEstimatorAttr();
    foundLoss = loss;
  }
  return found;
}

LogicalResult stde::inheritLossEstimators(Operation *root) {
  SymbolTableCollection tables;
  WalkResult result = root->walk([&](Operation *op) {
    if (!isEstimatedOperator(op) || op->getAttr("estimator"))
      return WalkResult::advance();
    FailureOr<Attribute> inherited = estimatorFromLosses(op);
    if (failed(inherited))
      return WalkResult::interrupt();
    if (!*inherited)
      return WalkResult::advance();
    op->setAttr("estimator", *inherited);
    // The inherited estimator must suit this operator and network.
    if (failed(cast<SymbolUserOpInterface>(op).verifySymbolUses(tables)))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

namespace {

struct ResolveEstimators
    : public stde::impl::StdeResolveEstimatorsBase<ResolveEstimators> {
  using StdeResolveEstimatorsBase::StdeResolveEstimatorsBase;
  /// From C++: the default made as an attribute, not parsed from the option's text.
  explicit ResolveEstimators(std::function<Attribute(MLIRContext *)> makeFallback)
      : makeFallback(std::move(makeFallback)) {}

  void runOnOperation() override {
    Attribute fallback = makeFallback ? makeFallback(&getContext())
                                      : parseAttribute(defaultEstimator, &getContext());
    if (!fallback || !isa<ExactAttr, SparseAttr, DenseEstimatorAttr>(fallback)) {
      getOperation().emitError("stde-resolve-estimators: default='")
          << defaultEstimator
          << "' is not a spatial estimator; use #stde.exact, #stde.sparse<samples = N> "
             "or #stde.dense<distribution = rademacher, samples = N>";
      return signalPassFailure();
    }

    SymbolTableCollection tables;
    WalkResult result = getOperation().walk([&](Operation *op) {
      if (!isEstimatedOperator(op) || op->getAttr("estimator"))
        return WalkResult::advance();
      FailureOr<Attribute> inherited = estimatorFromLosses(op);
      if (failed(inherited))
        return WalkResult::interrupt();
      op->setAttr("estimator", *inherited ? *inherited : fallback);
      // The chosen estimator must suit this operator and network.
      if (failed(cast<SymbolUserOpInterface>(op).verifySymbolUses(tables)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

  std::function<Attribute(MLIRContext *)> makeFallback;
};

} // namespace

std::unique_ptr<Pass>
stde::createStdeResolveEstimators(std::function<Attribute(MLIRContext *)> defaultEstimator) {
  return std::make_unique<ResolveEstimators>(std::move(defaultEstimator));
}
