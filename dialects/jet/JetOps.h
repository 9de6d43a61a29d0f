//===- JetOps.h - jet construction, propagation and extraction -----------===//
#ifndef STDE_DIALECTS_JET_JETOPS_H
#define STDE_DIALECTS_JET_JETOPS_H

#include "dialects/jet/JetDialect.h"

#define GET_OP_CLASSES
#include "dialects/jet/JetOps.h.inc"

#endif // STDE_DIALECTS_JET_JETOPS_H
