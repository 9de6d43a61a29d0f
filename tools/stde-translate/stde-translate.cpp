//===- stde-translate.cpp - stde IR to LLVM IR or PTX ---------------------===//
//
//   stde-translate --emit=llvm in.mlir      jets/tensors -> CPU pipeline -> LLVM IR
//   stde-translate --emit=ptx [--chip=sm_80] in.mlir
//                                           tensors -> GPU pipeline -> PTX, one
//                                           module per program (ptxas-checkable)
//   stde-translate --mlir-to-llvmir in.mlir LLVM dialect -> LLVM IR (upstream)
// (--stde-to-llvmir and --stde-to-ptx are the long names of --emit=.)
//
//===----------------------------------------------------------------------===//
#include "stde/InitAllStde.h"
#include "stde/ToolDefaults.h"
#include "stde/Target/CpuPipeline.h"
#include "stde/Target/GpuPipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"

#include <cstring>
#include <vector>

using namespace mlir;

namespace {

llvm::cl::opt<std::string> chip("chip", llvm::cl::desc("GPU architecture for --emit=ptx"),
                                llvm::cl::init("sm_90"));
llvm::cl::opt<int64_t> blockSize("block-size",
                                 llvm::cl::desc("threads per block for --emit=ptx"),
                                 llvm::cl::init(256));

/// mlirTranslateMain turns MLIR's "see current operation" note on whatever
/// the flags say; the translations turn it off again unless the user asked
/// for it (ToolDefaults.h).
bool printOpOnDiagnostic = false;

/// Runs the CPU pipeline, then exports the LLVM dialect module as LLVM IR.
LogicalResult stdeToLLVMIR(Operation *op, raw_ostream &output) {
  op->getContext()->printOpOnDiagnostic(printOpOnDiagnostic);
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError("expected a builtin.module");
  if (failed(stde::lowerToLLVMDialect(module)))
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return module.emitError("translation of the lowered module to LLVM IR failed");
  llvmModule->print(output, nullptr);
  return success();
}

/// Runs the GPU pipeline and prints the PTX of the program's kernels.
LogicalResult stdeToPTX(Operation *op, raw_ostream &output) {
  op->getContext()->printOpOnDiagnostic(printOpOnDiagnostic);
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    return op->emitError("expected a builtin.module");
  stde::GpuTargetOptions options;
  options.chip = chip;
  options.blockSize = blockSize;
  // A data-parallel step (stde-train --emit-ranks) sums over MPI ranks.
  options.collectives = module
                            .walk([](Operation *inner) {
                              return inner->getDialect() &&
                                             inner->getDialect()->getNamespace() == "mpi"
                                         ? WalkResult::interrupt()
                                         : WalkResult::advance();
                            })
                            .wasInterrupted();
  if (llvm::Error error = stde::validate(options))
    return module.emitError(llvm::toString(std::move(error)));
  if (failed(stde::lowerForGpu(module, options)))
    return failure();
  llvm::Expected<std::vector<std::string>> ptx = stde::ptxOf(module);
  if (!ptx)
    return module.emitError(llvm::toString(ptx.takeError()));
  for (const std::string &text : *ptx)
    output << text;
  return success();
}

} // namespace

int main(int argc, char **argv) {
  stde::registerAllPasses();
  registerAllTranslations();
  auto dialects = [](DialectRegistry &registry) { stde::registerAllDialects(registry); };
  TranslateFromMLIRRegistration stdeToLLVM(
      "stde-to-llvmir", "lower stde/jet/tensor IR for the CPU and emit LLVM IR", stdeToLLVMIR,
      dialects);
  TranslateFromMLIRRegistration stdeToPtx(
      "stde-to-ptx", "lower tensor IR for NVIDIA GPUs and emit the kernels' PTX", stdeToPTX,
      dialects);
  // --emit=llvm|ptx names the translation.
  std::vector<char *> args = stde::withToolDefaults(argc, argv);
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--mlir-print-op-on-diagnostic=true") == 0 ||
        std::strcmp(argv[i], "--mlir-print-op-on-diagnostic") == 0)
      printOpOnDiagnostic = true;
  static char toLLVM[] = "--stde-to-llvmir", toPTX[] = "--stde-to-ptx";
  for (char *&arg : args) {
    if (std::strcmp(arg, "--emit=llvm") == 0)
      arg = toLLVM;
    else if (std::strcmp(arg, "--emit=ptx") == 0)
      arg = toPTX;
    else if (std::strncmp(arg, "--emit=", 7) == 0) {
      llvm::errs() << "stde-translate: unknown " << arg << " (give --emit=llvm or --emit=ptx)\n";
      return 1;
    }
  }
  return failed(mlirTranslateMain(int(args.size()), args.data(), "stde translation driver"));
}
