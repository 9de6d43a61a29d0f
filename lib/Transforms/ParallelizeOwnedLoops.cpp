//===- ParallelizeOwnedLoops.cpp - sequential nests with an owner loop ----===//
//
// Some loop nests reach the GPU pipeline as plain scf.for nests because no
// linalg op can say what they do: the weight-gradient scatter of one-hot
// tangents, `for dir, point, w: G[w, idx[dir]] += T[dir, point, w]`, writes
// through sampled indices. convert-loops-to-gpu would run such a nest on one
// thread (2,048 dependent read-modify-writes per step at width 32). Yet the
// loop over w owns its elements: every access to G has w as its first
// index, so different w never touch the same element, whatever the sampled
// indices are. Such a loop becomes the scf.parallel around the rest of the
// nest, which keeps its order for each owner; results are bit-identical.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"
#include "LoopAccesses.h"

#include "mlir/Analysis/AliasAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace stde {
#define GEN_PASS_DEF_PARALLELIZEOWNEDLOOPS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// outer ... inner: a perfect nest of scf.for without iter_args whose bounds
/// are all defined outside it; empty if `outer` does not start one.
SmallVector<scf::ForOp> perfectNest(scf::ForOp outer) {
  SmallVector<scf::ForOp> nest{outer};
  for (;;) {
    scf::ForOp loop = nest.back();
    if (loop.getNumRegionIterArgs() != 0)
      return {};
    for (Value bound : {loop.getLowerBound(), loop.getUpperBound(), loop.getStep()})
      if (!outer.isDefinedOutsideOfLoop(bound))
        return {};
    Block *body = loop.getBody();
    auto inner = dyn_cast<scf::ForOp>(body->front());
    if (!inner || body->getOperations().size() != 2)
      return nest;
    nest.push_back(inner);
  }
}

/// Whether `iv` owns every written element: each written memref is always
/// indexed by `iv` at one position, written memrefs are distinct, and every
/// memref only read is provably distinct from them.
bool owns(Value iv, ArrayRef<Operation *> accesses, AliasAnalysis &aliases) {
  llvm::SetVector<Value> written;
  for (Operation *access : accesses)
    if (auto store = dyn_cast<memref::StoreOp>(access))
      written.insert(store.getMemRef());
  if (written.empty())
    return false;
  for (Value w : written) {
    std::optional<unsigned> position;
    for (Operation *access : accesses) {
      Value m = stde::accessedMemref(access);
      if (m != w) {
        if (!aliases.alias(m, w).isNo())
          return false;
        continue;
      }
      ValueRange indices = stde::accessIndices(access);
      auto at = llvm::find(indices, iv);
      if (at == indices.end())
        return false;
      unsigned p = at - indices.begin();
      if (position && *position != p)
        return false;
      position = p;
    }
  }
  return true;
}

/// `scf.parallel (owner) { the nest without the owner loop }` in place of it.
void parallelize(SmallVector<scf::ForOp> &nest, scf::ForOp owner) {
  scf::ForOp outer = nest.front();
  OpBuilder b(outer);
  Location loc = owner.getLoc();
  auto parallel = scf::ParallelOp::create(b, loc, ValueRange{owner.getLowerBound()},
                                          ValueRange{owner.getUpperBound()},
                                          ValueRange{owner.getStep()});
  IRMapping map;
  map.map(owner.getInductionVar(), parallel.getInductionVars()[0]);
  b.setInsertionPointToStart(parallel.getBody());
  for (scf::ForOp loop : nest) {
    if (loop == owner)
      continue;
    auto copy = scf::ForOp::create(b, loop.getLoc(), loop.getLowerBound(), loop.getUpperBound(),
                                   loop.getStep());
    map.map(loop.getInductionVar(), copy.getInductionVar());
    b.setInsertionPointToStart(copy.getBody());
  }
  for (Operation &op : nest.back().getBody()->without_terminator())
    b.clone(op, map);
  outer.erase();
}

class ParallelizeOwnedLoops : public stde::impl::ParallelizeOwnedLoopsBase<ParallelizeOwnedLoops> {
public:
  using ParallelizeOwnedLoopsBase::ParallelizeOwnedLoopsBase;

  void runOnOperation() override {
    AliasAnalysis &aliases = getAnalysis<AliasAnalysis>();
    SmallVector<scf::ForOp> outers;
    // Nests at the top of the function: the host code that would become a
    // single-thread kernel (not loops inside kernels or parallel loops).
    for (Region &region : getOperation()->getRegions())
      for (Block &block : region)
        for (auto loop : block.getOps<scf::ForOp>())
          outers.push_back(loop);
    for (scf::ForOp outer : outers) {
      SmallVector<scf::ForOp> nest = perfectNest(outer);
      SmallVector<Operation *> accesses;
      if (nest.empty() || !stde::collectLoopAccesses(nest.back(), accesses))
        continue;
      for (scf::ForOp loop : nest)
        if (owns(loop.getInductionVar(), accesses, aliases)) {
          parallelize(nest, loop);
          break;
        }
    }
  }
};

} // namespace
