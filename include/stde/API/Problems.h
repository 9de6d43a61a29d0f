//===- Problems.h - the benchmark PDE problems as IR -----------*- C++ -*-===//
//
// A problem is an MLIR module that stde-train and the training API read:
//   stde.network @u(%theta: tensor<P>, %x: tensor<D>)   the ansatz
//   func.func @loss(%theta: tensor<P>, %xs: tensor<NxD>) -> f32|f64
//                                                       residuals + stde.loss
//   stde.network @u_exact(%x: tensor<D>)                optional: the error
// and the module attribute `stde.domain = "unit_ball"` (points: direction
// uniform on the sphere, radius U(0, 1); MATH.md section 5). The built-in
// problems below are generated in that form (print them with
// `stde-train --problem NAME --emit-problem`), so a new problem starts as a
// copy of one of them.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_PROBLEMS_H
#define STDE_API_PROBLEMS_H

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
  std::string activation = "tanh";
  /// The loss's estimator as attribute text, e.g. "#stde.sparse<samples = 16>".
  std::string estimator = "#stde.sparse<samples = 16>";
  uint64_t coefficientSeed = 0; ///< draws the c_i of the exact solution
};

struct ProblemInfo {
  std::string name, description;
};

/// The built-in problems, with one line each.
const std::vector<ProblemInfo> &problemCatalog();

/// The problem's module as MLIR text, or an error naming what to change.
Expected<std::string> problemModule(const ProblemOptions &options);

/// The closed-form exact solution and source term of a built-in problem at
/// one point, in double precision (the tests compare them with the compiled
/// networks and with the exact Laplacian/biharmonic computed by jets).
struct ExactValues {
  double u, source;
};
Expected<ExactValues> exactValues(const ProblemOptions &options, const std::vector<double> &x);

/// The coefficients c_i of the exact solution (N(0, 1), from Philox).
std::vector<double> problemCoefficients(const ProblemOptions &options);

} // namespace stde

#endif // STDE_API_PROBLEMS_H
