//===- Philox.h - Philox4x32-10 and its derived draws as arith ops --------===//
#ifndef STDE_CONVERSION_RNGTOARITH_PHILOX_H
#define STDE_CONVERSION_RNGTOARITH_PHILOX_H

#include "mlir/IR/Builders.h"

#include <array>

namespace stde::philox {

/// One Philox4x32-10 block (Salmon et al., SC'11; constants in docs/MATH.md §6)
/// as 32-bit integer arithmetic: identical results on every target.
std::array<mlir::Value, 4> emitPhilox(mlir::OpBuilder &b, mlir::Location loc,
                                      mlir::Value k0, mlir::Value k1,
                                      std::array<mlir::Value, 4> counter);

/// The block for element `index` (an index value) of a stream at a step:
/// key = (seed lo, seed hi), counter = (index, stream, step lo, step hi).
std::array<mlir::Value, 4> emitBlock(mlir::OpBuilder &b, mlir::Location loc,
                                     mlir::Value seed, mlir::Value step,
                                     uint32_t stream, mlir::Value index);

/// A uniform number in [0, 1) of type `type` (53 bits from two words for
/// f64, 24 bits from one word for f32).
mlir::Value emitUniform(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                        mlir::Value hi, mlir::Value lo);

/// An integer uniform in [0, bound) (i64 `bound` > 0) from two words: the
/// high half of the 64 x 64-bit product, bias below bound / 2^64.
mlir::Value emitBelow(mlir::OpBuilder &b, mlir::Location loc, mlir::Value hi,
                      mlir::Value lo, mlir::Value bound);

} // namespace stde::philox

#endif // STDE_CONVERSION_RNGTOARITH_PHILOX_H
