//===- Estimators.h - operators as jets: exact, sparse and dense STDE -----===//
//
// Each estimator turns a linear operator (a planner::LinearForm over the
// network's input coordinates) into jet groups whose weighted coefficients
// sum to the operator (exact) or to an unbiased estimate of it.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_LOWEROPERATORS_ESTIMATORS_H
#define STDE_TRANSFORMS_LOWEROPERATORS_ESTIMATORS_H

#include "JetGroups.h"
#include "dialects/rng/RngOps.h"
#include "stde/Transforms/RankShare.h"

namespace stde::lowering {

/// Where random numbers come from: the Philox key and step, and the stream
/// of this operator; roles are added to `stream`.
struct RandomSource {
  mlir::Value seed, step;
  uint32_t stream = 0;
  /// The rank's share of the points (stde/Transforms/RankShare.h): draws
  /// made per point take the rank's rows of the whole batch's draw.
  RankShare share;
};

/// Roles within an operator's streams.
enum Role : uint32_t {
  roleTangents = 0,          // dense random tangents
  roleCorrection = 1,        // the Rademacher biharmonic's diagonal sample
  roleFirstTermClass = 8,    // sparse: class c samples with role 8 + c
};

/// sum_alpha C_alpha D^alpha u, every jet and constant chosen by the planner.
mlir::Value emitExact(GroupEmitter &emitter, planner::JetPlanner &planner,
                      const planner::LinearForm &op);

/// Sparse STDE. Terms are grouped by pattern (u_ii, u_iij, ...); the samples
/// are split over the classes in proportion to their weight sum |C|. A class
/// with equal |C_alpha| is sampled without replacement and rescaled by
/// T/|J|; otherwise term alpha is drawn with probability |C_alpha|/Z and
/// weighted sign(C_alpha) Z/|J|. A class no larger than its sample count is
/// computed exactly.
/// `sampled` (when given) says whether any term class was sampled: false
/// when every class has no more terms than its share of the samples, and
/// the estimate is the exact operator.
mlir::Value emitSparse(GroupEmitter &emitter, planner::JetPlanner &planner,
                       const planner::LinearForm &op, int64_t samples,
                       const RandomSource &random, uint32_t firstRole = roleFirstTermClass,
                       bool *sampled = nullptr);

/// d/dx_j of sum_alpha C_alpha D^alpha u at every point for every coordinate
/// j of `along` (tensor<m x index>): a tensor<m x N>. Each term alpha becomes
/// D^(alpha + e_j); `samples` = 0 computes every term, else each term class
/// gets its share of the samples as in emitSparse, split over the m
/// coordinates: max(1, share / m) terms per j, drawn independently for each
/// j (with replacement), so that every j's partial is an unbiased estimate
/// of its own.
mlir::Value emitPartials(GroupEmitter &emitter, planner::JetPlanner &planner,
                         const planner::LinearForm &op, int64_t samples, mlir::Value along,
                         const RandomSource &random, uint32_t firstRole = roleFirstTermClass);

/// d/dx_j of the Laplacian (over the first `spatial` coordinates) for every
/// j of `along`: (1/q) sum_s D^3 u[z_s, z_s, e_j] over q = max(1, S / m)
/// random tangents z per j (E[z z^T] = I): tensor<m x N>.
mlir::FailureOr<mlir::Value>
emitDenseLaplacianPartials(GroupEmitter &emitter, planner::JetPlanner &planner, int64_t spatial,
                           mlir::rng::Distribution distribution, int64_t samples,
                           mlir::Value along, const RandomSource &random);

/// Dense STDE for operators of order <= 2: the second-order part
/// <Hess u, C> = E[d2u(M+ z)] - E[d2u(M- z)] with C = M+ M+^T - M- M-^T from
/// the eigendecomposition of sym(C) and E[z z^T] = I (Hutchinson for the
/// Laplacian, where M+ = I); lower orders exactly. Fails (with an error at
/// the emitter's location) when the draw or the mixing would be too large.
mlir::FailureOr<mlir::Value> emitDenseSecondOrder(GroupEmitter &emitter, planner::JetPlanner &planner,
                                 const planner::LinearForm &op,
                                 mlir::rng::Distribution distribution, int64_t samples,
                                 const RandomSource &random);

/// Dense STDE for the biharmonic over the first `spatial` coordinates:
/// Gaussian (1/3) E[d4u(v)]; Rademacher (1/3)(E[d4u(v)] + 2 sum_i u_iiii), the
/// diagonal sparse-sampled with the same sample count.
mlir::FailureOr<mlir::Value> emitDenseBiharmonic(GroupEmitter &emitter, planner::JetPlanner &planner,
                                int64_t spatial, mlir::rng::Distribution distribution,
                                int64_t samples, const RandomSource &random);

/// rng.draw of `shape` (samples x points x coordinates) from `random`'s
/// stream + `role`, or an error that says what to change when the draw is
/// more than one random stream holds.
mlir::FailureOr<mlir::Value> drawTangents(GroupEmitter &emitter,
                                          mlir::rng::Distribution distribution,
                                          llvm::ArrayRef<int64_t> shape,
                                          const RandomSource &random, uint32_t role);

/// grad u . v at every point (tensor<N x T>): one order-1 jet along v, the
/// same for all points (tensor<Ds x T>) or one per point (tensor<N x Ds x T>).
mlir::Value emitDirectional(GroupEmitter &emitter, mlir::Value direction);

/// The operators as linear forms over the input coordinates.
planner::LinearForm laplacianForm(int64_t spatial);
planner::LinearForm biharmonicForm(int64_t spatial);
/// The biharmonic's form has spatial * (spatial + 1) / 2 terms: the sparse
/// and exact estimators, which enumerate them, take at most this many.
constexpr int64_t kMaxBiharmonicTerms = int64_t(1) << 21;

} // namespace stde::lowering

#endif // STDE_TRANSFORMS_LOWEROPERATORS_ESTIMATORS_H
