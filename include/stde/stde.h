//===- stde.h - the public C++ API of stde ---------------------*- C++ -*-===//
#ifndef STDE_STDE_H
#define STDE_STDE_H

#include "stde/API/Compiler.h"
#include "stde/API/Estimator.h"
#include "stde/API/Field.h"
#include "stde/API/JetKernel.h"
#include "stde/API/Loss.h"
#include "stde/API/Memory.h"
#include "stde/API/ProblemBuilder.h"
#include "stde/API/Problems.h"
#include "stde/API/Training.h"
#include "stde/API/TrainingRun.h"
#include "stde/API/Status.h"

#endif // STDE_STDE_H
