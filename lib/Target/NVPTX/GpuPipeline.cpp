//===- GpuPipeline.cpp - from tensors to PTX and a host module ------------===//
//
// The GPU back end shares the front of the CPU pipeline (elementwise fusion,
// bufferization) and then differs:
//  - linalg ops become parallel loops and convert-loops-to-gpu runs every
//    loop nest (and every sequential leftover) as a kernel, so the host only
//    allocates buffers and launches;
//  - gpu-kernel-outlining + stde-merge-gpu-modules: one gpu.module, one PTX
//    module per program;
//  - kernels go to NVVM; transcendental math becomes libdevice calls
//    (__nv_tanhf, ...) linked from libdevice.10.bc, so the PTX has no
//    external functions left (ptxOf checks);
//  - the host side calls the mgpu* entry points that gpu-to-llvm emits; the
//    runtime implements them on the CUDA driver (runtime/CudaLauncher.h).
// format=isa stops at PTX text: no CUDA is needed to compile, and the driver
// JIT-compiles the PTX for whatever GPU it finds when the module is loaded.
//
//===----------------------------------------------------------------------===//
#include "stde/Target/GpuPipeline.h"
#include "stde/Conversion/Passes.h"
#include "stde/Target/CpuPipeline.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"

#include <cstdlib>
#include <set>

using namespace mlir;

std::string stde::defaultLibdevicePath() {
  if (const char *env = std::getenv("STDE_LIBDEVICE"); env && *env)
    return env;
#ifdef STDE_DEFAULT_LIBDEVICE
  if (llvm::sys::fs::exists(STDE_DEFAULT_LIBDEVICE))
    return STDE_DEFAULT_LIBDEVICE;
#endif
  if (const char *home = std::getenv("CUDA_HOME"); home && *home) {
    std::string path = std::string(home) + "/nvvm/libdevice/libdevice.10.bc";
    if (llvm::sys::fs::exists(path))
      return path;
  }
  return "";
}

std::string stde::ptxFeaturesFor(const std::string &chip) {
  int sm = std::atoi(chip.c_str() + 3);
  return sm >= 100 ? "+ptx86" : "+ptx80";
}

llvm::Error stde::validate(GpuTargetOptions &options) {
  const std::string &chip = options.chip;
  bool digits = chip.size() > 3 && chip.find_first_not_of("0123456789", 3) == std::string::npos;
  if (chip.rfind("sm_", 0) != 0 || !digits || std::atoi(chip.c_str() + 3) < 75)
    return llvm::createStringError("unknown GPU architecture '" + chip +
                         "': give sm_XY with XY >= 75 (sm_80 for A100, sm_90 for H100/H200)");
  if (options.blockSize < 32 || options.blockSize > 1024 || options.blockSize % 32 != 0)
    return llvm::createStringError("threads per block must be a multiple of 32 in 32 ... 1024 (got " +
                         std::to_string(options.blockSize) + ")");
  if (options.emulate)
    return llvm::Error::success(); // no PTX: neither libdevice nor the chip matter
  if (options.libdevice.empty())
    options.libdevice = defaultLibdevicePath();
  if (options.libdevice.empty())
    return llvm::createStringError("libdevice.10.bc (the CUDA toolkit's math library, needed for tanh, "
                         "exp, sin, ... on the GPU) was not found: install the CUDA toolkit, or "
                         "set STDE_LIBDEVICE (or CUDA_HOME) to point at it");
  if (!llvm::sys::fs::exists(options.libdevice))
    return llvm::createStringError("libdevice '" + options.libdevice + "' does not exist");
  return llvm::Error::success();
}

void stde::addTensorToGpuLoops(OpPassManager &pm, const GpuTargetOptions &options) {
  addTensorBufferization(pm, options.leanMemory);
  if (options.collectives)
    addCollectiveBufferCopies(pm);
  OpPassManager &loops = pm.nest<func::FuncOp>();
  loops.addPass(createConvertMatmulToGpu());
  loops.addPass(createReductionsInnermost());
  loops.addPass(createSplitLongReductions());
  loops.addPass(createConvertLinalgToParallelLoopsPass());
  loops.addPass(createCanonicalizerPass());
  loops.addPass(createParallelizeOwnedLoops());
  loops.addPass(createAccumulateInRegisters());
}

void stde::addTensorToGpuKernels(OpPassManager &pm, const GpuTargetOptions &options) {
  addTensorToGpuLoops(pm, options);
  ConvertLoopsToGpuOptions kernels;
  kernels.blockSize = options.blockSize;
  pm.nest<func::FuncOp>().addPass(createConvertLoopsToGpu(kernels));
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createMergeGpuModules());
  pm.nest<func::FuncOp>().addPass(createGpuAsyncLaunches());
}

void stde::addGpuKernelsToLLVM(OpPassManager &pm, const GpuTargetOptions &options) {
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = ptxFeaturesFor(options.chip);
  target.optLevel = 3;
  target.linkLibs.push_back(options.libdevice);
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  if (options.collectives)
    addCollectivesToLLVM(pm);
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa"; // PTX text: the driver compiles it for its GPU
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

void stde::addGpuKernelsToEmulator(OpPassManager &pm, const GpuTargetOptions &options) {
  pm.addPass(createGpuKernelsToHost());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.nest<func::FuncOp>().addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  if (options.collectives)
    addCollectivesToLLVM(pm);
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createGpuLaunchesToEmulator());
}

void stde::buildGpuPipeline(OpPassManager &pm, const GpuTargetOptions &options) {
  addTensorToGpuKernels(pm, options);
  if (options.emulate)
    addGpuKernelsToEmulator(pm, options);
  else
    addGpuKernelsToLLVM(pm, options);
}

LogicalResult stde::lowerForGpu(ModuleOp module, const GpuTargetOptions &options) {
  PassManager pm(module->getName());
  buildGpuPipeline(pm, options);
  return pm.run(module);
}

llvm::Expected<std::vector<std::string>> stde::ptxOf(ModuleOp module) {
  std::vector<std::string> ptx;
  std::set<std::string> unresolved;
  module.walk([&](gpu::BinaryOp binary) {
    for (Attribute attr : binary.getObjects()) {
      auto object = dyn_cast<gpu::ObjectAttr>(attr);
      if (!object || object.getFormat() != gpu::CompilationTarget::Assembly)
        continue;
      std::string text = object.getObject().getValue().str();
      const std::string marker = ".extern .func";
      for (size_t at = text.find(marker); at != std::string::npos;
           at = text.find(marker, at + 1)) {
        size_t name = text.find("__nv_", at);
        size_t end = text.find_first_of("( \n", name);
        if (name != std::string::npos && name < text.find('\n', at))
          unresolved.insert(text.substr(name, end - name));
      }
      ptx.push_back(std::move(text));
    }
  });
  if (!unresolved.empty()) {
    std::string names;
    for (const std::string &n : unresolved)
      names += (names.empty() ? "" : ", ") + n;
    return llvm::createStringError("the PTX still calls libdevice functions (" + names +
                         "): libdevice was not linked; check STDE_LIBDEVICE / the libdevice "
                         "option");
  }
  if (ptx.empty())
    return llvm::createStringError("the module has no PTX (no gpu.binary in assembly format): run the GPU "
                         "pipeline with format=isa first");
  return ptx;
}

namespace {

struct GpuPipelineOptions : public PassPipelineOptions<GpuPipelineOptions> {
  Option<std::string> chip{*this, "chip", llvm::cl::desc("GPU architecture (sm_80, sm_90, ...)"),
                           llvm::cl::init("sm_90")};
  Option<std::string> libdevice{*this, "libdevice",
                                llvm::cl::desc("path of libdevice.10.bc (default: found at "
                                               "configure time, $STDE_LIBDEVICE, $CUDA_HOME)"),
                                llvm::cl::init("")};
  Option<int64_t> blockSize{*this, "block-size",
                            llvm::cl::desc("threads per block of the loop kernels"),
                            llvm::cl::init(256)};
  Option<bool> leanMemory{*this, "lean-memory",
                          llvm::cl::desc("fuse producers into reductions (zeroth order)"),
                          llvm::cl::init(false)};

  stde::GpuTargetOptions target() const {
    stde::GpuTargetOptions t;
    t.chip = chip;
    t.libdevice = libdevice;
    t.blockSize = blockSize;
    t.leanMemory = leanMemory;
    return t;
  }
};

/// Where a registered pipeline stops.
enum class Stop { loops, kernels, ptx, emulator };

/// Adds a pipeline built from validated options; a bad option fails the
/// pipeline's construction with a message (the tool then exits with an error).
LogicalResult addPipeline(OpPassManager &pm, StringRef optionsText,
                          function_ref<LogicalResult(const Twine &)> errorHandler, Stop stop) {
  GpuPipelineOptions options;
  if (failed(options.parseFromString(optionsText)))
    return failure();
  stde::GpuTargetOptions target = options.target();
  target.emulate = stop == Stop::emulator;
  if (llvm::Error error = stde::validate(target))
    return errorHandler("stde-gpu-pipeline: " + llvm::toString(std::move(error)));
  if (stop == Stop::loops)
    stde::addTensorToGpuLoops(pm, target);
  else if (stop == Stop::kernels)
    stde::addTensorToGpuKernels(pm, target);
  else
    stde::buildGpuPipeline(pm, target);
  return success();
}

void registerOne(StringRef name, StringRef description, Stop stop) {
  registerPassPipeline(
      name, description,
      [stop](OpPassManager &pm, StringRef options,
             function_ref<LogicalResult(const Twine &)> errorHandler) {
        return addPipeline(pm, options, errorHandler, stop);
      },
      [](function_ref<void(const detail::PassOptions &)> optionHandler) {
        optionHandler(GpuPipelineOptions());
      });
}

} // namespace

void stde::registerGpuPipelines() {
  registerOne("stde-gpu-pipeline",
              "Lower tensor code to host functions launching PTX kernels (gpu.binary, "
              "format=isa); options chip, libdevice, block-size, lean-memory",
              Stop::ptx);
  registerOne("stde-gpu-loops-pipeline",
              "Lower tensor code to bufferized host functions whose loops are what "
              "convert-loops-to-gpu turns into kernels (tiled products already gpu.launch)",
              Stop::loops);
  registerOne("stde-gpu-kernels-pipeline",
              "Lower tensor code to host functions launching outlined kernels in one gpu.module",
              Stop::kernels);
  registerOne("stde-gpu-emulator-pipeline",
              "Lower tensor code like stde-gpu-pipeline, but with the kernels as host "
              "functions that the GPU emulator (runtime/GpuEmulator.h) runs on the CPU; "
              "options block-size, lean-memory",
              Stop::emulator);
}
