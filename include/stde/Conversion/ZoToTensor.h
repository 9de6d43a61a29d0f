//===- ZoToTensor.h - subspace bases as tensor algebra ---------*- C++ -*-===//
#ifndef STDE_CONVERSION_ZOTOTENSOR_H
#define STDE_CONVERSION_ZOTOTENSOR_H

#include "mlir/IR/PatternMatch.h"

namespace stde {

/// The conversion pattern of zo.basis: a Gaussian rng.draw orthonormalized by
/// Cholesky-QR (convert-zo-to-tensor).
void populateZoToTensorPatterns(mlir::RewritePatternSet &patterns);

} // namespace stde

#endif // STDE_CONVERSION_ZOTOTENSOR_H
