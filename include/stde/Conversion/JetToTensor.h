//===- JetToTensor.h - jets become tensors ----------------------*- C++ -*-===//
#ifndef STDE_CONVERSION_JETTOTENSOR_H
#define STDE_CONVERSION_JETTOTENSOR_H

#include "mlir/Transforms/DialectConversion.h"

namespace stde {

/// A jet as the tensors that store it (a 1:N conversion): its primal
/// tensor<S>, then for every coefficient k >= 1 what its structure stores:
/// nothing for zero, tensor<S> for shared and summed, tensor<R x S> for
/// dense, and for onehot the index tensor<R x index> followed by an f64
/// scale (the coefficient of direction r is scale * e_{idx[r]}). The scale is
/// always an arith.constant, so the patterns keep it a compile-time number.
/// Every other type is kept.
class JetTypeConverter : public mlir::TypeConverter {
public:
  JetTypeConverter();
};

/// The conversion patterns of every jet op but jet.pushforward (which
/// --jet-expand removes) to tensor, linalg and arith (convert-jet-to-tensor).
void populateJetToTensorPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);

} // namespace stde

#endif // STDE_CONVERSION_JETTOTENSOR_H
