//===- JetModule.h - the IR of a jet kernel ------------------------------===//
#ifndef STDE_LIB_API_JETMODULE_H
#define STDE_LIB_API_JETMODULE_H

#include "stde/API/Field.h"
#include "stde/API/JetKernel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace stde {

/// Name of the kernel function in a jet module.
inline constexpr const char *kJetKernelName = "jet_kernel";

/// Builds `stde.network @name` for the field at the insertion point;
/// `spaceTime` marks its input's last coordinate as t.
void buildNetwork(mlir::OpBuilder &builder, mlir::Location loc, const Field &field,
                  llvm::StringRef name = "u", bool spaceTime = false);

/// A module with the network and `func.func @jet_kernel`, which takes memrefs
/// (params if any, points, the stored tangents, then one output per order)
/// and pushes the jet of the points through the network:
///   seed -> jet.pushforward -> jet.coefficient k -> the k-th output.
mlir::OwningOpRef<mlir::ModuleOp> buildJetModule(mlir::MLIRContext &context, const Field &field,
                                                 const JetSpec &spec);

} // namespace stde

#endif // STDE_LIB_API_JETMODULE_H
