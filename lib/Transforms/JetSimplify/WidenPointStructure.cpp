//===- WidenPointStructure.cpp - turn structure exploitation off ---------===//
#include "JetSimplify.h"

#include "dialects/jet/JetOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using CK = mlir::jet::CoefficientKind;

void stde::jetsimplify::widenPointStructure(Block &block, bool keepOneHot, bool keepZero) {
  if (keepOneHot && keepZero)
    return;
  for (auto push : llvm::make_early_inc_range(block.getOps<jet::PushforwardOp>())) {
    TypedValue<jet::JetType> points = push.getPoints();
    if (!points)
      continue;
    jet::JetType type = points.getType();
    SmallVector<CK> structure(type.getStructure());
    bool changed = false;
    for (CK &kind : structure) {
      if ((kind == CK::onehot && !keepOneHot) || (kind == CK::zero && !keepZero)) {
        kind = CK::dense;
        changed = true;
      }
    }
    if (!changed)
      continue;
    OpBuilder b(push);
    jet::JetType dense = type.with(type.getBase(), structure);
    Value widened = jet::WidenOp::create(b, push.getLoc(), dense, points);
    push->setOperand(push->getNumOperands() - 1, widened);
  }
}
