//===- Compiler.cpp - fields to JIT-compiled CPU kernels, with a cache ----===//
#include "stde/API/Compiler.h"
#include "DeviceCalls.h"
#include "Jit.h"
#include "LossModule.h"
#include "TrainingModule.h"

#include "JetModule.h"
#include "stde/InitAllStde.h"
#include "stde/Target/CpuPipeline.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "runtime/CudaRuntime.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"

#include <functional>
#include <map>
#include <mutex>

using namespace stde;

namespace {

class CpuJetKernel final : public JetKernel {
public:
  CpuJetKernel(const Field &field, const JetSpec &spec,
               std::shared_ptr<mlir::ExecutionEngine> engine, void (*entry)(void **))
      : JetKernel(spec, field.inputDim(), field.numParams(), field.dtype()),
        engine(std::move(engine)), entry(entry) {}

private:
  Status run(const void *params, const void *points, const std::vector<const void *> &tangents,
             void *out) const override {
    int64_t n = spec_.batch, r = spec_.directions, d = inputDim_;
    size_t elementSize = dtype_ == DType::f32 ? sizeof(float) : sizeof(double);
    std::vector<MemRefDescriptor> descriptors;
    if (numParams_ > 0)
      descriptors.push_back(describe(params, {numParams_}));
    descriptors.push_back(describe(points, {n, d}));
    std::vector<TangentKind> kinds = spec_.tangentKinds();
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (kinds[k] == TangentKind::dense)
        descriptors.push_back(describe(tangents[k], {r, n, d}));
      else if (kinds[k] == TangentKind::onehot)
        descriptors.push_back(describe(tangents[k], {r}));
    }
    const char *base = static_cast<const char *>(out);
    descriptors.push_back(describe(base, {n}));
    for (int64_t k = 1; k <= spec_.order; ++k)
      descriptors.push_back(describe(base + elementSize * (n + (k - 1) * r * n), {r, n}));

    // The C interface takes a pointer to each descriptor; the packed entry
    // point takes a pointer to each of those arguments.
    std::vector<MemRefDescriptor *> pointers;
    for (MemRefDescriptor &descriptor : descriptors)
      pointers.push_back(&descriptor);
    std::vector<void *> packed;
    for (MemRefDescriptor *&pointer : pointers)
      packed.push_back(&pointer);
    entry(packed.data());
    return Status::success();
  }

  std::shared_ptr<mlir::ExecutionEngine> engine;
  void (*entry)(void **);
};

Status checkSpec(const Field &field, const JetSpec &spec) {
  if (field.output() < 0)
    return Status::error("the field was not built (use FieldBuilder::build)");
  if (spec.order < 1 || spec.order > 16)
    return Status::error("order must be between 1 and 16, got " + std::to_string(spec.order));
  if (spec.directions < 1 || spec.batch < 1)
    return Status::error("directions and batch must be at least 1, got " +
                         std::to_string(spec.directions) + " and " + std::to_string(spec.batch));
  if (!spec.tangents.empty() && static_cast<int64_t>(spec.tangents.size()) != spec.order)
    return Status::error("tangents lists " + std::to_string(spec.tangents.size()) +
                         " kinds for a jet of order " + std::to_string(spec.order) +
                         " (give one per order, or none for the default)");
  return Status::success();
}

} // namespace

mlir::DialectRegistry stde::compilerRegistry() {
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  return registry;
}

void stde::prepareCompilerContext(mlir::MLIRContext &context) {
  // Pipelines are written as text (stde/Target/CpuPipeline.h): the passes
  // they name must be in the global registry, once per process.
  static std::once_flag registered;
  std::call_once(registered, [] { registerAllPasses(); });
  context.loadAllAvailableDialects();
  // Messages name the source location and say what to change; the generic
  // form of the op that MLIR appends as a note only confuses API users.
  context.printOpOnDiagnostic(false);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
}

struct Compiler::Impl {
  Impl() : context(compilerRegistry()) { prepareCompilerContext(context); }

  /// Builds the module, or an error with every diagnostic it produced.
  Expected<mlir::OwningOpRef<mlir::ModuleOp>> build(const Field &field, const JetSpec &spec,
                                                    Stage stage) {
    Status valid = checkSpec(field, spec);
    if (!valid)
      return valid;
    std::string messages;
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
      messages += diag.str() + "\n";
      return mlir::success();
    });
    mlir::OwningOpRef<mlir::ModuleOp> module = buildJetModule(context, field, spec);
    if (mlir::failed(mlir::verify(*module)))
      return Status::error("the field does not give valid IR:\n" + messages);
    if (stage == Stage::problem)
      return module;
    mlir::PassManager pm(&context);
    if (stage == Stage::tensor)
      addJetToTensor(pm);
    else
      buildCpuPipeline(pm);
    if (mlir::failed(pm.run(*module)))
      return Status::error("lowering failed:\n" + messages);
    return module;
  }

  mlir::MLIRContext context;
  std::map<std::string, std::shared_ptr<const JetKernel>> cache;
  Stats stats;
  std::mutex mutex;
};

Compiler::Compiler() : impl_(std::make_unique<Impl>()) {}
Compiler::~Compiler() = default;

Compiler::Stats Compiler::stats() const { return impl_->stats; }

Expected<std::string> Compiler::jetIR(const Field &field, const JetSpec &spec, Stage stage) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto module = impl_->build(field, spec, stage);
  if (!module)
    return Status::error(module.error());
  std::string text;
  llvm::raw_string_ostream os(text);
  (*module)->print(os);
  return text;
}

Expected<std::shared_ptr<const JetKernel>> Compiler::compileJet(const Field &field,
                                                                const JetSpec &spec) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::string key = field.fingerprint() + "|" + spec.key();
  if (auto it = impl_->cache.find(key); it != impl_->cache.end()) {
    ++impl_->stats.cacheHits;
    return it->second;
  }
  auto module = impl_->build(field, spec, Stage::llvm);
  if (!module)
    return Status::error(module.error());

  auto engine = jitCompile(**module);
  if (!engine)
    return Status::error(engine.error());
  auto entry = lookupEntry(**engine, kJetKernelName);
  if (!entry)
    return Status::error(entry.error());
  std::shared_ptr<const JetKernel> kernel =
      std::make_shared<CpuJetKernel>(field, spec, std::move(*engine), *entry);
  impl_->cache.emplace(key, kernel);
  ++impl_->stats.compilations;
  return kernel;
}

/// No GPU: say so before spending seconds on compilation. The code is
/// compiled for the GPU that is there unless a chip is asked for.
static Status resolveGpuChip(Target target, std::string &chip) {
  if (target != Target::cuda)
    return Status::success();
  std::string error;
  runtime::CudaRuntime *gpu = runtime::CudaRuntime::global(&error);
  if (!gpu)
    return Status::error(error);
  if (chip.empty())
    chip = gpu->architecture();
  return Status::success();
}

static std::string printed(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

Expected<std::shared_ptr<const TrainingProgram>>
Compiler::compileTraining(const std::string &problem, const TrainingSpec &spec) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  TrainingSpec resolved = spec;
  if (Status s = resolveGpuChip(spec.target, resolved.gpuChip); !s)
    return s;
  auto built = buildTrainingModule(impl_->context, problem, resolved, Stage::llvm);
  if (!built)
    return Status::error(built.error());
  ++impl_->stats.compilations;
  return makeJitTrainingProgram(*built, resolved);
}

Expected<Compiler::ProblemShape> Compiler::inspectProblem(const std::string &problem) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto built = buildTrainingModule(impl_->context, problem, TrainingSpec{}, Stage::problem);
  if (!built)
    return Status::error(built.error());
  const TrainingModuleInfo &info = built->info;
  return ProblemShape{info.dim,      info.spatialDim, info.points, info.boundaryPoints,
                      info.numParams, info.dtype,     info.layers};
}

Expected<std::string> Compiler::trainingIR(const std::string &problem, const TrainingSpec &spec,
                                           Stage stage) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto built = buildTrainingModule(impl_->context, problem, spec, stage);
  if (!built)
    return Status::error(built.error());
  return printed(*built->module);
}

Expected<std::shared_ptr<const LossProgram>> Compiler::compileLoss(const std::string &problem,
                                                                   const LossSpec &spec) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  LossSpec resolved = spec;
  if (Status s = resolveGpuChip(spec.target, resolved.gpuChip); !s)
    return s;
  auto built = buildLossModule(impl_->context, problem, resolved, Stage::llvm);
  if (!built)
    return Status::error(built.error());
  ++impl_->stats.compilations;
  return makeJitLossProgram(*built, resolved);
}

Expected<std::string> Compiler::lossIR(const std::string &problem, const LossSpec &spec,
                                       Stage stage) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto built = buildLossModule(impl_->context, problem, spec, stage);
  if (!built)
    return Status::error(built.error());
  return printed(*built->module);
}
