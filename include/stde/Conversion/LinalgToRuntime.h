//===- LinalgToRuntime.h - matrix products as runtime calls ----*- C++ -*-===//
#ifndef STDE_CONVERSION_LINALGTORUNTIME_H
#define STDE_CONVERSION_LINALGTORUNTIME_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace stde {

/// The pattern turning a matrix product on buffers with at least `minFlops`
/// multiply-adds into a call of the runtime's matmul (convert-linalg-to-runtime).
void populateLinalgToRuntimePatterns(mlir::RewritePatternSet &patterns, int64_t minFlops);

/// Marks those products illegal and everything else legal.
void addLinalgToRuntimeLegality(mlir::ConversionTarget &target, int64_t minFlops);

} // namespace stde

#endif // STDE_CONVERSION_LINALGTORUNTIME_H
