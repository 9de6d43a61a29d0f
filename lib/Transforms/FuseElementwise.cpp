//===- FuseElementwise.cpp - fuse elementwise chains, shared values too ---===//
//
// linalg-fuse-elementwise-ops fuses a producer into its consumer only when
// the consumer is its single user. The source terms and samplers of a
// high-dimensional problem are chains over N x d points in which values are
// shared (cos x_i feeds two terms): left unfused, each link is an N x d
// buffer (at d = 10^5, a dozen of them: half a gigabyte). This pass also
// fuses producers with several users when the producer is elementwise over
// N x d or larger and at most `max-users` consumers recompute it, trading a
// few recomputed elementwise ops for the buffers. With into-reductions,
// named broadcasts, reductions and maps are generalized first (the fusion
// patterns only see linalg.generic): a squared norm is then one reduction
// over x, not a buffer of x^2 followed by it, and a broadcast coefficient
// vector is read in place instead of being copied to every point.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace stde {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

bool isAllParallel(linalg::GenericOp op) {
  return op.getNumLoops() == op.getNumParallelLoops();
}

struct FuseElementwise : stde::impl::FuseElementwiseBase<FuseElementwise> {
  using Base::Base;

  void runOnOperation() override {
    int64_t threshold = minElements, users = maxUsers;
    linalg::ControlFusionFn control = [=](OpOperand *fused) {
      auto producer = fused->get().getDefiningOp<linalg::GenericOp>();
      if (!producer)
        return false;
      if (producer->hasOneUse())
        return true;
      auto type = dyn_cast<ShapedType>(fused->get().getType());
      if (!type || !type.hasStaticShape() || type.getNumElements() < threshold ||
          !isAllParallel(producer))
        return false;
      return static_cast<int64_t>(llvm::range_size(producer->getUsers())) <= users;
    };
    RewritePatternSet patterns(&getContext());
    SmallVector<linalg::LinalgOp> named;
    getOperation()->walk([&](Operation *op) {
      if (intoReductions && isa<linalg::BroadcastOp, linalg::ReduceOp, linalg::MapOp>(op))
        named.push_back(cast<linalg::LinalgOp>(op));
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
