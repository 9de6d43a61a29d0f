//===- ThreadParallelLoops.cpp - large parallel loops on CPU threads ------===//
//
// convert-linalg-to-parallel-loops says which loops of a bufferized
// function may run in any order; the CPU runs all of them in order on one
// core unless a loop is handed to a thread team. Waking a team costs
// microseconds, and its threads compete with OpenBLAS's for the cores, so
// only the outermost scf.parallel of a nest is kept, only when the whole
// nest does enough work to pay for it, and only over its leading
// dimensions: the innermost dimension stays a plain loop that LLVM
// vectorizes. Everything else becomes scf.for, as
// convert-linalg-to-loops would have made it. convert-scf-to-openmp then
// turns the kept loops into OpenMP work-sharing loops.
//
// Each element still sees the same operations in the same order (loops
// from parallel linalg dimensions write disjoint elements), so results are
// bit-identical to the sequential code.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"
#include "LoopAccesses.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

namespace stde {
#define GEN_PASS_DEF_THREADPARALLELLOOPS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

constexpr int64_t kSaturated = int64_t(1) << 40;

int64_t saturatingTimes(int64_t a, int64_t b) {
  return b != 0 && a > kSaturated / b ? kSaturated : a * b;
}

/// Iterations of a loop from lower to upper by step, if all are constants.
std::optional<int64_t> constantTrips(Value lower, Value upper, Value step) {
  auto l = getConstantIntValue(lower), u = getConstantIntValue(upper), s = getConstantIntValue(step);
  if (!l || !u || !s || *s <= 0)
    return std::nullopt;
  return *u <= *l ? 0 : (*u - *l + *s - 1) / *s;
}

std::optional<int64_t> tripCount(scf::ParallelOp loop, unsigned dim) {
  return constantTrips(loop.getLowerBound()[dim], loop.getUpperBound()[dim], loop.getStep()[dim]);
}

/// Innermost iterations one run of `block` makes: the sum over its scf.for
/// loops of their trip counts times the iterations of their bodies (a loop
/// with unknown bounds counts once), at least 1. Saturates, never wraps.
int64_t blockIterations(Block &block) {
  int64_t total = 0;
  for (auto loop : block.getOps<scf::ForOp>()) {
    int64_t trips =
        constantTrips(loop.getLowerBound(), loop.getUpperBound(), loop.getStep()).value_or(1);
    total = std::min(kSaturated, total + saturatingTimes(trips, blockIterations(*loop.getBody())));
  }
  return std::max<int64_t>(total, 1);
}

/// Innermost iterations of the nest that `loop` starts.
int64_t nestIterations(scf::ParallelOp loop) {
  int64_t own = 1;
  for (unsigned dim = 0; dim < loop.getNumLoops(); ++dim)
    own = saturatingTimes(own, tripCount(loop, dim).value_or(1));
  return saturatingTimes(own, blockIterations(*loop.getBody()));
}

/// Rebuilds `loop` as scf.parallel over its first `kept` dimensions (none:
/// no scf.parallel at all) around scf.for loops over the others, in order.
void keepLeadingDimensions(scf::ParallelOp loop, unsigned kept) {
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  IRMapping mapping;
  auto buildInnerLoops = [&](OpBuilder &b, unsigned dim, auto &self) -> void {
    if (dim == loop.getNumLoops()) {
      for (Operation &op : loop.getBody()->without_terminator())
        b.clone(op, mapping);
      return;
    }
    auto inner = scf::ForOp::create(b, loc, loop.getLowerBound()[dim], loop.getUpperBound()[dim],
                                    loop.getStep()[dim]);
    mapping.map(loop.getInductionVars()[dim], inner.getInductionVar());
    OpBuilder nested = OpBuilder::atBlockBegin(inner.getBody());
    self(nested, dim + 1, self);
  };
  if (kept == 0) {
    buildInnerLoops(builder, 0, buildInnerLoops);
  } else {
    auto outer = scf::ParallelOp::create(
        builder, loc, loop.getLowerBound().take_front(kept), loop.getUpperBound().take_front(kept),
        loop.getStep().take_front(kept));
    for (unsigned dim = 0; dim < kept; ++dim)
      mapping.map(loop.getInductionVars()[dim], outer.getInductionVars()[dim]);
    OpBuilder nested = OpBuilder::atBlockBegin(outer.getBody());
    buildInnerLoops(nested, kept, buildInnerLoops);
  }
  loop.erase();
}

/// Whether the nest `loop` starts can run on threads: no memory effect but
/// loads and stores (no call, no allocation) in its body.
bool mayRunOnThreads(scf::ParallelOp loop) {
  SmallVector<Operation *> accesses;
  return stde::collectLoopAccesses(loop.getBody(), accesses);
}

struct ThreadParallelLoops : stde::impl::ThreadParallelLoopsBase<ThreadParallelLoops> {
  using Base::Base;

  void runOnOperation() override {
    if (minIterations < 1 || minChunks < 1) {
      getOperation()->emitError("stde-thread-parallel-loops: min-iterations and min-chunks "
                                "must be at least 1");
      return signalPassFailure();
    }
    SmallVector<scf::ParallelOp> outermost;
    getOperation()->walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      outermost.push_back(loop);
      return WalkResult::skip();
    });
    for (scf::ParallelOp loop : outermost)
      distribute(loop);
  }

  /// Nested scf.parallel become sequential loops; `loop` keeps as many
  /// leading dimensions as give `minChunks` chunks of work, or none.
  void distribute(scf::ParallelOp loop) {
    // Loops with reductions (convert-linalg-to-parallel-loops makes none)
    // are left as they are, with everything inside them.
    if (loop.getNumReductions() != 0)
      return;
    SmallVector<scf::ParallelOp> nested;
    WalkResult walk = loop.getBody()->walk([&](scf::ParallelOp inner) {
      nested.push_back(inner);
      return inner.getNumReductions() != 0 ? WalkResult::interrupt() : WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return;
    for (scf::ParallelOp inner : nested) // innermost first (post-order walk)
      keepLeadingDimensions(inner, 0);
    if (!mayRunOnThreads(loop) || nestIterations(loop) < minIterations)
      return keepLeadingDimensions(loop, 0);
    unsigned kept = 0;
    int64_t chunks = 1;
    while (kept < loop.getNumLoops() && chunks < minChunks) {
      std::optional<int64_t> trips = tripCount(loop, kept++);
      chunks = trips ? chunks * *trips : minChunks;
    }
    // The innermost dimension stays a plain loop (vectorized) unless it is
    // the only one.
    if (kept == loop.getNumLoops() && kept > 1)
      --kept;
    if (kept < loop.getNumLoops())
      keepLeadingDimensions(loop, kept);
  }
};

} // namespace
