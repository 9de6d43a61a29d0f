//===- LoopAccesses.h - what a loop reads and writes -------------*- C++ -*-===//
//
// The loop passes that reason about memory (stde-accumulate-in-registers,
// stde-parallelize-owned-loops) accept loops whose only memory effects are
// memref.load and memref.store; these helpers collect and read them.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_TRANSFORMS_LOOPACCESSES_H
#define STDE_LIB_TRANSFORMS_LOOPACCESSES_H

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace stde {

/// Every memref.load / memref.store in `loop`'s body, nested ones included;
/// false if the body has any other memory effect (a call, an allocation, an
/// op whose effects are unknown).
bool collectLoopAccesses(mlir::scf::ForOp loop,
                         llvm::SmallVectorImpl<mlir::Operation *> &accesses);
bool collectLoopAccesses(mlir::Block *body,
                         llvm::SmallVectorImpl<mlir::Operation *> &accesses);

/// The memref and the indices of a memref.load or memref.store.
mlir::Value accessedMemref(mlir::Operation *access);
mlir::ValueRange accessIndices(mlir::Operation *access);

} // namespace stde

#endif // STDE_LIB_TRANSFORMS_LOOPACCESSES_H
