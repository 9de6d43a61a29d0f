//===- Passes.td - passes within a level, grouped by level ---*- tablegen -*-===//
//
// One file per level, in the order data passes through them (docs/DESIGN.md,
// "The path data takes"); this file gathers them for -gen-pass-decls.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_PASSES_TD
#define STDE_TRANSFORMS_PASSES_TD

include "stde/Transforms/ProblemPasses.td"
include "stde/Transforms/JetPasses.td"
include "stde/Transforms/ZeroOrderPasses.td"
include "stde/Transforms/TensorPasses.td"
include "stde/Transforms/LoopPasses.td"

#endif // STDE_TRANSFORMS_PASSES_TD
