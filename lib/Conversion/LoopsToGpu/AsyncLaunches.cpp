//===- AsyncLaunches.cpp - one stream, and waits only where the host reads ===//
//
// gpu-to-llvm lowers a synchronous gpu.launch_func to "launch, then wait for
// the stream": a training step of a few hundred kernels pays a few hundred
// host round trips, and every kernel starts on an idle GPU. Chaining the
// launches with async tokens lets the driver queue them back to back; the
// host waits once, where it needs a result.
//
// Device-only buffers move into the chain too (gpu.alloc/gpu.dealloc async),
// so the memory of a temporary is reused in stream order: freeing it needs no
// wait, and the next allocation may take it while earlier kernels still run.
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace stde {
#define GEN_PASS_DEF_GPUASYNCLAUNCHES
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// True when every use of `buffer`, through view operations, is a kernel
/// operand, a dealloc or an operation that reads no memory (memref.dim): the
/// host never reads or writes it.
bool usedOnlyByKernels(Value buffer) {
  for (Operation *user : buffer.getUsers()) {
    if (isa<gpu::LaunchFuncOp, memref::DeallocOp>(user))
      continue;
    if (auto view = dyn_cast<ViewLikeOpInterface>(user);
        view && view.getViewSource() == buffer && user->getNumResults() == 1 &&
        usedOnlyByKernels(user->getResult(0)))
      continue;
    bool aliases = llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>);
    // A terminator hands the buffer on (func.return: to the host).
    if (isMemoryEffectFree(user) && user->getNumRegions() == 0 && !aliases &&
        !user->hasTrait<OpTrait::IsTerminator>())
      continue;
    return false;
  }
  return true;
}

/// A host allocation that can become stream-ordered device memory (the
/// gpu.alloc lowering needs an identity layout).
bool isDeviceOnly(memref::AllocOp alloc) {
  return alloc.getType().getLayout().isIdentity() && alloc.getSymbolOperands().empty() &&
         usedOnlyByKernels(alloc.getResult());
}

/// Host control flow whose regions are rewritten in place: kernels queued in
/// a loop body stay queued across iterations and after the loop.
bool isStructuredControlFlow(Operation *op) {
  return isa<scf::ForOp, scf::IfOp, scf::WhileOp, scf::IndexSwitchOp, scf::ExecuteRegionOp>(op);
}

/// Whether the host must have finished the queued kernels before `op`:
/// anything that may touch memory. A new host allocation cannot be read by
/// a kernel yet.
bool touchesMemory(Operation *op) {
  if (isa<memref::AllocOp, memref::AllocaOp>(op))
    return false;
  return !isMemoryEffectFree(op);
}

/// Rewrites the host code of one function. Every launch goes to the
/// runtime's single in-order stream (CudaLauncher: each "stream" the code
/// creates is that stream), so a wait on any token waits for everything
/// queued. What must be tracked is only whether work may be queued
/// ("pending") when the host reaches an operation that touches memory.
class StreamOrder {
public:
  explicit StreamOrder(MLIRContext *context) : tokenType(gpu::AsyncTokenType::get(context)) {}

  /// Rewrites `block`, entered with `pending` queued work; returns whether
  /// work may still be queued at its end.
  bool run(Block &block, bool pending) {
    Value token; // this block's chain: launches, device allocs and frees
    // Frees queue no work the host could need to wait for.
    auto chain = [&](OpBuilder &b, Location loc, bool queuesWork = true) {
      if (!token)
        token = gpu::WaitOp::create(b, loc, tokenType, ValueRange{}).getAsyncToken();
      pending |= queuesWork;
      return token;
    };
    auto wait = [&](Operation *before) {
      if (!pending)
        return;
      OpBuilder b(before);
      Value last = token ? token : chain(b, before->getLoc());
      gpu::WaitOp::create(b, before->getLoc(), Type(), ValueRange{last});
      token = Value();
      pending = false;
    };
    for (Operation &op : llvm::make_early_inc_range(block)) {
      OpBuilder b(&op);
      if (auto launch = dyn_cast<gpu::LaunchFuncOp>(op); launch && !launch.getAsyncToken()) {
        token = chainLaunch(b, launch, chain(b, op.getLoc()));
      } else if (auto alloc = dyn_cast<memref::AllocOp>(op); alloc && isDeviceOnly(alloc)) {
        token = chainAlloc(b, alloc, chain(b, op.getLoc()));
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op);
                 dealloc && dealloc.getMemref().getDefiningOp<gpu::AllocOp>()) {
        token = chainDealloc(b, dealloc, chain(b, op.getLoc(), /*queuesWork=*/false));
      } else if (isStructuredControlFlow(&op)) {
        // A loop body may run after itself, so it is entered with the work
        // its previous iteration may have queued. The op may also run no
        // region at all: what was queued before stays queued.
        bool loops = isa<scf::ForOp, scf::WhileOp>(op);
        bool entry = pending || (loops && mayQueue(&op));
        for (Region &region : op.getRegions())
          for (Block &inner : region)
            pending |= run(inner, entry);
      } else if (op.hasTrait<OpTrait::IsTerminator>()) {
        if (!isStructuredControlFlow(op.getParentOp()))
          wait(&op); // func.return: the caller reads the results
      } else if (touchesMemory(&op)) {
        wait(&op);
      }
    }
    return pending;
  }

private:
  /// Whether running `op`'s regions may queue a kernel.
  static bool mayQueue(Operation *op) {
    return op->walk([](gpu::LaunchFuncOp) { return WalkResult::interrupt(); }).wasInterrupted();
  }

  Value chainLaunch(OpBuilder &b, gpu::LaunchFuncOp launch, Value dependency) {
    std::optional<gpu::KernelDim3> cluster;
    if (launch.hasClusterSize())
      cluster = launch.getClusterSizeOperandValues();
    auto async = gpu::LaunchFuncOp::create(
        b, launch.getLoc(), launch.getKernel(), launch.getGridSizeOperandValues(),
        launch.getBlockSizeOperandValues(), launch.getDynamicSharedMemorySize(),
        launch.getKernelOperands(), tokenType, ValueRange{dependency}, cluster);
    async->setDiscardableAttrs(launch->getDiscardableAttrDictionary());
    launch->erase();
    return async.getAsyncToken();
  }

  Value chainAlloc(OpBuilder &b, memref::AllocOp alloc, Value dependency) {
    auto device = gpu::AllocOp::create(b, alloc.getLoc(), alloc.getType(), tokenType,
                                       ValueRange{dependency}, alloc.getDynamicSizes(),
                                       ValueRange{}, /*hostShared=*/false);
    alloc.getResult().replaceAllUsesWith(device.getMemref());
    alloc->erase();
    return device.getAsyncToken();
  }

  Value chainDealloc(OpBuilder &b, memref::DeallocOp dealloc, Value dependency) {
    auto free = gpu::DeallocOp::create(b, dealloc.getLoc(), tokenType, ValueRange{dependency},
                                       dealloc.getMemref());
    dealloc->erase();
    return free.getAsyncToken();
  }

  Type tokenType;
};

class GpuAsyncLaunches : public stde::impl::GpuAsyncLaunchesBase<GpuAsyncLaunches> {
public:
  using GpuAsyncLaunchesBase::GpuAsyncLaunchesBase;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    StreamOrder order(&getContext());
    // Blocks after the entry block may be reached with work queued.
    bool first = true;
    for (Block &block : function.getBody()) {
      order.run(block, /*pending=*/!first);
      first = false;
    }
  }
};

} // namespace
