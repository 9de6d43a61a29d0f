//===- JetSimplify.cpp - the jet-simplify pass ----------------------------===//
//
// Runs the rewrites of JetSimplify.h on every block that holds pushforwards,
// in an order where each sees the others' results: structure first (what the
// points are), then merging (fewer pushforwards), then collapsing (what is
// consumed of each).
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"

#include "JetSimplify.h"
#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace stde {
#define GEN_PASS_DEF_JETSIMPLIFY
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

struct JetSimplify : stde::impl::JetSimplifyBase<JetSimplify> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation()->walk([&](jet::PushforwardOp push) {
      if (!llvm::is_contained(blocks, push->getBlock()))
        blocks.push_back(push->getBlock());
    });
    for (Block *block : blocks) {
      stde::jetsimplify::widenPointStructure(*block, oneHot, zero);
      if (merge)
        stde::jetsimplify::mergePushforwards(*block);
      if (collapse)
        stde::jetsimplify::collapseTopCoefficients(*block);
    }
  }
};

} // namespace
