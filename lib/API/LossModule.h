//===- LossModule.h - a problem's loss on the caller's points, as a module -*- C++ -*-===//
#ifndef STDE_LIB_API_LOSSMODULE_H
#define STDE_LIB_API_LOSSMODULE_H

#include "TrainingModule.h"

#include "stde/API/Loss.h"

namespace stde {

/// The training settings a loss program's lowering shares with training.
TrainingSpec trainingSpecOf(const LossSpec &spec);

/// Parses and checks a problem module and composes the loss, its gradient
/// and the operators' values on given points (entry::pointsLoss,
/// pointsGradient, pointsOperators), lowered to `stage`.
Expected<TrainingModule> buildLossModule(mlir::MLIRContext &context, const std::string &text,
                                         const LossSpec &spec, Stage stage);

/// JIT-compiles a module built by buildLossModule for Stage::llvm.
Expected<std::shared_ptr<const LossProgram>> makeJitLossProgram(TrainingModule &built,
                                                                const LossSpec &spec);

} // namespace stde

#endif // STDE_LIB_API_LOSSMODULE_H
