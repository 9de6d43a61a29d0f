//===- LoopAccesses.cpp - what a loop reads and writes --------------------===//
#include "LoopAccesses.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

bool stde::collectLoopAccesses(scf::ForOp loop, SmallVectorImpl<Operation *> &accesses) {
  return collectLoopAccesses(loop.getBody(), accesses);
}

bool stde::collectLoopAccesses(Block *body, SmallVectorImpl<Operation *> &accesses) {
  WalkResult walk = body->walk([&](Operation *op) {
    if (isa<memref::LoadOp, memref::StoreOp>(op))
      accesses.push_back(op);
    else if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() && !isMemoryEffectFree(op))
      return WalkResult::interrupt();
    return WalkResult::advance(); // ops with regions: their nested ops are visited too
  });
  return !walk.wasInterrupted();
}

Value stde::accessedMemref(Operation *access) {
  if (auto load = dyn_cast<memref::LoadOp>(access))
    return load.getMemRef();
  return cast<memref::StoreOp>(access).getMemRef();
}

ValueRange stde::accessIndices(Operation *access) {
  if (auto load = dyn_cast<memref::LoadOp>(access))
    return load.getIndices();
  return cast<memref::StoreOp>(access).getIndices();
}
