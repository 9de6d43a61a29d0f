//===- LoopsToGpu.cpp - host loop nests become GPU kernels ----------------===//
//
// After bufferization and convert-linalg-to-parallel-loops a step is a host
// function of allocations, scf.parallel nests (elementwise ops, matrix
// products with their reduction as an inner scf.for) and a few sequential
// loops (full reductions, Floyd's sampling). Upstream's gpu-map-parallel-loops
// maps the outer loop to blocks and leaves one thread per block; here every
// nest is linearized onto blocks x threads instead, so any rank and any shape
// fills the GPU, and the sequential leftovers run as single-thread kernels
// so that no step touches memory from the host (on managed memory that would
// migrate pages back and forth every step).
//
// Three phases: copies become parallel loops (a pattern), consecutive
// sequential ops are grouped into single-thread kernels (a walk over blocks:
// grouping is not a per-op rewrite), parallel loops become launches (a
// pattern).
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/LoopsToGpu.h"
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include "llvm/ADT/SetVector.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTLOOPSTOGPU
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

Value indexConstant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// A launch of `grid` blocks of `block` threads before `at`, its body ending
/// in gpu.terminator; the builder is left at the start of the body.
gpu::LaunchOp createLaunch(OpBuilder &b, Location loc, Value grid, Value block) {
  Value one = indexConstant(b, loc, 1);
  auto launch = gpu::LaunchOp::create(b, loc, grid, one, one, block, one, one);
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&launch.getBody().front());
  return launch;
}

/// Kernels cannot read host globals: every memref.get_global defined outside
/// `launch` and used inside is cloned into it (outlining then copies the
/// global into the GPU module).
void sinkGlobals(RewriterBase &rewriter, gpu::LaunchOp launch) {
  llvm::SetVector<Operation *> globals;
  launch.getBody().walk([&](Operation *op) {
    for (Value operand : op->getOperands())
      if (auto get = operand.getDefiningOp<memref::GetGlobalOp>())
        if (!launch->isAncestor(get))
          globals.insert(get);
  });
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(&launch.getBody().front());
  for (Operation *global : globals) {
    Operation *copy = rewriter.clone(*global);
    rewriter.replaceUsesWithIf(global->getResult(0), copy->getResult(0), [&](OpOperand &use) {
      return launch->isAncestor(use.getOwner());
    });
  }
}

/// Whether `op` is inside a parallel loop or a kernel already.
bool nestedInKernelOrLoop(Operation *op) {
  return op->getParentOfType<scf::ParallelOp>() || op->getParentOfType<gpu::LaunchOp>();
}

/// scf.parallel (no reductions) -> gpu.launch over its linearized iteration
/// space, `blockSize` threads per block.
struct ParallelLoopToLaunch : OpRewritePattern<scf::ParallelOp> {
  ParallelLoopToLaunch(MLIRContext *context, int64_t blockSize)
      : OpRewritePattern(context), blockSize(blockSize) {}

  LogicalResult matchAndRewrite(scf::ParallelOp loop, PatternRewriter &b) const override {
    if (loop.getNumResults() != 0 || nestedInKernelOrLoop(loop))
      return failure();
    Location loc = loop.getLoc();
    unsigned rank = loop.getNumLoops();
    SmallVector<Value> trips;
    Value total = indexConstant(b, loc, 1);
    for (unsigned i = 0; i < rank; ++i) {
      Value span =
          arith::SubIOp::create(b, loc, loop.getUpperBound()[i], loop.getLowerBound()[i]);
      Value trip = arith::CeilDivUIOp::create(b, loc, span, loop.getStep()[i]);
      trips.push_back(trip);
      total = arith::MulIOp::create(b, loc, total, trip);
    }
    Value threads = indexConstant(b, loc, blockSize);
    Value blocks = arith::CeilDivUIOp::create(b, loc, total, threads);
    // An empty space still launches one block (a grid of 0 is a launch
    // error); its threads all fail the bounds check.
    blocks = arith::MaxUIOp::create(b, loc, blocks, indexConstant(b, loc, 1));
    gpu::LaunchOp launch = createLaunch(b, loc, blocks, threads);

    Value linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, launch.getBlockIds().x, launch.getBlockSize().x),
        launch.getThreadIds().x);
    Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, linear, total);
    auto guard = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
    b.setInsertionPointToStart(&guard.getThenRegion().front());

    // Innermost dimension fastest: neighbouring threads, neighbouring elements.
    IRMapping mapping;
    Value rest = linear;
    for (int i = int(rank) - 1; i >= 0; --i) {
      Value index = i == 0 ? rest : arith::RemUIOp::create(b, loc, rest, trips[i]).getResult();
      if (i > 0)
        rest = arith::DivUIOp::create(b, loc, rest, trips[i]);
      Value iv = arith::AddIOp::create(b, loc, loop.getLowerBound()[i],
                                       arith::MulIOp::create(b, loc, index, loop.getStep()[i]));
      mapping.map(loop.getInductionVars()[i], iv);
    }
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, mapping);
    b.eraseOp(loop);
    sinkGlobals(b, launch);
    return success();
  }

  int64_t blockSize;
};

/// The value stored by a copy from a splat constant global, if it is one.
Value splatSourceValue(OpBuilder &b, memref::CopyOp copy) {
  auto get = copy.getSource().getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return {};
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(get, get.getNameAttr());
  if (!global || !global.getConstant())
    return {};
  auto init = dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue());
  if (!init || !init.isSplat())
    return {};
  return arith::ConstantOp::create(b, copy.getLoc(), cast<TypedAttr>(init.getSplatValue<Attribute>()));
}

/// memref.copy -> a parallel loop of loads and stores (a fill when the source
/// is a splat constant). Rank 0 stays a copy, for a sequential kernel.
struct CopyToParallelLoop : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp copy, PatternRewriter &b) const override {
    auto type = cast<MemRefType>(copy.getTarget().getType());
    if (type.getRank() == 0 || nestedInKernelOrLoop(copy))
      return failure();
    Location loc = copy.getLoc();
    Value splat = splatSourceValue(b, copy);
    SmallVector<Value> lower, upper, steps;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      lower.push_back(indexConstant(b, loc, 0));
      steps.push_back(indexConstant(b, loc, 1));
      upper.push_back(memref::DimOp::create(b, loc, copy.getTarget(), i));
    }
    scf::ParallelOp::create(
        b, loc, lower, upper, steps, [&](OpBuilder &nb, Location l, ValueRange ivs) {
          Value v = splat ? splat : memref::LoadOp::create(nb, l, copy.getSource(), ivs).getResult();
          memref::StoreOp::create(nb, l, v, copy.getTarget(), ivs);
        });
    b.eraseOp(copy);
    return success();
  }
};

bool containsParallelLoop(Operation *op) {
  bool found = false;
  for (Region &region : op->getRegions())
    region.walk([&](Operation *inner) {
      if (isa<scf::ParallelOp>(inner))
        found = true;
    });
  return found;
}

/// Operations that always stay on the host: freeing, stack buffers, calls,
/// terminators, launches, the globals (sunk into kernels on demand) and MPI
/// collectives (calls into the MPI library, on buffers the host can read).
/// (An allocation joins a sequential run and is hoisted out of it.)
bool staysOnHost(Operation *op) {
  Dialect *dialect = op->getDialect();
  return isa<memref::AllocaOp, memref::DeallocOp, memref::GetGlobalOp,
             func::CallOp, gpu::LaunchOp>(op) ||
         op->hasTrait<OpTrait::IsTerminator>() ||
         (dialect && dialect->getNamespace() == "mpi");
}

class LoopsToGpu : public stde::impl::ConvertLoopsToGpuBase<LoopsToGpu> {
public:
  using ConvertLoopsToGpuBase::ConvertLoopsToGpuBase;

  void runOnOperation() override {
    if (blockSize < 1 || blockSize > 1024) {
      emitError(getOperation().getLoc())
          << "convert-loops-to-gpu: block-size must be in 1 ... 1024 (got " << int64_t(blockSize)
          << ")";
      return signalPassFailure();
    }
    if (getOperation().isExternal())
      return;
    MLIRContext *context = &getContext();
    RewritePatternSet copies(context);
    stde::populateCopiesToLoopsPatterns(copies);
    walkAndApplyPatterns(getOperation(), std::move(copies));
    convertBlock(getOperation().getBody().front());
    RewritePatternSet launches(context);
    stde::populateParallelLoopsToLaunchesPatterns(launches, blockSize);
    walkAndApplyPatterns(getOperation(), std::move(launches));
    if (failed(checkNoHostStack()))
      signalPassFailure();
  }

private:
  void convertBlock(Block &block) {
    SmallVector<Operation *> ops;
    for (Operation &op : block)
      ops.push_back(&op);
    SmallVector<Operation *> run;
    auto flush = [&] {
      runSequentially(run);
      run.clear();
    };
    for (Operation *op : ops) {
      if (auto loop = dyn_cast<scf::ParallelOp>(op); loop && loop.getNumResults() == 0) {
        flush(); // a kernel of its own (ParallelLoopToLaunch)
        continue;
      } else if (containsParallelLoop(op)) {
        // A host loop around kernels (e.g. one product per direction).
        flush();
        for (Region &region : op->getRegions())
          for (Block &inner : region)
            convertBlock(inner);
        continue;
      } else if (staysOnHost(op)) {
        flush();
        continue;
      }
      run.push_back(op);
    }
    flush();
  }

  /// Wraps `run` (consecutive ops of one block) in a single-thread kernel if
  /// it touches memory and nothing after it needs its values.
  void runSequentially(ArrayRef<Operation *> ops) {
    llvm::SetVector<Operation *> run(ops.begin(), ops.end());
    if (run.empty())
      return;
    hoistPureOps(run);
    if (run.empty() || llvm::all_of(run, [](Operation *op) { return isMemoryEffectFree(op); }))
      return;
    for (Operation *op : run)
      for (Value result : op->getResults())
        for (Operation *user : result.getUsers())
          if (!run.contains(run.front()->getBlock()->findAncestorOpInBlock(*user)))
            return; // its values are needed on the host: stays there
    IRRewriter b(run.front());
    Value one = indexConstant(b, run.front()->getLoc(), 1);
    gpu::LaunchOp launch = createLaunch(b, run.front()->getLoc(), one, one);
    Operation *terminator = launch.getBody().front().getTerminator();
    for (Operation *op : run)
      op->moveBefore(terminator);
    sinkGlobals(b, launch);
  }

  /// Moves pure ops and allocations whose operands are all defined outside
  /// the run to before it (constants, index arithmetic, views, buffers):
  /// they may feed later kernels. One pass in order suffices: an op whose
  /// operands were hoisted already sees them outside.
  static void hoistPureOps(llvm::SetVector<Operation *> &run) {
    for (Operation *op : llvm::to_vector(run)) {
      if (!(isPure(op) || isa<memref::AllocOp>(op)) || op->getNumRegions() != 0)
        continue;
      bool fromOutside = llvm::all_of(op->getOperands(), [&](Value v) {
        Operation *def = v.getDefiningOp();
        return !def || !run.contains(def);
      });
      if (!fromOutside)
        continue;
      if (op != run.front())
        op->moveBefore(run.front());
      run.remove(op);
    }
  }

  /// A kernel cannot read the host's stack.
  LogicalResult checkNoHostStack() {
    LogicalResult result = success();
    getOperation().walk([&](gpu::LaunchOp launch) {
      launch.getBody().walk([&](Operation *op) {
        for (Value v : op->getOperands())
          if (auto alloca = v.getDefiningOp<memref::AllocaOp>(); alloca && !launch->isAncestor(alloca)) {
            op->emitError("a GPU kernel reads a host stack buffer (memref.alloca); allocate it "
                          "with memref.alloc instead");
            result = failure();
          }
      });
    });
    return result;
  }
};

} // namespace

void stde::populateCopiesToLoopsPatterns(RewritePatternSet &patterns) {
  patterns.add<CopyToParallelLoop>(patterns.getContext());
}

void stde::populateParallelLoopsToLaunchesPatterns(RewritePatternSet &patterns,
                                                   int64_t blockSize) {
  patterns.add<ParallelLoopToLaunch>(patterns.getContext(), blockSize);
}
