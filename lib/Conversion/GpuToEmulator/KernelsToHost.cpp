//===- KernelsToHost.cpp - GPU kernels as host functions for the emulator -===//
//
// Without a GPU, the only oracle for the GPU lowering (the tiled matrix
// products, split-K, the loop kernels, the stream order of launches) is to
// run it on the CPU and compare with the CPU target. This pass makes each
// kernel a host function the emulator (runtime/GpuEmulator.h) calls once
// per thread: coordinates and barriers become calls into the emulator, and
// workgroup memory a host global (the emulator runs one block at a time, so
// one buffer per attribution is the running block's shared memory).
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace stde {
#define GEN_PASS_DEF_GPUKERNELSTOHOST
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// The memref type without its GPU address space (the host has one).
Type hostType(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || !isa_and_nonnull<gpu::AddressSpaceAttr>(memref.getMemorySpace()))
    return type;
  return MemRefType::get(memref.getShape(), memref.getElementType(), memref.getLayout());
}

int32_t dimensionIndex(gpu::Dimension dim) {
  switch (dim) {
  case gpu::Dimension::x:
    return 0;
  case gpu::Dimension::y:
    return 1;
  case gpu::Dimension::z:
    return 2;
  }
  return 0;
}

class GpuKernelsToHost : public stde::impl::GpuKernelsToHostBase<GpuKernelsToHost> {
public:
  using GpuKernelsToHostBase::GpuKernelsToHostBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (gpu::GPUModuleOp gpuModule : llvm::to_vector(module.getOps<gpu::GPUModuleOp>()))
      for (Operation &op : llvm::make_early_inc_range(gpuModule.getBody()->getOperations())) {
        if (auto kernel = dyn_cast<gpu::GPUFuncOp>(op)) {
          if (failed(moveToHost(module, gpuModule, kernel)))
            return signalPassFailure();
        } else if (!isa<memref::GlobalOp>(op) && !op.hasTrait<OpTrait::IsTerminator>()) {
          op.emitError("stde-gpu-kernels-to-host: the GPU emulator runs kernels and reads "
                       "globals; it cannot run '")
              << op.getName() << "'";
          return signalPassFailure();
        }
      }
  }

private:
  int32_t nextBarrierSite = 0;

  /// Declares `name` in the host module with `type` (unless it is there).
  static LogicalResult declare(ModuleOp module, StringRef name, FunctionType type) {
    if (auto existing = module.lookupSymbol<func::FuncOp>(name)) {
      if (existing.getFunctionType() != type)
        return existing.emitError("stde-gpu-kernels-to-host: '")
               << name << "' is the emulator's and must have type " << type;
      return success();
    }
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto decl = func::FuncOp::create(b, module.getLoc(), name, type);
    decl.setPrivate();
    return success();
  }

  /// The host global a kernel's memref.get_global reads: the host module's
  /// own when it has it (outlining copied it from there), else a copy.
  LogicalResult globalOnHost(ModuleOp module, gpu::GPUModuleOp gpuModule,
                             memref::GetGlobalOp get) {
    if (module.lookupSymbol<memref::GlobalOp>(get.getNameAttr()))
      return success();
    auto global = gpuModule.lookupSymbol<memref::GlobalOp>(get.getNameAttr());
    if (!global)
      return get.emitError("stde-gpu-kernels-to-host: no global named ") << get.getNameAttr();
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto copy = cast<memref::GlobalOp>(b.clone(*global));
    copy.setType(cast<MemRefType>(hostType(copy.getType())));
    return success();
  }

  LogicalResult moveToHost(ModuleOp module, gpu::GPUModuleOp gpuModule, gpu::GPUFuncOp kernel) {
    if (!kernel.isKernel())
      return kernel.emitError("stde-gpu-kernels-to-host: device functions (gpu.func without "
                              "'kernel') are not supported by the GPU emulator");
    std::string prefix = ("__stde_emu." + gpuModule.getName() + "." + kernel.getName()).str();
    if (SymbolTable::lookupSymbolIn(module, prefix))
      return kernel.emitError("stde-gpu-kernels-to-host: the module already has a symbol named '")
             << prefix << "'";
    MLIRContext *ctx = module.getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    Location loc = kernel.getLoc();
    auto host = func::FuncOp::create(
        b, loc, prefix, FunctionType::get(ctx, kernel.getArgumentTypes(), TypeRange{}));
    host.setPrivate();

    // Take the body. The kernel becomes a bodiless llvm.func: gpu.launch_func
    // checks only the argument types of a gpu.func, so the launches stay
    // valid while the host code goes to LLVM (and their operands change).
    unsigned numInputs = kernel.getNumArguments();
    unsigned numWorkgroup = kernel.getNumWorkgroupAttributions();
    host.getBody().takeBody(kernel.getBody());
    b.setInsertionPoint(kernel);
    auto stub = LLVM::LLVMFuncOp::create(
        b, loc, kernel.getName(), LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {}));
    stub->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
    kernel.erase();

    // Attributions: workgroup buffers -> host globals, private -> allocas.
    Block &entry = host.getBody().front();
    b.setInsertionPointToStart(&entry);
    for (unsigned i = numInputs; i < entry.getNumArguments(); ++i) {
      BlockArgument arg = entry.getArgument(i);
      auto type = cast<MemRefType>(hostType(arg.getType()));
      Value replacement;
      if (i < numInputs + numWorkgroup) {
        std::string name = prefix + ".shared" + std::to_string(i - numInputs);
        OpBuilder gb = OpBuilder::atBlockBegin(module.getBody());
        memref::GlobalOp::create(gb, loc, name, gb.getStringAttr("private"), type, Attribute(),
                                 /*constant=*/false, gb.getI64IntegerAttr(64));
        replacement = memref::GetGlobalOp::create(b, loc, type, name);
      } else {
        replacement = memref::AllocaOp::create(b, loc, type);
      }
      arg.replaceAllUsesWith(replacement);
    }
    entry.eraseArguments(numInputs, entry.getNumArguments() - numInputs);

    // Host types, then the GPU ops.
    host.walk([](Operation *op) {
      for (Value result : op->getResults())
        result.setType(hostType(result.getType()));
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            arg.setType(hostType(arg.getType()));
    });
    return replaceGpuOps(module, gpuModule, host);
  }

  /// Coordinates and barriers become emulator calls, gpu.return a return;
  /// globals the kernel reads are made available on the host.
  LogicalResult replaceGpuOps(ModuleOp module, gpu::GPUModuleOp gpuModule, func::FuncOp host) {
    OpBuilder b(module.getContext());
    MLIRContext *ctx = module.getContext();
    auto index = b.getIndexType();
    auto query = FunctionType::get(ctx, {b.getI32Type()}, {index});
    auto barrier = FunctionType::get(ctx, {b.getI32Type()}, {});
    WalkResult walk = host.walk([&](Operation *op) -> WalkResult {
      b.setInsertionPoint(op);
      auto call = [&](StringRef name, FunctionType type, int32_t argument) -> LogicalResult {
        if (failed(declare(module, name, type)))
          return failure();
        Value arg = arith::ConstantIntOp::create(b, op->getLoc(), argument, 32);
        auto c = func::CallOp::create(b, op->getLoc(), name, type.getResults(), ValueRange{arg});
        op->replaceAllUsesWith(c.getResults());
        op->erase();
        return success();
      };
      LogicalResult done = success();
      if (auto id = dyn_cast<gpu::ThreadIdOp>(op))
        done = call("stde_emu_thread_id", query, dimensionIndex(id.getDimension()));
      else if (auto id = dyn_cast<gpu::BlockIdOp>(op))
        done = call("stde_emu_block_id", query, dimensionIndex(id.getDimension()));
      else if (auto dim = dyn_cast<gpu::BlockDimOp>(op))
        done = call("stde_emu_block_dim", query, dimensionIndex(dim.getDimension()));
      else if (auto dim = dyn_cast<gpu::GridDimOp>(op))
        done = call("stde_emu_grid_dim", query, dimensionIndex(dim.getDimension()));
      else if (isa<gpu::BarrierOp>(op))
        done = call("stde_emu_barrier", barrier, nextBarrierSite++);
      else if (isa<gpu::ReturnOp>(op)) {
        func::ReturnOp::create(b, op->getLoc());
        op->erase();
      } else if (auto get = dyn_cast<memref::GetGlobalOp>(op)) {
        done = globalOnHost(module, gpuModule, get);
      } else if (isa_and_nonnull<gpu::GPUDialect>(op->getDialect())) {
        op->emitError("stde-gpu-kernels-to-host: the GPU emulator does not model '")
            << op->getName() << "'";
        done = failure();
      }
      return failed(done) ? WalkResult::interrupt() : WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }
};

} // namespace
