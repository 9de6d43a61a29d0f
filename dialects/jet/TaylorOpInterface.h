//===- TaylorOpInterface.h - Taylor rules of primitives -------------------===//
#ifndef STDE_DIALECTS_JET_TAYLOROPINTERFACE_H
#define STDE_DIALECTS_JET_TAYLOROPINTERFACE_H

#include "dialects/jet/JetDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir::jet {

/// What a Taylor rule sees while a network is expanded at a batch of points:
/// the jets of the values already expanded, the parameter buffer, and how a
/// per-point type is batched (a leading axis of N points).
class JetExpansion {
public:
  /// `networkParams` is the network's parameter argument, `params` the value
  /// it stands for at the expansion site (both null for a fixed field).
  JetExpansion(int64_t batch, int64_t order, int64_t directions, Value networkParams,
               Value params)
      : batch(batch), order(order), directions(directions), networkParams(networkParams),
        params(params) {}

  int64_t getBatch() const { return batch; }
  int64_t getOrder() const { return order; }
  int64_t getDirections() const { return directions; }
  /// The parameter buffer at the expansion site for the network's parameter
  /// argument `inNetwork`; null for any other value.
  Value resolveParams(Value inNetwork) const {
    return inNetwork && inNetwork == networkParams ? params : Value();
  }

  /// The jet of a per-point value of the network body (null if none yet).
  Value lookup(Value perPoint) const { return jets.lookupOrNull(perPoint); }
  void map(Value perPoint, Value jet) { jets.map(perPoint, jet); }
  /// The jet of operand `index` of `op`, or an error on `op` naming it.
  FailureOr<Value> operandJet(Operation *op, unsigned index) const;

  /// tensor<N x shape x T> for a per-point tensor<shape x T> or scalar T.
  RankedTensorType batchedType(Type perPoint) const;
  /// The jet type of a per-point type with the given structure.
  JetType jetType(Type perPoint, ArrayRef<CoefficientKind> structure) const;
  /// A jet constant along the curve: every point gets `value` (a scalar or
  /// dense elements attribute of the per-point type), all coefficients zero.
  Value constant(OpBuilder &builder, Location loc, TypedAttr value) const;
  /// The same for a per-point value computed without the point (a tensor or
  /// scalar of the per-point type, defined before the builder's position).
  Value constant(OpBuilder &builder, Location loc, Value perPoint) const;

private:
  /// A jet with the batched `primal` and all coefficients zero.
  Value constantOfPrimal(OpBuilder &builder, Location loc, Value primal) const;

  int64_t batch, order, directions;
  Value networkParams, params;
  IRMapping jets;
};

/// Attaches TaylorOpInterface to the upstream ops networks use: arith
/// (constant, addf, subf, mulf, divf, negf), math (tanh, sin, cos, exp, log,
/// sqrt, fpowi, powf with an integral constant exponent) and tensor
/// (extract_slice, extract, splat).
void registerTaylorExternalModels(DialectRegistry &registry);

} // namespace mlir::jet

#include "dialects/jet/TaylorOpInterface.h.inc"

#endif // STDE_DIALECTS_JET_TAYLOROPINTERFACE_H
