//===- TensorAlgebra.h - Taylor coefficients as tensors -------------------===//
//
// The coefficient algebra that the recurrences of TaylorRecurrences.h run on
// when convert-jet-to-tensor emits code. A coefficient keeps its structure:
//   zero    no value at all (terms with it vanish at compile time);
//   onehot  the index tensor<R x index> and a compile-time scale: the
//           coefficient of direction r is scale * e_{idx[r]} (last axis);
//   shared  one tensor<S> for every direction;
//   dense   a tensor<R x S>;
//   summed  (top coefficient only) a tensor<S> holding the sum over the
//           directions: sums and common factors keep it summed, anything
//           per direction added to it is summed first.
// Shared operands meet dense ones through a broadcast along the direction
// axis; onehot coefficients are materialized only where an op needs values.
// Coefficients are normalized (a_k = v_k / k!).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_CONVERSION_JETTOTENSOR_TENSORALGEBRA_H
#define STDE_LIB_CONVERSION_JETTOTENSOR_TENSORALGEBRA_H

#include "dialects/jet/JetDialect.h"

#include "mlir/IR/Builders.h"

namespace mlir::jet {

struct TensorCoeff {
  CoefficientKind kind = CoefficientKind::zero;
  Value value;
  double scale = 1.0; // onehot only
};

class TensorAlgebra {
public:
  using Coeff = TensorCoeff;

  /// Coefficients of jets over `base` with `directions` directions.
  TensorAlgebra(OpBuilder &builder, Location loc, RankedTensorType base, int64_t directions)
      : b(builder), loc(loc), base(base), directions(directions) {}

  Coeff zero() { return {}; }
  Coeff constant(double value);
  Coeff add(Coeff lhs, Coeff rhs);
  Coeff sub(Coeff lhs, Coeff rhs);
  Coeff mul(Coeff lhs, Coeff rhs);
  Coeff div(Coeff lhs, Coeff rhs);
  Coeff scale(Coeff coeff, double factor);
  Coeff primal(ElementwiseFn fn, Coeff x);

  /// The dense tensor<R x S> of a coefficient (zeros for zero).
  Value dense(Coeff coeff);
  /// A coefficient stored as `kind`, which must be at least as general (or
  /// summed: the sum over the directions, for jet.collapse).
  Coeff conform(Coeff coeff, CoefficientKind kind);
  /// The tensor<S> sum over the directions of a coefficient.
  Value directionSum(Coeff coeff);
  /// Whether a rule met a combination collapsed mode cannot express (an
  /// error was emitted at the op's location).
  bool hasFailed() const { return failed; }

  RankedTensorType getBase() const { return base; }
  RankedTensorType getDenseType() const;
  Type getElementType() const { return base.getElementType(); }

private:
  Value splat(RankedTensorType type, double value);
  void fail(const Twine &message);
  Value broadcastDirections(Value shared);
  Value materializeOneHot(Coeff coeff);
  /// lhs `op` rhs elementwise once both have the same storage.
  template <typename ArithOp> Coeff elementwise(Coeff lhs, Coeff rhs);

  OpBuilder &b;
  Location loc;
  RankedTensorType base;
  int64_t directions;
  bool failed = false;
};

} // namespace mlir::jet

#endif // STDE_LIB_CONVERSION_JETTOTENSOR_TENSORALGEBRA_H
