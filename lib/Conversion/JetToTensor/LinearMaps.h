//===- LinearMaps.h - maps applied to every coefficient of a jet -*- C++ -*-===//
//
// The (bi)linear maps of convert-jet-to-tensor: each acts on every Taylor
// coefficient of its input jets and keeps the coefficients' structure.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_CONVERSION_JETTOTENSOR_LINEARMAPS_H
#define STDE_LIB_CONVERSION_JETTOTENSOR_LINEARMAPS_H

#include "TensorAlgebra.h"
#include "dialects/jet/JetOps.h"
#include "dialects/jet/TaylorRecurrences.h"

namespace mlir::jet {

/// A lowered jet: the normalized coefficients a_0 (primal) .. a_K.
using Lowered = taylor::Series<TensorAlgebra>;

/// Sum over the last axis of `value`.
Value reduceLastAxis(OpBuilder &b, Location loc, Value value);
/// value[..., offset : offset + size] on the last axis.
Value sliceLastAxis(OpBuilder &b, Location loc, Value value, int64_t offset, int64_t size);
/// value repeated along a new last axis of `extent`.
Value broadcastLastAxis(OpBuilder &b, Location loc, Value value, int64_t extent);

/// The first position of the largest entry on the last axis of `primal`
/// (tensor<B... x D> -> tensor<B... x index>).
Value argmaxLastAxis(OpBuilder &b, Location loc, Value primal);
/// jet.max: every coefficient of `in` read at `argmax` (argmaxLastAxis of
/// its primal); a one-hot coefficient reads its scale where its index is
/// the argmax.
Lowered readAtArgmax(OpBuilder &b, Location loc, const TensorAlgebra &alg, const Lowered &in,
                     Value argmax);

/// y[..., j] = sum_k value[..., k K + j] for K = `block` (jet.fold_blocks).
Value foldLastAxis(OpBuilder &b, Location loc, Value value, int64_t block);
/// idx mod K for every direction's one-hot index: e_i folds to e_{i mod K}.
Value foldIndices(OpBuilder &b, Location loc, Value indices, int64_t block);

/// Applies a map of stored tensors to every coefficient: `map` receives the
/// stored value of a shared, summed or dense coefficient; onehot ones are
/// made dense first, zeros stay zero.
template <typename Map>
Lowered mapCoefficients(TensorAlgebra &alg, const Lowered &in, Map map) {
  Lowered out;
  for (TensorCoeff c : in) {
    if (c.kind == CoefficientKind::zero) {
      out.push_back(c);
      continue;
    }
    if (c.kind == CoefficientKind::onehot)
      c = {CoefficientKind::dense, alg.dense(c)};
    out.push_back({c.kind, map(c.value)});
  }
  return out;
}

/// jet.dense: x_k W^T (+ b on the primal) with W and b read from the
/// parameters in place; one-hot tangents become column gathers.
Lowered lowerDenseLayer(OpBuilder &b, Location loc, DenseOp op, const Lowered &in);
/// jet.linear: the same with W (and b) given as values.
Lowered lowerLinearMap(OpBuilder &b, Location loc, LinearOp op, const Lowered &in);
/// jet.dot: c_k = sum_{i+j=k} sum_last(a_i * b_j) with `in` the factors'
/// algebra and `out` the result's.
Lowered lowerDot(OpBuilder &b, Location loc, TensorAlgebra &in, TensorAlgebra &out,
                 const Lowered &lhs, const Lowered &rhs);

} // namespace mlir::jet

#endif // STDE_LIB_CONVERSION_JETTOTENSOR_LINEARMAPS_H
