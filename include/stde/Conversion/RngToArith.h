//===- RngToArith.h - rng ops as integer arithmetic patterns ---*- C++ -*-===//
#ifndef STDE_CONVERSION_RNGTOARITH_H
#define STDE_CONVERSION_RNGTOARITH_H

#include "mlir/IR/PatternMatch.h"

namespace stde {

/// Conversion patterns for rng.philox, rng.draw, rng.sample and rng.choice
/// into arith, math, scf and tensor ops (convert-rng-to-arith).
void populateRngToArithPatterns(mlir::RewritePatternSet &patterns);

} // namespace stde

#endif // STDE_CONVERSION_RNGTOARITH_H
