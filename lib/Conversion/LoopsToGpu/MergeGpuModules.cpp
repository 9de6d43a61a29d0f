//===- MergeGpuModules.cpp - one gpu.module per program -------------------===//
//
// gpu-kernel-outlining gives every kernel a gpu.module of its own. Hundreds of
// them would mean hundreds of LLVM compilations, PTX files and driver module
// loads per program; one module is compiled, serialized and loaded once.
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/DenseMap.h"

namespace stde {
#define GEN_PASS_DEF_MERGEGPUMODULES
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// Two globals with the same name, type, initial value and attributes: the
/// clones outlining made of one host global.
bool sameGlobal(Operation *a, Operation *b) {
  return OperationEquivalence::isEquivalentTo(a, b, OperationEquivalence::IgnoreLocations);
}

class MergeGpuModules : public stde::impl::MergeGpuModulesBase<MergeGpuModules> {
public:
  using MergeGpuModulesBase::MergeGpuModulesBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> gpuModules(module.getOps<gpu::GPUModuleOp>());
    if (gpuModules.empty())
      return;
    gpu::GPUModuleOp target = gpuModules.front();
    // kernel (old module, old name) -> new name in the merged module.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    SymbolTable targetTable(target);
    for (gpu::GPUModuleOp source : llvm::drop_begin(gpuModules)) {
      if (failed(moveSymbols(source, target, targetTable, renamed)))
        return signalPassFailure();
      source.erase();
    }
    StringAttr oldTargetName = target.getSymNameAttr();
    if (oldTargetName.getValue() != moduleName) {
      if (SymbolTable::lookupSymbolIn(module, moduleName)) {
        target.emitError("stde-merge-gpu-modules: the module already has a symbol named '")
            << moduleName << "'";
        return signalPassFailure();
      }
      SymbolTable::setSymbolName(target, moduleName);
    }
    StringAttr newModule = target.getSymNameAttr();
    module.walk([&](gpu::LaunchFuncOp launch) {
      StringAttr oldModule = launch.getKernelModuleName();
      StringAttr kernel = launch.getKernelName();
      auto it = renamed.find({oldModule, kernel});
      if (it != renamed.end())
        kernel = it->second;
      else if (oldModule != oldTargetName)
        return;
      launch.setKernelAttr(SymbolRefAttr::get(newModule, {FlatSymbolRefAttr::get(kernel)}));
    });
  }

private:
  /// Moves every symbol of `source` into `target`: identical globals are
  /// shared, anything else that clashes is renamed (uses inside `source`
  /// first, so its kernels keep reading their own symbols).
  LogicalResult
  moveSymbols(gpu::GPUModuleOp source, gpu::GPUModuleOp target, SymbolTable &targetTable,
              llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> &renamed) {
    SymbolTable sourceTable(source);
    for (Operation &op : llvm::make_early_inc_range(source.getBody()->getOperations())) {
      auto symbol = dyn_cast<SymbolOpInterface>(&op);
      if (!symbol)
        continue;
      StringAttr name = symbol.getNameAttr();
      Operation *existing = targetTable.lookup(name);
      if (existing && isa<memref::GlobalOp>(op) && sameGlobal(existing, &op)) {
        op.erase();
        continue;
      }
      if (existing) {
        FailureOr<StringAttr> fresh = sourceTable.renameToUnique(&op, {&targetTable});
        if (failed(fresh))
          return op.emitError("stde-merge-gpu-modules: cannot give this symbol a unique name");
        if (isa<gpu::GPUFuncOp>(op))
          renamed[{source.getSymNameAttr(), name}] = *fresh;
        name = *fresh;
      } else if (isa<gpu::GPUFuncOp>(op)) {
        renamed[{source.getSymNameAttr(), name}] = name;
      }
      op.remove();
      targetTable.insert(&op);
    }
    return success();
  }
};

} // namespace
