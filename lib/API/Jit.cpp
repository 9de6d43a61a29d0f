//===- Jit.cpp - one way to JIT-compile an LLVM-dialect module ------------===//
#include "Jit.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"

using namespace stde;

Expected<std::shared_ptr<mlir::ExecutionEngine>> stde::jitCompile(mlir::ModuleOp module) {
  auto hostMachine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostMachine)
    return Status::error("cannot describe the host CPU: " +
                         llvm::toString(hostMachine.takeError()));
  auto targetMachine = hostMachine->createTargetMachine();
  if (!targetMachine)
    return Status::error("cannot create a target machine for the host: " +
                         llvm::toString(targetMachine.takeError()));
  // ExecutionEngineOptions::transformer is a function_ref: the function it
  // refers to must outlive create().
  std::function<llvm::Error(llvm::Module *)> optimize =
      mlir::makeOptimizingTransformer(3, 0, targetMachine->get());
  mlir::ExecutionEngineOptions options;
  options.transformer = optimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // Copies between strided memrefs call memrefCopy from MLIR's C runner
  // utilities (contiguous ones become llvm.memcpy).
  static const llvm::SmallVector<llvm::StringRef, 1> libraries{STDE_C_RUNNER_UTILS};
  options.sharedLibPaths = libraries;
  auto engine = mlir::ExecutionEngine::create(module, options, std::move(*targetMachine));
  if (!engine)
    return Status::error("JIT compilation failed: " + llvm::toString(engine.takeError()));
  return std::shared_ptr<mlir::ExecutionEngine>(std::move(*engine));
}

Expected<void (*)(void **)> stde::lookupEntry(mlir::ExecutionEngine &engine,
                                              const std::string &name) {
  auto entry = engine.lookupPacked("_mlir_ciface_" + name);
  if (!entry)
    return Status::error("internal: the entry point '" + name +
                         "' is missing: " + llvm::toString(entry.takeError()));
  return *entry;
}

MemRefDescriptor stde::describe(const void *data, std::vector<int64_t> shape) {
  MemRefDescriptor d{data, data, 0, {}};
  int64_t rank = shape.size(), stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    d.sizesAndStrides[i] = shape[i];
    d.sizesAndStrides[rank + i] = stride;
    stride *= shape[i];
  }
  return d;
}
