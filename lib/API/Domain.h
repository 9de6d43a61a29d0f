//===- Domain.h - where a problem's points are drawn ------------*- C++ -*-===//
//
// A problem module names its domain in module attributes (Problems.h); the
// training step draws residual points (and, if @loss takes them, boundary
// points) from it with Philox streams keyed by (seed, step):
//
//   "unit_ball"  interior: Gaussian direction normalized, radius U(0, 1)
//                (docs/MATH.md section 5: not uniform in volume);
//                boundary: uniform on the unit sphere.
//   "brownian"   space-time (x, t), for terminal-value problems evaluated
//                from the origin: t ~ U(0, T), x ~ N(0, sigma^2 t I), the law
//                of X_t = sigma W_t (sigma^2 = `stde.diffusion`, default 2,
//                the diffusion whose generator is the Laplacian), so the
//                points cover the region that determines u(0, 0);
//                boundary: the terminal slice t = T, x ~ N(0, sigma^2 T I).
//                Attributes: stde.horizon = T.
//   "gaussian"   space-time (x, t): t ~ U(0, T), x ~ N(0, s^2 I) whatever t
//                (the sampling of the published HJB and Black-Scholes-
//                Barenblatt experiments); boundary: t = T, x ~ N(0, s^2 I).
//                Attributes: stde.horizon = T, optional stde.scale = s (1).
//   "box"        interior: uniform in [lower, upper] (every coordinate,
//                time included); boundary: uniform on the faces of the
//                spatial coordinates (time stays uniform).
//                Attributes: stde.lower, stde.upper (array<f64>, D entries).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_DOMAIN_H
#define STDE_LIB_API_DOMAIN_H

#include "stde/Transforms/RankShare.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace stde {

class NetworkOp;

struct Domain {
  enum class Kind { unitBall, brownian, gaussian, box };
  Kind kind = Kind::unitBall;
  int64_t dim = 0;        ///< D, the network's input dimension
  int64_t spatialDim = 0; ///< D - 1 for space-time networks, else D
  double horizon = 0.0, diffusion = 2.0, scale = 1.0;
  std::vector<double> lower, upper;
};

/// Reads the module's domain attributes for the network `u`; errors say
/// what to write.
mlir::FailureOr<Domain> readDomain(mlir::ModuleOp module, NetworkOp u);

/// A private function `@name(%seed: i64, %step: i64) -> tensor<N x D x T>`
/// at the end of `module`, drawing n interior (or boundary) points from the
/// stream pair. With a partial `share`, the n points are the rank's rows of
/// a batch of n x ranks points (stde/Transforms/RankShare.h).
mlir::func::FuncOp buildSampler(mlir::OpBuilder &b, mlir::ModuleOp module, const Domain &domain,
                                mlir::Type element, llvm::StringRef name, int64_t n,
                                uint32_t stream, uint32_t auxStream, bool boundary,
                                RankShare share = {});

} // namespace stde

#endif // STDE_LIB_API_DOMAIN_H
