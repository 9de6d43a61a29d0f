//===- TrainingModule.h - a problem module composed into a training step -*- C++ -*-===//
#ifndef STDE_LIB_API_TRAININGMODULE_H
#define STDE_LIB_API_TRAININGMODULE_H

#include "DeviceCalls.h"
#include "Domain.h"
#include "EntryPoints.h"

#include "stde/API/Compiler.h"
#include "stde/API/Loss.h"
#include "stde/API/Training.h"
#include "stde/Transforms/RankShare.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"

namespace stde {

/// What the compiled entry points expect, read from the problem module.
struct TrainingModuleInfo {
  int64_t numParams = 0, dim = 0, spatialDim = 0, points = 0, boundaryPoints = 0, testBatch = 0;
  DType dtype = DType::f32;
  Domain domain;
  ErrorMetric errorMetric = ErrorMetric::none;
  double referenceValue = 0.0;          ///< ErrorMetric::referencePoint
  std::vector<double> referencePoint;
  std::vector<LayerShape> layers;
  int64_t stateSize = 0;                ///< values per optimizer state buffer
  int64_t zoPairs = 0, zoCores = 0;     ///< TrainingMethod::zo: pairs per step, core values
  int64_t operatorValues = 0;           ///< loss programs: values of all operators at the points
  /// Data-parallel training: this rank's share of every point batch; points
  /// and boundaryPoints count the share (the batch is ranks times larger).
  RankShare share;

  EntrySizes entrySizes() const {
    return {numParams, stateSize, points, boundaryPoints, dim, zoPairs, operatorValues};
  }
};

struct TrainingModule {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// The problem's text, for the probe entries compiled on demand.
  std::string source;
  TrainingModuleInfo info;
  /// The module's entry points (EntryPoints.h), checked against it.
  std::vector<EntrySignature> entries;
  /// Loss programs: the operators whose values entry::pointsOperators returns.
  std::vector<OperatorInfo> operators;
  std::vector<int64_t> operatorOffsets; ///< where each one's values start in the compiled layout
  /// What the compiler remarked while lowering (TrainingProgram::remarks).
  std::vector<std::string> remarks;
  /// The estimators the operators use, each once (TrainingProgram::estimators).
  std::vector<std::string> estimators;
};

/// Collects the context's diagnostics while it lives, for an error Status.
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(mlir::MLIRContext &context);
  /// `what`, then every diagnostic collected (with its notes).
  Status error(const std::string &what) const { return Status::error(what + ":\n" + messages); }
  /// The remarks collected (what the compiler noted on a success), one per entry.
  const std::vector<std::string> &remarks() const { return remarkList; }

private:
  std::string messages;
  std::vector<std::string> remarkList;
  mlir::ScopedDiagnosticHandler handler;
};

/// Reads and checks the problem's contract (Problems.h).
mlir::FailureOr<TrainingModuleInfo> readProblem(mlir::ModuleOp module, const TrainingSpec &spec);

/// stde-resolve-estimators with the spec's default estimator.
void addResolveEstimators(mlir::OpPassManager &pm, const TrainingSpec &spec);

/// Operators to jets to tensors (resolving their estimators first when
/// `resolve`), then the gradient (STDE) or the paired perturbations and
/// their update (zeroth order) of `function`.
void addLossLowering(mlir::OpPassManager &pm, const TrainingSpec &spec, bool resolve,
                     llvm::StringRef function);

/// Which entry points a training module gets.
enum class EntrySet {
  /// What training and the public API call (EntryPoints.h).
  training,
  /// Zeroth order: stde_zo_pair and stde_zo_directions only, the tests' view
  /// of the paired losses and the perturbations (ZerothOrderProbe.h). Kept out
  /// of training modules: they would double the code the JIT compiles.
  zoProbes,
};

/// Parses and checks a problem module, composes the sampler, the loss, its
/// gradient, the optimizer and the test error, and lowers the result to
/// `stage`. Errors carry every diagnostic.
Expected<TrainingModule> buildTrainingModule(mlir::MLIRContext &context, const std::string &text,
                                             const TrainingSpec &spec, Stage stage,
                                             EntrySet entrySet = EntrySet::training);

/// The dialects every compiler context has, and what a new context needs
/// before it compiles (Compiler.cpp): for programs that compile more entries
/// later in a context of their own.
mlir::DialectRegistry compilerRegistry();
void prepareCompilerContext(mlir::MLIRContext &context);

/// The back half of buildTrainingModule, shared with the loss programs:
/// checks the entry points against their signatures, lowers the module to
/// `stage` for spec.target (leanMemory: fuse into reductions, as for zeroth
/// order) and checks the lowered entries again.
Expected<TrainingModule> lowerEntryModule(TrainingModule &result, const TrainingSpec &spec,
                                          Stage stage, bool leanMemory);

/// A lowered module JIT-compiled for spec.target, its entry points found.
struct LoadedProgram {
  std::shared_ptr<mlir::ExecutionEngine> engine;
  CompiledEntries entries;
  Device device;
};
Expected<LoadedProgram> loadProgram(TrainingModule &built, const TrainingSpec &spec);

/// PyTorch's default for linear layers (TrainingProgram::initialize).
void initializeParams(const std::vector<LayerShape> &layers, int64_t numParams, uint64_t seed,
                      std::vector<double> &params);
void initializeParams(const std::vector<LayerShape> &layers, int64_t numParams, uint64_t seed,
                      std::vector<float> &params);

/// JIT-compiles a module built for Stage::llvm into a TrainingProgram
/// (Training.cpp): host code for the CPU, or host code that launches the
/// module's PTX through the CUDA runtime (spec.target == Target::cuda).
Expected<std::shared_ptr<const TrainingProgram>>
makeJitTrainingProgram(TrainingModule &built, const TrainingSpec &spec);

} // namespace stde

#endif // STDE_LIB_API_TRAININGMODULE_H
