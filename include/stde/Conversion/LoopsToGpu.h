//===- LoopsToGpu.h - host loop nests become GPU kernels -------*- C++ -*-===//
#ifndef STDE_CONVERSION_LOOPSTOGPU_H
#define STDE_CONVERSION_LOOPSTOGPU_H

#include "mlir/IR/PatternMatch.h"

namespace stde {

/// memref.copy of rank > 0 outside any parallel loop or kernel -> an
/// scf.parallel of loads and stores (a fill when the source is a splat
/// constant global), so that it runs as a kernel.
void populateCopiesToLoopsPatterns(mlir::RewritePatternSet &patterns);

/// scf.parallel without reductions, outside any other parallel loop or
/// kernel -> a gpu.launch over its linearized iteration space, `blockSize`
/// threads per block, innermost dimension fastest (convert-loops-to-gpu).
void populateParallelLoopsToLaunchesPatterns(mlir::RewritePatternSet &patterns,
                                             int64_t blockSize);

} // namespace stde

#endif // STDE_CONVERSION_LOOPSTOGPU_H
