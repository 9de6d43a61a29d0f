//===- ReductionsInnermost.cpp - parallel loops outside, reductions inside ===//
//
// convert-linalg-to-parallel-loops keeps a linalg op's loop order: a
// reduction dimension before a parallel one becomes an `scf.for` around an
// `scf.parallel`. On the GPU the sequential outer loop stays on the host and
// launches one kernel per iteration, each reading and writing the whole
// accumulator; with the reduction innermost there is one kernel over the
// parallel dimensions whose threads each run the reduction (in registers,
// after stde-accumulate-in-registers). Every thread still adds its terms in
// the original order, so results are bit-identical.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace stde {
#define GEN_PASS_DEF_REDUCTIONSINNERMOST
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// Parallel dimensions in their order, then reduction dimensions in theirs;
/// empty when that is already the order.
SmallVector<unsigned> parallelFirst(linalg::LinalgOp op) {
  SmallVector<unsigned> parallel, reduction;
  for (auto [i, type] : llvm::enumerate(op.getIteratorTypesArray()))
    (type == utils::IteratorType::parallel ? parallel : reduction).push_back(i);
  SmallVector<unsigned> order(parallel);
  order.append(reduction);
  for (auto [i, dim] : llvm::enumerate(order))
    if (dim != i)
      return order;
  return {};
}

class ReductionsInnermost : public stde::impl::ReductionsInnermostBase<ReductionsInnermost> {
public:
  using ReductionsInnermostBase::ReductionsInnermostBase;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!parallelFirst(op).empty())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      rewriter.setInsertionPoint(op);
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized = linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue; // left in its order: correct, only slower
        generic = *generalized;
      }
      if (failed(linalg::interchangeGenericOp(rewriter, generic, parallelFirst(generic)))) {
        generic.emitError("stde-reductions-innermost: the loop interchange failed");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
