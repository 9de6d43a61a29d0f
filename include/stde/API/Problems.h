//===- Problems.h - the benchmark PDE problems as IR -----------*- C++ -*-===//
//
// A problem is an MLIR module that stde-train and the training API read:
//   stde.network @u(%theta: tensor<P>, %x: tensor<D>)   the ansatz (mark it
//                                   `attributes {space_time}` when x ends in t)
//   func.func @loss(%theta: tensor<P>, %xs: tensor<NxD>[, %xb: tensor<MxD>])
//                   -> f32|f64      residuals + stde.loss; %xb, if taken, are
//                                   boundary (or terminal) points
//   stde.network @u_exact(%x: tensor<D>)   optional: relative L2 error on
//                                          test points drawn like %xs
// or, instead of @u_exact, a reference value at one point (the error is
// |u(p) - v| / |v|):  stde.reference = {value = v : f64[, point = array<f64: ...>]}
// (the point defaults to the origin). The module attribute `stde.domain`
// says where points are drawn:
//   "unit_ball"  direction uniform on the sphere, radius U(0, 1) (docs/MATH.md
//                section 5); boundary points on the sphere;
//   "brownian"   (x, t) with t ~ U(0, T), x ~ N(0, sigma^2 t I), for
//                terminal-value problems evaluated from the origin
//                (stde.horizon = T, optional stde.diffusion = sigma^2 = 2);
//                boundary points on t = T;
//   "gaussian"   (x, t) with t ~ U(0, T), x ~ N(0, s^2 I) (stde.horizon = T,
//                optional stde.scale = s = 1); boundary points on t = T;
//   "box"        uniform in [stde.lower, stde.upper] (array<f64>, D entries);
//                boundary points on the faces of the space coordinates.
// The built-in problems below are built in that form with ProblemBuilder
// (print them with `stde-train --problem NAME --emit-problem`), so a new
// problem starts as a copy of one of them, as a file or in C++.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_PROBLEMS_H
#define STDE_API_PROBLEMS_H

#include "stde/API/Estimator.h"
#include "stde/API/Field.h"
#include "stde/API/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace stde {

struct ProblemOptions {
  std::string name = "allen-cahn-two-body";
  int64_t dim = 100;
  int64_t width = 128;     ///< hidden width
  int64_t depth = 4;       ///< dense layers (depth - 1 hidden layers)
  int64_t points = 100;    ///< residual points per step (N)
  DType dtype = DType::f32;
  ActivationKind activation = ActivationKind::tanh;
  /// The loss's estimator (problems whose derivatives are always exact jets ignore it).
  Estimator estimator = Estimator::sparse(16);
  uint64_t coefficientSeed = 0; ///< draws the c_i of the exact solution
  /// > 0: the first layer shares one width x shareBlock weight block across
  /// every block of shareBlock input coordinates (it reads the folded input,
  /// FieldBuilder::foldBlocks); it must divide the network's input size.
  int64_t shareBlock = 0;
  /// > 0: gradient-enhanced (gPINN) loss, adding gradientWeight times the
  /// mean of |grad_x r|^2 of the PDE residual r (ProblemBuilder::
  /// gradientEnhanced), over gradientSamples sampled coordinates per step
  /// (0: all of them).
  double gradientWeight = 0.0;
  int64_t gradientSamples = 0;
  /// With gradientWeight: the gradient term also takes the partial along t
  /// (space-time problems).
  bool gradientTime = false;
  /// The unbiased loss form (ProblemBuilder::unbiasedLoss): random residuals
  /// computed twice with independent draws, L = sum_i w_i mean(r_i r_i').
  bool unbiasedLoss = false;
  /// Space-time problems: the network reads (x, timeScale t) (> 0; 1: t as
  /// it is). Near sqrt(d) it balances t against the d space coordinates at
  /// the first layer (spaceTimeMLP in the problem library).
  double timeScale = 1.0;
};

struct ProblemInfo {
  std::string name, description;
  std::string domain = "unit_ball"; ///< "unit_ball", "brownian", "gaussian" or "box" (above)
  int64_t fixedDim = 0;             ///< the only space dimension allowed (0: any)
  bool usesEstimator = true;        ///< false: its derivatives are always exact jets
};

/// The built-in problems, with one line each.
const std::vector<ProblemInfo> &problemCatalog();

/// Whether the built-in problem `name` is a space-time problem (its network
/// reads (x, t), t last); false for other and unknown names.
bool problemHasTime(const std::string &name);

/// Success, or the error problemModule would give for these options (an
/// unknown name, a dimension the problem does not have, with `drawLimits`
/// more coordinates than one random stream draws), without building anything.
Status problemOptionsValid(const ProblemOptions &options, bool drawLimits = true);

/// The problem's module as MLIR text, or an error naming what to change.
Expected<std::string> problemModule(const ProblemOptions &options);

class ProblemBuilder;
/// The problem's builder (problemModule prints what it builds).
Expected<ProblemBuilder> problemBuilder(const ProblemOptions &options);

/// The closed-form exact solution and source term of a built-in problem at
/// one point, in double precision (the tests compare them with the compiled
/// networks and with the exact Laplacian/biharmonic computed by jets). For
/// the space-time problems x = (x, t) and the source is 0; "hjb-lqg" is
/// computed by quadrature (Cole-Hopf); "semilinear-heat", "allen-cahn-time"
/// and "sine-gordon-time" have no closed form (an error).
struct ExactValues {
  double u, source;
};
Expected<ExactValues> exactValues(const ProblemOptions &options, const std::vector<double> &x);

/// The coefficients c_i of the exact solution (N(0, 1), from Philox).
std::vector<double> problemCoefficients(const ProblemOptions &options);

} // namespace stde

#endif // STDE_API_PROBLEMS_H
