//===- MpiMemoryEffects.h - what the upstream mpi ops do to memory -*- C++ -*-===//
//
// The upstream mpi dialect declares no memory effects, and the buffer
// deallocation pipeline refuses ops with memref operands and unknown
// effects. stde-sum-across-ranks puts mpi.allreduce into a training step
// before bufferization's deallocation runs, so the op gets its effects as an
// external model (without touching upstream): it reads its send buffer and
// writes its receive buffer.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_MPIMEMORYEFFECTS_H
#define STDE_TRANSFORMS_MPIMEMORYEFFECTS_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace stde {
void registerMpiMemoryEffects(mlir::DialectRegistry &registry);
} // namespace stde

#endif // STDE_TRANSFORMS_MPIMEMORYEFFECTS_H
