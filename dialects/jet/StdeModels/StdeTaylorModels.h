//===- StdeTaylorModels.h - Taylor rules of stde's network ops -*- C++ -*-===//
#ifndef DIALECTS_JET_STDEMODELS_STDETAYLORMODELS_H
#define DIALECTS_JET_STDEMODELS_STDETAYLORMODELS_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::jet {

/// Attaches TaylorOpInterface to stde.dense, stde.activation, stde.sqnorm and
/// stde.sum (library JetStdeTaylorModels).
void registerStdeTaylorModels(DialectRegistry &registry);

} // namespace mlir::jet

#endif // DIALECTS_JET_STDEMODELS_STDETAYLORMODELS_H
