//===- InitAllStde.h - one registration for every stde tool -----*- C++ -*-===//
//
// Every tool (stde-opt, stde-translate, stde-train, the API) registers the
// same dialects, interfaces and passes through these two calls, so a pipeline
// that works in one tool works in all of them.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_INITALLSTDE_H
#define STDE_INITALLSTDE_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace stde {
/// Our dialects, the upstream dialects we lower to, and the interface models
/// attached to them.
void registerAllDialects(mlir::DialectRegistry &registry);
/// Our passes and the upstream passes our pipelines use.
void registerAllPasses();
} // namespace stde

#endif // STDE_INITALLSTDE_H
