//===- CpuPipeline.cpp - from jets to LLVM IR for the CPU -----------------===//
//
// The order follows docs/TOOLCHAIN.md. Choices worth knowing:
//  - matrix products become calls to the runtime's OpenBLAS-backed matmul
//    after bufferization (convert-linalg-to-runtime);
//  - f32 transcendental functions become MLIR's polynomial approximations
//    once the loops are scalar (stde-approximate-f32-math), so those loops
//    vectorize; f64 ones become LLVM intrinsics or libm calls, as accurate
//    as the C library (the approximations are only f32-accurate);
//  - elementwise arithmetic on tensors becomes linalg.generic and is fused
//    before bufferization, so a layer's recurrences run as few loop nests;
//  - a training step's large parallel loops run on an OpenMP thread team
//    (stde-thread-parallel-loops, convert-scf-to-openmp), bit-identically;
//  - f32 sums of transcendental terms (a source term fused into its sum)
//    get vector lanes (stde-vectorizable-math-reductions).
//
//===----------------------------------------------------------------------===//
#include "stde/Target/CpuPipeline.h"
#include "stde/Conversion/Passes.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void stde::addJetToTensor(OpPassManager &pm) {
  pm.addPass(createStdeLowerOperators());
  pm.addPass(createJetSimplify());
  JetExpandOptions expand;
  expand.dropNetworks = true;
  pm.addPass(createJetExpand(expand));
  pm.addPass(createConvertJetToTensor());
  pm.addPass(createConvertRngToArith());
  OpPassManager &functions = pm.nest<func::FuncOp>();
  functions.addPass(createCanonicalizerPass());
  functions.addPass(createCSEPass());
}

void stde::buildCpuPipeline(OpPassManager &pm) {
  addJetToTensor(pm);
  addTensorToLLVM(pm);
}

void stde::addTensorBufferization(OpPassManager &pm, bool leanMemory) {
  OpPassManager &fusion = pm.nest<func::FuncOp>();
  fusion.addPass(createConvertElementwiseToLinalgPass());
  FuseElementwiseOptions fuse;
  fuse.intoReductions = leanMemory;
  fusion.addPass(createFuseElementwise(fuse));
  // After fusion (which folds splat operands into the generics that read
  // them): what is left initializes buffers, and must not be a global.
  fusion.addPass(createSplatsToFills());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.nest<func::FuncOp>().addPass(bufferization::createBufferHoistingPass());
  bufferization::buildBufferDeallocationPipeline(pm);
}

void stde::addCollectiveBufferCopies(OpPassManager &pm) {
  // Around a collective's buffers the deallocation pipeline may keep a
  // buffer alive past its owner with bufferization.clone: a copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
}

void stde::addCollectivesToLLVM(OpPassManager &pm) {
  // The mpi ops read their buffers' descriptors: after memref lowering.
  ConvertToLLVMPassOptions mpi;
  mpi.filterDialects = {"mpi"};
  pm.addPass(createConvertToLLVMPass(mpi));
}

void stde::addTensorToLLVM(OpPassManager &pm, bool runtimeMatmul, bool leanMemory,
                           int64_t threads, bool collectives, bool mathLanes) {
  addTensorBufferization(pm, leanMemory);
  if (collectives)
    addCollectiveBufferCopies(pm);
  if (runtimeMatmul)
    pm.addPass(createConvertLinalgToRuntime());
  // One thread: the loops as convert-linalg-to-loops makes them. Otherwise
  // parallel loops, of which stde-thread-parallel-loops keeps the large
  // outermost ones; convert-scf-to-openmp wraps each body in a
  // memref.alloca_scope that canonicalize inlines again (the bodies allocate
  // nothing), since convert-scf-to-cf would give the scope several blocks.
  OpPassManager &loops = pm.nest<func::FuncOp>();
  if (mathLanes)
    loops.addPass(createVectorizableMathReductions());
  if (threads == 1) {
    loops.addPass(createConvertLinalgToLoopsPass());
  } else {
    loops.addPass(createConvertLinalgToParallelLoopsPass());
    loops.addPass(createThreadParallelLoops());
  }
  loops.addPass(createApproximateF32Math());
  pm.addPass(createSplitLongFunctions());
  if (threads != 1) {
    ConvertSCFToOpenMPPassOptions openmp;
    openmp.numThreads = unsigned(threads);
    pm.addPass(createConvertSCFToOpenMPPass(openmp));
    pm.nest<func::FuncOp>().addPass(createCanonicalizerPass());
  }
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.nest<func::FuncOp>().addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  if (collectives)
    addCollectivesToLLVM(pm);
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  if (threads != 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

LogicalResult stde::lowerToLLVMDialect(ModuleOp module) {
  PassManager pm(module->getName());
  buildCpuPipeline(pm);
  return pm.run(module);
}

void stde::registerCpuPipeline() {
  PassPipelineRegistration<>(
      "stde-cpu-pipeline",
      "Lower jet pushforwards and tensor code to the LLVM dialect for the host CPU",
      [](OpPassManager &pm) { buildCpuPipeline(pm); });
}
