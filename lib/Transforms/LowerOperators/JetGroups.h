//===- JetGroups.h - emit batched jet pushforwards and their read-out -----===//
//
// A group is one jet.pushforward of R directions: per slot a tangent (zero,
// one-hot indices tensor<R x index>, or dense tensor<R x N x D>), and per
// coefficient it reads, one weight per direction. Its contribution to the
// operator is sum_r w_r d^k u(x_n; r) for every point n.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_LOWEROPERATORS_JETGROUPS_H
#define STDE_TRANSFORMS_LOWEROPERATORS_JETGROUPS_H

#include "dialects/jet/JetDialect.h"
#include "dialects/stde/StdeOps.h"
#include "stde/Planner/JetPlanner.h"

#include "mlir/IR/Builders.h"

namespace stde::lowering {

struct SlotTangent {
  mlir::jet::CoefficientKind kind = mlir::jet::CoefficientKind::zero;
  mlir::Value value; // tensor<R x index> (onehot) or tensor<R x N x D> (dense)
};

struct JetGroup {
  int64_t order = 1;
  int64_t directions = 1;
  llvm::SmallVector<SlotTangent> slots; // slot j at index j - 1
  /// (coefficient k >= 1, weights tensor<R x T>)
  llvm::SmallVector<std::pair<int64_t, mlir::Value>> reads;
};

/// Emits groups for one network applied to one batch of points.
class GroupEmitter {
public:
  GroupEmitter(mlir::OpBuilder &builder, mlir::Location loc, NetworkOp network,
               mlir::Value params, mlir::Value points);

  /// sum over reads of sum_r w_r d^k u: a tensor<N x T>.
  mlir::Value emit(const JetGroup &group);
  /// The reads of a group whose R = m * S directions are m blocks of S
  /// (direction j * S + s), summed per block: a tensor<m x N x T>.
  mlir::Value emitPerBlock(const JetGroup &group, int64_t blocks);
  /// Every coefficient k of a group of R directions, tensor<R x N x T> each
  /// (k = 0: tensor<N x T>), for operators that read them directly.
  llvm::SmallVector<mlir::Value> emitCoefficients(const JetGroup &group);
  /// u at every point (pushed once, reused).
  mlir::Value primal();

  /// The groups of an exact plan over concrete coordinates, by shape:
  /// jets of one order and one slot structure share a pushforward.
  llvm::SmallVector<JetGroup> groupsOf(const planner::Plan &plan);
  /// The contribution of an exact plan: tensor<N x T> (null if empty).
  mlir::Value emitPlan(const planner::Plan &plan);

  //===--- Building blocks ---===//
  mlir::Value indexConstant(llvm::ArrayRef<int64_t> values);
  mlir::Value weightsConstant(llvm::ArrayRef<double> values);
  mlir::Value splat(mlir::RankedTensorType type, double value);
  /// Rows v_r (R x D) as the same tangent at every point: tensor<R x N x D>.
  mlir::Value denseRows(llvm::ArrayRef<std::vector<double>> rows);
  /// Pad a tensor<R x N x Ds> of spatial tangents with zeros to D.
  mlir::Value padToInput(mlir::Value spatial);
  /// sum_r w_r c_{r, n}.
  mlir::Value contract(mlir::Value weights, mlir::Value coefficient);
  mlir::Value add(mlir::Value sum, mlir::Value term);
  mlir::Value scale(mlir::Value values, double factor);

  int64_t numPoints() const { return points; }
  int64_t inputDim() const { return dim; }
  mlir::Type elementType() const { return element; }
  mlir::OpBuilder &builder() { return b; }
  mlir::Location location() const { return loc; }

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
  NetworkOp network;
  mlir::Value params, pointsValue;
  int64_t points, dim;
  mlir::Type element;
  mlir::Value cachedPrimal;
};

} // namespace stde::lowering

#endif // STDE_TRANSFORMS_LOWEROPERATORS_JETGROUPS_H
