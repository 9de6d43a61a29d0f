//===- AccumulateInRegisters.cpp - reductions carried in registers --------===//
//
// Linalg reductions lowered to loops read and write their accumulator in
// memory on every iteration: `for k { a = load C[i]; store a + x, C[i] }`.
// On a GPU every one of those is a round trip to global memory that the next
// iteration waits for (a reduction over 10^5 terms takes milliseconds on one
// thread); LLVM cannot keep the value in a register itself because it cannot
// prove that nothing else in the loop touches C[i]. Here the alias analysis
// of the function (which sees where each buffer comes from) proves it, and
// the accumulator becomes a loop-carried value: one load before the loop,
// one store after it. The additions happen in the same order, so results are
// bit-identical.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"
#include "LoopAccesses.h"

#include "mlir/Analysis/AliasAnalysis.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace stde {
#define GEN_PASS_DEF_ACCUMULATEINREGISTERS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// The loop runs at least once: otherwise the store after it would write
/// memory the original never wrote (another GPU thread's element).
bool runsAtLeastOnce(scf::ForOp loop) {
  auto lb = getConstantIntValue(loop.getLowerBound());
  auto ub = getConstantIntValue(loop.getUpperBound());
  return lb && ub && *lb < *ub;
}

struct Accumulator {
  memref::LoadOp load;
  memref::StoreOp store;
};

/// A load and a later store of the same loop-invariant element in the loop's
/// own block, the only accesses of that memref in the loop, and no access in
/// the loop to a memref that may alias it.
std::optional<Accumulator> findAccumulator(scf::ForOp loop, ArrayRef<Operation *> accesses,
                                           AliasAnalysis &aliases) {
  for (Operation &op : loop.getBody()->without_terminator()) {
    auto load = dyn_cast<memref::LoadOp>(op);
    if (!load || !loop.isDefinedOutsideOfLoop(load.getMemRef()) ||
        !llvm::all_of(load.getIndices(), [&](Value v) { return loop.isDefinedOutsideOfLoop(v); }))
      continue;
    memref::StoreOp store;
    for (Operation *next = load->getNextNode(); next && !store; next = next->getNextNode())
      if (auto s = dyn_cast<memref::StoreOp>(next); s && s.getMemRef() == load.getMemRef())
        store = s;
    if (!store || store.getIndices() != load.getIndices())
      continue;
    Value memref = load.getMemRef();
    bool alone = llvm::all_of(accesses, [&](Operation *access) {
      if (access == load || access == store)
        return true;
      Value other = stde::accessedMemref(access);
      return other != memref && aliases.alias(other, memref).isNo();
    });
    if (alone)
      return Accumulator{load, store};
  }
  return std::nullopt;
}

/// Moves loads of loop-invariant elements of buffers the loop never writes
/// (and that alias nothing it writes) before the loop: an accumulator whose
/// index is such a load (a sampled column) then becomes loop-invariant too.
/// Safe because the loop runs at least once and nothing in it changes them.
void hoistInvariantLoads(scf::ForOp loop, ArrayRef<Operation *> accesses,
                         AliasAnalysis &aliases) {
  SmallVector<Value> written;
  for (Operation *access : accesses)
    if (auto store = dyn_cast<memref::StoreOp>(access))
      written.push_back(store.getMemRef());
  for (Operation &op : llvm::make_early_inc_range(loop.getBody()->without_terminator())) {
    auto load = dyn_cast<memref::LoadOp>(op);
    if (!load || !loop.isDefinedOutsideOfLoop(load.getMemRef()) ||
        !llvm::all_of(load.getIndices(), [&](Value v) { return loop.isDefinedOutsideOfLoop(v); }))
      continue;
    if (llvm::all_of(written, [&](Value w) {
          return w != load.getMemRef() && aliases.alias(w, load.getMemRef()).isNo();
        }))
      load->moveBefore(loop);
  }
}

/// Carries one accumulator of `loop` in a register; the new loop, or null.
scf::ForOp promoteOne(scf::ForOp loop, AliasAnalysis &aliases) {
  if (!runsAtLeastOnce(loop))
    return nullptr;
  SmallVector<Operation *> accesses;
  if (!stde::collectLoopAccesses(loop, accesses))
    return nullptr;
  hoistInvariantLoads(loop, accesses, aliases);
  std::optional<Accumulator> acc = findAccumulator(loop, accesses, aliases);
  if (!acc)
    return nullptr;
  IRRewriter rewriter(loop.getContext());
  rewriter.setInsertionPoint(loop);
  Location loc = acc->load.getLoc();
  Value initial =
      memref::LoadOp::create(rewriter, loc, acc->load.getMemRef(), acc->load.getIndices());
  Value stored = acc->store.getValueToStore();
  auto replaced = loop.replaceWithAdditionalYields(
      rewriter, initial, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument>) { return SmallVector<Value>{stored}; });
  if (failed(replaced))
    return nullptr;
  auto newLoop = cast<scf::ForOp>(replaced->getOperation());
  rewriter.replaceAllUsesWith(acc->load.getResult(), newLoop.getRegionIterArgs().back());
  rewriter.setInsertionPointAfter(newLoop);
  memref::StoreOp::create(rewriter, acc->store.getLoc(), newLoop.getResults().back(),
                          acc->store.getMemRef(), acc->store.getIndices());
  rewriter.eraseOp(acc->store);
  rewriter.eraseOp(acc->load);
  return newLoop;
}

class AccumulateInRegisters
    : public stde::impl::AccumulateInRegistersBase<AccumulateInRegisters> {
public:
  using AccumulateInRegistersBase::AccumulateInRegistersBase;

  void runOnOperation() override {
    AliasAnalysis &aliases = getAnalysis<AliasAnalysis>();
    // Innermost loops first: an accumulator promoted out of an inner loop
    // lands in the outer loop's block, where it may be promoted again.
    SmallVector<scf::ForOp> loops;
    getOperation()->walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      while (scf::ForOp promoted = promoteOne(loop, aliases))
        loop = promoted;
  }
};

} // namespace
