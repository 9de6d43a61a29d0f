//===- MpiMemoryEffects.cpp - what the upstream mpi ops do to memory ------===//
#include "stde/Transforms/MpiMemoryEffects.h"

#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {

/// MPI_Allreduce(send, receive): reads `send`, writes `receive`.
struct AllReduceEffects
    : MemoryEffectOpInterface::ExternalModel<AllReduceEffects, mpi::AllReduceOp> {
  void getEffects(Operation *op,
                  SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects)
      const {
    auto allreduce = cast<mpi::AllReduceOp>(op);
    effects.emplace_back(MemoryEffects::Read::get(), &allreduce.getSendbufMutable(),
                         SideEffects::DefaultResource::get());
    effects.emplace_back(MemoryEffects::Write::get(), &allreduce.getRecvbufMutable(),
                         SideEffects::DefaultResource::get());
  }
};

} // namespace

void stde::registerMpiMemoryEffects(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, mpi::MPIDialect *) {
    mpi::AllReduceOp::attachInterface<AllReduceEffects>(*context);
  });
}
