//===- Diffusion.h - diffusion generators and gradient norms as jets -------===//
//
// stde.diffusion: (1/2) tr(sigma sigma^T Hess u) + b . grad u with sigma and b
// given per point, by sigma-transformed tangents (docs/MATH.md section 2:
// the parabolic term is (1/2) sum_i d2u(sigma e_i, 0)). stde.grad_norm:
// sum_i |u_i|^p from order-1 jets along basis vectors (or, for p = 2, random
// tangents).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_LOWEROPERATORS_DIFFUSION_H
#define STDE_TRANSFORMS_LOWEROPERATORS_DIFFUSION_H

#include "Estimators.h"

namespace stde::lowering {

/// The diffusion generator at every point (tensor<N x T>), by `estimator`
/// (exact, sparse or dense); failure is diagnosed at the emitter's location.
mlir::FailureOr<mlir::Value> emitDiffusion(GroupEmitter &emitter, DiffusionOp op,
                                           mlir::Attribute estimator,
                                           const RandomSource &random);

/// sum_i |u_i|^p at every point (tensor<N x T>), by `estimator`.
mlir::FailureOr<mlir::Value> emitGradNorm(GroupEmitter &emitter, GradNormOp op,
                                          mlir::Attribute estimator,
                                          const RandomSource &random);

} // namespace stde::lowering

#endif // STDE_TRANSFORMS_LOWEROPERATORS_DIFFUSION_H
