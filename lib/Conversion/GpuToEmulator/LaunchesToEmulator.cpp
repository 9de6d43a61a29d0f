//===- LaunchesToEmulator.cpp - LLVM-level launches call the emulator -----===//
//
// After gpu-to-llvm a launch is `gpu.launch_func <%stream> @m::@k ... args(...)`
// with the kernel's arguments already expanded to LLVM scalars and pointers
// (memref descriptors field by field): exactly the parameters of the host
// copy of the kernel after convert-func-to-llvm. The emulator takes one
// signature for every kernel, so each kernel gets a trampoline that reads
// its arguments from an array of 8-byte slots; the launch stores them there
// and calls stde_emu_launch (runtime/GpuEmulator.h), which copies the slots
// (the stream runs the launch later).
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace stde {
#define GEN_PASS_DEF_GPULAUNCHESTOEMULATOR
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// A value that fits one 8-byte slot.
bool fitsSlot(Type type) {
  if (isa<LLVM::LLVMPointerType>(type))
    return true;
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.getWidth() <= 64;
  if (auto flt = dyn_cast<FloatType>(type))
    return flt.getWidth() <= 64;
  return false;
}

bool callsBarrier(LLVM::LLVMFuncOp kernel) {
  return kernel
      .walk([](LLVM::CallOp call) {
        return call.getCallee() == "stde_emu_barrier" ? WalkResult::interrupt()
                                                      : WalkResult::advance();
      })
      .wasInterrupted();
}

class GpuLaunchesToEmulator
    : public stde::impl::GpuLaunchesToEmulatorBase<GpuLaunchesToEmulator> {
public:
  using GpuLaunchesToEmulatorBase::GpuLaunchesToEmulatorBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::LaunchFuncOp> launches;
    module.walk([&](gpu::LaunchFuncOp launch) { launches.push_back(launch); });
    for (gpu::LaunchFuncOp launch : launches)
      if (failed(replace(module, launch)))
        return signalPassFailure();
    for (Operation &op : llvm::make_early_inc_range(module.getBody()->getOperations()))
      if (isa<gpu::GPUModuleOp, gpu::BinaryOp>(op))
        op.erase();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }

private:
  LLVM::LLVMFuncOp launchFunction(ModuleOp module) {
    if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>("stde_emu_launch"))
      return existing;
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Type ptr = LLVM::LLVMPointerType::get(b.getContext()), i64 = b.getI64Type();
    auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(b.getContext()),
                                            {ptr, ptr, ptr, i64, i64, i64, i64, i64, i64, i64,
                                             b.getI32Type()});
    return LLVM::LLVMFuncOp::create(b, module.getLoc(), "stde_emu_launch", type);
  }

  /// The kernel's name as a C string (for the emulator's messages and profile).
  Value nameOf(OpBuilder &b, ModuleOp module, LLVM::LLVMFuncOp kernel, StringRef name) {
    std::string symbol = (kernel.getName() + ".name").str();
    auto global = module.lookupSymbol<LLVM::GlobalOp>(symbol);
    if (!global) {
      OpBuilder gb = OpBuilder::atBlockEnd(module.getBody());
      std::string text = (name + Twine('\0')).str();
      auto type = LLVM::LLVMArrayType::get(gb.getI8Type(), text.size());
      global = LLVM::GlobalOp::create(gb, kernel.getLoc(), type, /*isConstant=*/true,
                                      LLVM::Linkage::Internal, symbol, gb.getStringAttr(text));
    }
    return LLVM::AddressOfOp::create(b, kernel.getLoc(), global);
  }

  /// `<kernel>.entry(slots)`: loads argument i from slot i, calls the kernel.
  LLVM::LLVMFuncOp trampoline(ModuleOp module, LLVM::LLVMFuncOp kernel) {
    std::string name = (kernel.getName() + ".entry").str();
    if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
      return existing;
    MLIRContext *ctx = module.getContext();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = kernel.getLoc();
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    auto type = LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr});
    auto entry = LLVM::LLVMFuncOp::create(b, loc, name, type, LLVM::Linkage::Internal);
    Block *body = entry.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    SmallVector<Value> args;
    for (auto [i, argType] : llvm::enumerate(kernel.getFunctionType().getParams())) {
      Value slot = LLVM::GEPOp::create(b, loc, ptr, b.getI64Type(), body->getArgument(0),
                                       ArrayRef<LLVM::GEPArg>{int32_t(i)});
      args.push_back(LLVM::LoadOp::create(b, loc, argType, slot));
    }
    LLVM::CallOp::create(b, loc, kernel, args);
    LLVM::ReturnOp::create(b, loc, ValueRange{});
    return entry;
  }

  LogicalResult replace(ModuleOp module, gpu::LaunchFuncOp launch) {
    std::string name =
        ("__stde_emu." + launch.getKernelModuleName().getValue() + "." +
         launch.getKernelName().getValue())
            .str();
    auto kernel = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
    if (!kernel)
      return launch.emitError("stde-gpu-launches-to-emulator: no host copy '")
             << name
             << "' of the kernel in the LLVM dialect: run stde-gpu-kernels-to-host, then lower "
                "the host code to LLVM (gpu-to-llvm, convert-func-to-llvm) first";
    if (launch->getNumResults() != 0 || !launch.getAsyncDependencies().empty())
      return launch.emitError("stde-gpu-launches-to-emulator: the launch still uses async "
                              "tokens: run gpu-to-llvm first");
    if (launch.getDynamicSharedMemorySize() || launch.hasClusterSize())
      return launch.emitError("stde-gpu-launches-to-emulator: dynamic shared memory and "
                              "clusters are not supported by the GPU emulator");
    ValueRange args = launch.getKernelOperands();
    ArrayRef<Type> params = kernel.getFunctionType().getParams();
    if (args.size() != params.size())
      return launch.emitError("stde-gpu-launches-to-emulator: the launch passes ")
             << args.size() << " arguments, the kernel '" << name << "' takes " << params.size();
    for (auto [i, arg] : llvm::enumerate(args)) {
      if (arg.getType() != params[i])
        return launch.emitError("stde-gpu-launches-to-emulator: argument ")
               << i << " is " << arg.getType() << ", the kernel takes " << params[i];
      if (!fitsSlot(arg.getType()))
        return launch.emitError("stde-gpu-launches-to-emulator: argument ")
               << i << " of type " << arg.getType() << " does not fit an 8-byte slot";
    }
    auto parent = launch->getParentOfType<LLVM::LLVMFuncOp>();
    if (!parent || parent.getBody().empty())
      return launch.emitError("stde-gpu-launches-to-emulator: the launch is not in an LLVM "
                              "function");

    MLIRContext *ctx = module.getContext();
    Location loc = launch.getLoc();
    Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = IntegerType::get(ctx, 64);
    // The slots live in the entry block: a launch inside a loop reuses them.
    OpBuilder b = OpBuilder::atBlockBegin(&parent.getBody().front());
    auto constant = [&](int64_t v, Type type) {
      return LLVM::ConstantOp::create(b, loc, type, b.getIntegerAttr(type, v));
    };
    int64_t count = std::max<int64_t>(1, args.size());
    Value slots = LLVM::AllocaOp::create(b, loc, ptr, i64, constant(count, i64), 8);

    b.setInsertionPoint(launch);
    for (auto [i, arg] : llvm::enumerate(args)) {
      Value slot = LLVM::GEPOp::create(b, loc, ptr, i64, slots, ArrayRef<LLVM::GEPArg>{int32_t(i)});
      LLVM::StoreOp::create(b, loc, arg, slot);
    }
    auto toI64 = [&](Value v) -> Value {
      auto type = cast<IntegerType>(v.getType());
      if (type.getWidth() == 64)
        return v;
      if (type.getWidth() < 64)
        return LLVM::ZExtOp::create(b, loc, i64, v);
      return LLVM::TruncOp::create(b, loc, i64, v);
    };
    gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
    gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
    for (Value v : {grid.x, grid.y, grid.z, block.x, block.y, block.z})
      if (!isa<IntegerType>(v.getType()))
        return launch.emitError("stde-gpu-launches-to-emulator: grid and block sizes must be "
                                "integers (run gpu-to-llvm first)");
    Value entry = LLVM::AddressOfOp::create(b, loc, trampoline(module, kernel));
    Value kernelName = nameOf(b, module, kernel, launch.getKernelName().getValue());
    SmallVector<Value> operands{entry,          kernelName,     slots,
                                constant(args.size(), i64),
                                toI64(grid.x),  toI64(grid.y),  toI64(grid.z),
                                toI64(block.x), toI64(block.y), toI64(block.z),
                                constant(callsBarrier(kernel), b.getI32Type())};
    LLVM::CallOp::create(b, loc, launchFunction(module), operands);
    launch.erase();
    return success();
  }
};

} // namespace
