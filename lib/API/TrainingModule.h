//===- TrainingModule.h - a problem module composed into a training step -*- C++ -*-===//
#ifndef STDE_LIB_API_TRAININGMODULE_H
#define STDE_LIB_API_TRAININGMODULE_H

#include "Domain.h"

#include "stde/API/Compiler.h"
#include "stde/API/Training.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

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
};

struct TrainingModule {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  TrainingModuleInfo info;
};

/// Entry points (emit_c_interface) of the compiled module.
inline constexpr const char *kTrainStepEntry = "stde_train_step";
inline constexpr const char *kGradientEntry = "stde_gradient";
inline constexpr const char *kTestErrorEntry = "stde_test_error";
inline constexpr const char *kSamplePointsEntry = "stde_sample_points";
inline constexpr const char *kSampleBoundaryEntry = "stde_sample_boundary_points";
inline constexpr const char *kLossEntry = "stde_loss";
/// TrainingMethod::zo only (stde_train_step and stde_gradient do not exist):
inline constexpr const char *kZoStepEntry = "stde_zo_step";   // (params, state, seed, step, epoch, loss)
inline constexpr const char *kZoFoldEntry = "stde_zo_fold";   // (params, state, seed, epoch)
inline constexpr const char *kZoPairEntry = "stde_zo_pair";   // (params, state, seed, step, pstep, epoch, losses)
inline constexpr const char *kZoDirectionsEntry = "stde_zo_directions"; // (seed, pstep, epoch, dirs)

/// Parses and checks a problem module, composes the sampler, the loss, its
/// gradient, the optimizer and the test error, and lowers the result to
/// `stage`. Errors carry every diagnostic.
Expected<TrainingModule> buildTrainingModule(mlir::MLIRContext &context, const std::string &text,
                                             const TrainingSpec &spec, Stage stage);

/// JIT-compiles a module built for Stage::llvm into a TrainingProgram
/// (Training.cpp): host code for the CPU, or host code that launches the
/// module's PTX through the CUDA runtime (spec.target == Target::cuda).
Expected<std::shared_ptr<const TrainingProgram>>
makeJitTrainingProgram(TrainingModule &built, const TrainingSpec &spec);

} // namespace stde

#endif // STDE_LIB_API_TRAININGMODULE_H
