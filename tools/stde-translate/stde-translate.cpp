//===- stde-translate.cpp - stde IR to LLVM IR ----------------------------===//
//
//   stde-translate --stde-to-llvmir in.mlir   jets/tensors -> CPU pipeline -> LLVM IR
//   stde-translate --mlir-to-llvmir in.mlir   LLVM dialect -> LLVM IR (upstream)
//
//===----------------------------------------------------------------------===//
#include "stde/InitAllStde.h"
#include "stde/Target/CpuPipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

using namespace mlir;

namespace {

/// Runs the CPU pipeline, then exports the LLVM dialect module as LLVM IR.
LogicalResult stdeToLLVMIR(Operation *op, raw_ostream &output) {
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

} // namespace

int main(int argc, char **argv) {
  stde::registerAllPasses();
  registerAllTranslations();
  TranslateFromMLIRRegistration stdeToLLVM(
      "stde-to-llvmir", "lower stde/jet/tensor IR for the CPU and emit LLVM IR", stdeToLLVMIR,
      [](DialectRegistry &registry) { stde::registerAllDialects(registry); });
  return failed(mlirTranslateMain(argc, argv, "stde translation driver"));
}
