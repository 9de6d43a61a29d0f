//===- CpuPipeline.cpp - from jets to LLVM IR for the CPU -----------------===//
//
// The order follows ../shared/docs/TOOLCHAIN.md. Choices worth knowing:
//  - matrix products become calls to the runtime's OpenBLAS-backed matmul
//    after bufferization (convert-linalg-to-runtime);
//  - f32 transcendental functions become MLIR's polynomial approximations
//    once the loops are scalar (stde-approximate-f32-math), so those loops
//    vectorize; f64 ones become LLVM intrinsics or libm calls, as accurate
//    as the C library (the approximations are only f32-accurate);
//  - elementwise arithmetic on tensors becomes linalg.generic and is fused
//    before bufferization, so a layer's recurrences run as few loop nests;
//  - a training step's large parallel loops run on an OpenMP thread team
//    (stde-thread-parallel-loops, convert-scf-to-openmp), bit-identically.
//
//===----------------------------------------------------------------------===//
#include "stde/Target/CpuPipeline.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

const std::string &stde::jetToTensorPipeline() {
  static const std::string pipeline =
      "stde-lower-operators,jet-simplify,jet-expand{drop-networks=true},convert-jet-to-tensor,"
      "convert-rng-to-arith,func.func(canonicalize,cse)";
  return pipeline;
}

const std::string &stde::cpuPipeline() {
  static const std::string pipeline = jetToTensorPipeline() + "," + tensorToLLVMPipeline();
  return pipeline;
}

std::string stde::tensorBufferizationPipeline(bool leanMemory) {
  return std::string("func.func(convert-elementwise-to-linalg,stde-fuse-elementwise") +
         (leanMemory ? "{into-reductions=true}" : "") +
         "),"
         "eliminate-empty-tensors,"
         "one-shot-bufferize{bufferize-function-boundaries "
         "function-boundary-type-conversion=identity-layout-map},"
         "func.func(buffer-hoisting),"
         "buffer-deallocation-pipeline";
}

std::string stde::tensorToLLVMPipeline(bool runtimeMatmul, bool leanMemory, int64_t threads) {
  // One thread: the loops as convert-linalg-to-loops makes them. Otherwise
  // parallel loops, of which stde-thread-parallel-loops keeps the large
  // outermost ones; convert-scf-to-openmp wraps each body in a
  // memref.alloca_scope that canonicalize inlines again (the bodies allocate
  // nothing), since convert-scf-to-cf would give the scope several blocks.
  std::string loops =
      threads == 1
          ? "func.func(convert-linalg-to-loops,stde-approximate-f32-math),stde-split-long-functions,"
          : "func.func(convert-linalg-to-parallel-loops,stde-thread-parallel-loops,"
            "stde-approximate-f32-math),stde-split-long-functions,"
            "convert-scf-to-openmp{num-threads=" + std::to_string(threads) + "},"
            "func.func(canonicalize),";
  return tensorBufferizationPipeline(leanMemory) + "," +
         (runtimeMatmul ? "convert-linalg-to-runtime," : "") + loops +
         "convert-math-to-llvm,convert-math-to-libm,"
         "func.func(convert-scf-to-cf),"
         "expand-strided-metadata,lower-affine,"
         "finalize-memref-to-llvm,"
         "convert-arith-to-llvm,convert-index-to-llvm,convert-cf-to-llvm,"
         "convert-func-to-llvm,"
         + std::string(threads == 1 ? "" : "convert-openmp-to-llvm,") +
         "reconcile-unrealized-casts";
}

LogicalResult stde::buildCpuPipeline(OpPassManager &pm) {
  return parsePassPipeline(cpuPipeline(), pm, llvm::errs());
}

LogicalResult stde::lowerToLLVMDialect(ModuleOp module) {
  PassManager pm(module->getName());
  if (failed(buildCpuPipeline(pm)))
    return failure();
  return pm.run(module);
}

void stde::registerCpuPipeline() {
  PassPipelineRegistration<>(
      "stde-cpu-pipeline",
      "Lower jet pushforwards and tensor code to the LLVM dialect for the host CPU",
      [](OpPassManager &pm) {
        if (failed(buildCpuPipeline(pm)))
          llvm::report_fatal_error("stde-cpu-pipeline does not parse");
      });
}
