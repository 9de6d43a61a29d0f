//===- TrainingEntries.h - what buildTrainingModule composes ---*- C++ -*-===//
//
// The functions a training module is made of, built on the problem module:
// at the problem level the step's loss (points drawn, then @loss) and the
// test error's chunk; at the tensor level, after the loss is lowered, the
// entry points with their fixed signatures (EntryPoints.h).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_TRAININGENTRIES_H
#define STDE_LIB_API_TRAININGENTRIES_H

#include "EntryPoints.h"
#include "TrainingModule.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <vector>

namespace stde::training {

using mlir::RankedTensorType;
using mlir::Type;

constexpr const char *kInteriorSampler = "stde_sample_interior";
constexpr const char *kBoundarySampler = "stde_sample_boundary";
constexpr const char *kTestSampler = "stde_sample_test";
/// The step's loss (its gradient: kStepLoss + "_grad"; zo-update's
/// functions: + "_zo", "_zo_step", ...) and the test error's chunk.
constexpr const char *kStepLoss = "stde_step_loss";
constexpr const char *kEvalChunk = "stde_eval_chunk";

/// The element type and the types of one training module's values.
struct Types {
  Type element;
  RankedTensorType theta;
  RankedTensorType vec(int64_t n) const { return RankedTensorType::get({n}, element); }
  RankedTensorType mat(int64_t n, int64_t d) const {
    return RankedTensorType::get({n, d}, element);
  }
};

/// The samplers, @stde_step_loss and @stde_eval_chunk (problem level).
void addProblemLevelFunctions(mlir::OpBuilder &b, mlir::ModuleOp module, const Types &ty,
                              const TrainingModuleInfo &info);
/// stde_sample_points, stde_test_error, stde_loss, ... (both methods).
void buildCommonEntries(mlir::OpBuilder &b, mlir::ModuleOp module, const Types &ty,
                        const TrainingModuleInfo &info, std::vector<EntrySignature> &entries);
/// stde_train_step and stde_gradient (STDE).
void buildStdeEntries(mlir::OpBuilder &b, mlir::ModuleOp module, const Types &ty,
                      const TrainingModuleInfo &info, const TrainingSpec &spec,
                      std::vector<EntrySignature> &entries);
/// stde_zo_step and stde_zo_fold (zeroth order), or with `probes` only
/// stde_zo_pair and stde_zo_directions (EntrySet::zoProbes).
void buildZoEntries(mlir::OpBuilder &b, mlir::ModuleOp module, const Types &ty,
                    const TrainingModuleInfo &info, bool probes,
                    std::vector<EntrySignature> &entries);

} // namespace stde::training

#endif // STDE_LIB_API_TRAININGENTRIES_H
