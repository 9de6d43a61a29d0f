//===- TrainingChecks.h - settings checked before compiling ----*- C++ -*-===//
//
// Each returns "" when the settings are usable, else a message that says what
// to change (they become IR constants and loop bounds: a bad one would not
// even parse, or would allocate without bound).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_TRAININGCHECKS_H
#define STDE_LIB_API_TRAININGCHECKS_H

#include "TrainingModule.h"

#include <string>

namespace stde::training {

std::string checkOptimizerSpec(const TrainingSpec &spec);
std::string checkPointDraws(const TrainingModuleInfo &info);
std::string checkZoSpec(const ZoSpec &z, OptimizerKind optimizer);
std::string checkDataParallel(const TrainingSpec &spec);

} // namespace stde::training

#endif // STDE_LIB_API_TRAININGCHECKS_H
