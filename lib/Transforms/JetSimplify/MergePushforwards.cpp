//===- MergePushforwards.cpp - one pushforward per network and points ----===//
//
// Operators on the same network and points (u and its Laplacian in one
// residual) lower to separate pushforwards; the primal of the first is
// already coefficient 0 of the second. Pushforwards are not Pure (they name
// a symbol), so the generic CSE does not see this.
//
//===----------------------------------------------------------------------===//
#include "JetSimplify.h"

#include "dialects/jet/JetOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using CK = mlir::jet::CoefficientKind;

namespace {

/// The primal tensor a pushforward's points were seeded from.
Value pointsPrimal(jet::PushforwardOp push) {
  TypedValue<jet::JetType> points = push.getPoints();
  auto seed = points ? points.getDefiningOp<jet::SeedOp>() : jet::SeedOp();
  return seed ? seed.getPrimal() : Value();
}

bool samePointsAndNetwork(jet::PushforwardOp a, jet::PushforwardOp b) {
  Value primal = pointsPrimal(a);
  return primal && primal == pointsPrimal(b) && a.getNetworkAttr() == b.getNetworkAttr() &&
         a.getParams() == b.getParams();
}

/// Whether a pushforward only computes its primal and only the primal is used.
bool isPrimalOnly(jet::PushforwardOp push) {
  if (!llvm::all_of(push.getPoints().getType().getStructure(),
                    [](CK kind) { return kind == CK::zero; }))
    return false;
  return llvm::all_of(push->getUsers(), [](Operation *user) {
    auto coefficient = dyn_cast<jet::CoefficientOp>(user);
    return coefficient && coefficient.getIndex() == 0;
  });
}

} // namespace

unsigned stde::jetsimplify::mergePushforwards(Block &block) {
  SmallVector<jet::PushforwardOp> seen;
  unsigned merged = 0;
  for (auto push : llvm::make_early_inc_range(block.getOps<jet::PushforwardOp>())) {
    jet::PushforwardOp keep;
    for (jet::PushforwardOp earlier : seen) {
      if (earlier.getInputs() == push.getInputs() && earlier.getType() == push.getType()) {
        keep = earlier; // an exact duplicate
        break;
      }
      if (samePointsAndNetwork(earlier, push) && isPrimalOnly(push) && !keep)
        keep = earlier;
    }
    if (!keep) {
      seen.push_back(push);
      continue;
    }
    if (keep.getType() == push.getType()) {
      push.getResult().replaceAllUsesWith(keep.getResult());
    } else {
      for (Operation *user : llvm::make_early_inc_range(push->getUsers())) {
        auto coefficient = cast<jet::CoefficientOp>(user);
        OpBuilder b(coefficient);
        Value primal = jet::CoefficientOp::create(b, coefficient.getLoc(),
                                                  coefficient.getType(), keep.getResult(),
                                                  b.getI64IntegerAttr(0));
        coefficient.getResult().replaceAllUsesWith(primal);
        coefficient->erase();
      }
    }
    push->erase();
    ++merged;
  }
  return merged;
}
