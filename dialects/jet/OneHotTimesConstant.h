//===- OneHotTimesConstant.h - one-hot tangents through x * c -*- C++ -*-===//
//
// A network that rescales its inputs (x * c, c a per-point constant) turns a
// one-hot tangent e_i into c_i e_i, which the generic product rule stores
// densely: the first dense layer then multiplies R dense tangents by W
// instead of gathering R columns. Where c takes one value s at every
// coordinate the basis vectors may select (1 on the space coordinates of a
// space-time network whose time coordinate alone is scaled, C on the time
// coordinate itself), c_i e_i = s e_i: a one-hot seed with scale s.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_DIALECTS_JET_ONEHOTTIMESCONSTANT_H
#define STDE_DIALECTS_JET_ONEHOTTIMESCONSTANT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <optional>
#include <utility>

namespace mlir::jet {

/// [lo, hi]: every index of `indices` (a tensor of index) lies in it, as its
/// defining op states through InferIntRangeInterface (constants, rng.sample,
/// rng.choice); nullopt when nothing bounds them.
std::optional<std::pair<int64_t, int64_t>> indexBounds(Value indices);

/// The jet of x * c where `xJet` is x's jet and `cJet` the jet of the
/// per-point constant `c` (a vector along x's last axis): when x's jet is a
/// seed (or a collapsed seed) whose tangent coefficients are all one-hot or
/// zero and c takes one value s_j at every index one-hot coefficient j may
/// hold, the same seed with primal x0 * c and scales multiplied by s_j
/// (collapsed again). Null otherwise (the generic rule applies).
Value mulOneHotByConstant(OpBuilder &builder, Location loc, Value xJet, Value cJet,
                          DenseElementsAttr c);

} // namespace mlir::jet

#endif // STDE_DIALECTS_JET_ONEHOTTIMESCONSTANT_H
