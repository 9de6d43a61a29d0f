//===- ProblemBuilder.h - trainable problems built from C++ ----*- C++ -*-===//
//
// A ProblemBuilder states a PINN problem in C++: the trained field u (a
// Field), fixed fields of the point (a source term, the exact solution),
// residual columns made of operators applied to u (the value, Laplacian,
// biharmonic, any mixed partial, a directional derivative, time
// derivatives) and arithmetic, the loss and its weights, the estimator and
// the domain points are drawn from. build() makes the problem module with
// the MLIR builders and prints it: the same module the problem written as a
// file parses to (see Problems.h for the file form), ready for
// Compiler::compileTraining, Compiler::compileLoss and stde-train --problem.
// Ops appear in the order of the calls that record them; C++ evaluates the
// arguments of one call in an unspecified order, so name a value first when
// two arguments of a call record (this only changes the printed order).
//
//   stde::Field u = *stde::Field::mlp(3, {16, 16}, stde::ActivationKind::tanh, true);
//   stde::ProblemBuilder pb(u, /*points=*/64);
//   pb.field("source", source).field("u_exact", exact).unitBall();
//   stde::Column r = pb.sub(pb.laplacian(), pb.apply("source"));
//   pb.loss({r}, {}, stde::Estimator::sparse(2));
//   stde::Expected<std::string> problem = pb.build();
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_PROBLEMBUILDER_H
#define STDE_API_PROBLEMBUILDER_H

#include "stde/API/Estimator.h"
#include "stde/API/Field.h"
#include "stde/API/Status.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stde {

/// One value per point of a batch (interior or boundary) inside a ProblemBuilder.
class Column {
public:
  Column() = default;
  int id() const { return id_; }

private:
  friend class ProblemBuilder;
  explicit Column(int id) : id_(id) {}
  int id_ = -1;
};

/// Which batch a column lives on: the N interior (residual) points or the M
/// boundary (or terminal) points.
enum class Points { interior, boundary };

/// One term C * D^alpha of a linear differential operator: the multi-index
/// lists the differentiated coordinates, sorted, with repetition ({0, 0, 1}
/// is d^3 / dx0^2 dx1; for a space-time field the last coordinate is t).
struct DiffTerm {
  double coefficient = 1.0;
  std::vector<int64_t> index;
};

/// sigma(x) and b(x) of a diffusion generator (ProblemBuilder::diffusion) over
/// the spatial coordinates x_1..x_Ds: sigma is diagonal with entries
/// sigma_i(x) = sigmaScale x_i + sigmaOffset, or, when sigmaMatrix is not
/// empty, that constant full matrix (Ds x Ds, row-major); the drift is
/// b_i(x) = driftScale x_i + driftOffset (none when both are 0).
struct DiffusionCoefficients {
  double sigmaScale = 0.0, sigmaOffset = 1.0;
  std::vector<double> sigmaMatrix;
  double driftScale = 0.0, driftOffset = 0.0;

  bool hasDrift() const { return driftScale != 0.0 || driftOffset != 0.0; }
};

/// One recorded operation of a ProblemBuilder (read by the library).
struct ProblemNode {
  enum class Kind {
    apply, laplacian, biharmonic, diff, directional, timeDerivative, diffusion, gradNorm, constant,
    add, sub, mul, div, neg, sin, cos, exp, log, tanh
  };
  Kind kind;
  Points at = Points::interior;
  std::vector<int> operands;
  std::string network = "u";          ///< apply: the field it evaluates
  std::optional<Estimator> estimator; ///< laplacian, biharmonic, diff, diffusion, gradNorm
  std::vector<DiffTerm> terms;        ///< diff
  std::vector<double> direction;      ///< directional
  int64_t order = 0;                  ///< timeDerivative
  DiffusionCoefficients coefficients; ///< diffusion
  double power = 2.0;                 ///< gradNorm
  double value = 0.0;                 ///< constant
};

class ProblemBuilder {
public:
  /// `u` is the trained field (its parameters are trained); residuals are
  /// taken on `points` interior points per step.
  ProblemBuilder(Field u, int64_t points);

  /// The points end in a time coordinate t (every field takes (x, t)).
  ProblemBuilder &spaceTime(bool value = true);
  /// A fixed field of the point, `name` in the module. "u_exact" is the exact
  /// solution the test error is measured against.
  ProblemBuilder &field(const std::string &name, Field fixed);
  /// `m` boundary (or terminal) points per step; columns on them use Points::boundary.
  ProblemBuilder &boundaryPoints(int64_t m);

  /// Where points are drawn (Problems.h): the unit ball (the default);
  /// Brownian paths on [0, horizon] with variance `diffusion` t per
  /// coordinate; a box [lower, upper] over every coordinate (t included).
  ProblemBuilder &unitBall();
  ProblemBuilder &brownian(double horizon, double diffusion = 2.0);
  /// Space-time points with t ~ U(0, horizon) and x ~ N(0, scale^2 I)
  /// whatever t (terminal points: t = horizon).
  ProblemBuilder &gaussian(double horizon, double scale = 1.0);
  ProblemBuilder &box(std::vector<double> lower, std::vector<double> upper);
  /// Without u_exact: the error is |u(point) - value| / |value| (point
  /// defaults to the origin).
  ProblemBuilder &reference(double value, std::vector<double> point = {});
  /// Comment lines printed above the module (what the problem is).
  ProblemBuilder &describe(const std::string &text);

  /// u itself, or a fixed field, at every point of a batch.
  Column u(Points at = Points::interior);
  Column apply(const std::string &fieldName, Points at = Points::interior);
  /// Operators of u over the spatial coordinates; without an estimator they
  /// use the loss's.
  Column laplacian(std::optional<Estimator> estimator = {}, Points at = Points::interior);
  Column biharmonic(std::optional<Estimator> estimator = {}, Points at = Points::interior);
  Column diff(std::vector<DiffTerm> terms, std::optional<Estimator> estimator = {},
              Points at = Points::interior);
  /// grad u . v over the spatial coordinates, v the same for every point.
  Column directional(std::vector<double> v, Points at = Points::interior);
  /// d^order u / dt^order (space-time problems).
  Column timeDerivative(int64_t order = 1, Points at = Points::interior);
  /// (1/2) tr(sigma sigma^T Hess u) + b . grad u over the spatial coordinates
  /// (the generator of dX = b dt + sigma dW; sigma = sqrt(2) I gives the
  /// Laplacian). A diagonal sigma keeps one-hot tangents.
  Column diffusion(DiffusionCoefficients coefficients,
                   std::optional<Estimator> estimator = {}, Points at = Points::interior);
  /// sum_i |du/dx_i|^power over the spatial coordinates (power >= 1; 2 is
  /// |grad u|^2, the only power dense estimators take).
  Column gradNorm(double power = 2.0, std::optional<Estimator> estimator = {},
                  Points at = Points::interior);

  Column constant(double value, Points at = Points::interior);
  Column add(Column a, Column b);
  Column sub(Column a, Column b);
  Column mul(Column a, Column b);
  Column div(Column a, Column b);
  Column neg(Column a);
  Column sin(Column a);
  Column cos(Column a);
  Column exp(Column a);
  Column log(Column a);
  Column tanh(Column a);

  /// L = sum_i w_i mean(r_i^2); no weights: all 1 (and none printed). The
  /// estimator is the default of every operator without its own.
  ProblemBuilder &loss(std::vector<Column> residuals, std::vector<double> weights = {},
                       std::optional<Estimator> estimator = {});

  /// Makes the loss gradient-enhanced (gPINN): it adds sum_i g_i mean_p
  /// |grad_x r_i|^2, one weight g_i per residual of loss() (0 leaves one
  /// out); `samples` > 0 sums over that many spatial coordinates sampled
  /// each step (times Ds / samples) instead of all Ds; `time` adds the
  /// partial along t, g_i mean_p (d r_i / dt)^2 (space-time problems).
  /// Call after loss().
  ProblemBuilder &gradientEnhanced(std::vector<double> weights, int64_t samples = 0,
                                   bool time = false);

  /// Makes the loss unbiased (`stde.loss ... form unbiased`): every residual
  /// fed by a random operator is computed twice with independent draws and
  /// the loss is sum_i w_i mean(r_i r_i'), whose mean is the exact loss (the
  /// default mean(r_i^2) adds the estimator's variance). Call after loss().
  ProblemBuilder &unbiasedLoss();

  /// The problem module as MLIR text (built with the MLIR builders, then
  /// verified and printed), or the first misuse recorded.
  Expected<std::string> build() const;

  // Read by the library.
  struct NamedField {
    std::string name;
    Field field;
  };
  const Field &trained() const { return u_; }
  const std::vector<NamedField> &fields() const { return fields_; }
  const std::vector<ProblemNode> &nodes() const { return nodes_; }
  int64_t points() const { return points_; }
  int64_t boundary() const { return boundary_; }
  bool isSpaceTime() const { return spaceTime_; }
  const std::string &domain() const { return domain_; }
  const std::vector<double> &lower() const { return lower_; }
  const std::vector<double> &upper() const { return upper_; }
  double horizon() const { return horizon_; }
  double diffusion() const { return diffusion_; }
  double scale() const { return scale_; }
  const std::optional<double> &referenceValue() const { return referenceValue_; }
  const std::vector<double> &referencePoint() const { return referencePoint_; }
  const std::string &description() const { return description_; }
  const std::vector<int> &residuals() const { return residuals_; }
  const std::vector<double> &weights() const { return weights_; }
  const std::optional<Estimator> &lossEstimator() const { return lossEstimator_; }
  const std::vector<double> &gradientWeights() const { return gradientWeights_; }
  int64_t gradientSamples() const { return gradientSamples_; }
  bool gradientTime() const { return gradientTime_; }
  bool unbiased() const { return unbiased_; }

private:
  Column record(ProblemNode node);
  bool check(bool condition, const std::string &message);
  const ProblemNode *node(Column c, const char *what);
  Column unary(ProblemNode::Kind kind, Column a, const char *what);
  Column binary(ProblemNode::Kind kind, Column a, Column b, const char *what);
  Column operatorOf(ProblemNode node, const char *what);
  const NamedField *fieldNamed(const std::string &name) const;

  Field u_;
  int64_t points_ = 0, boundary_ = 0;
  bool spaceTime_ = false;
  std::vector<NamedField> fields_;
  std::vector<ProblemNode> nodes_;
  std::string domain_ = "unit_ball", description_;
  std::vector<double> lower_, upper_, referencePoint_;
  double horizon_ = 0.0, diffusion_ = 2.0, scale_ = 1.0;
  std::optional<double> referenceValue_;
  std::vector<int> residuals_;
  std::vector<double> weights_;
  std::optional<Estimator> lossEstimator_;
  std::vector<double> gradientWeights_;
  int64_t gradientSamples_ = 0;
  bool gradientTime_ = false;
  bool unbiased_ = false;
  bool hasLoss_ = false;
  std::string error_;
};

} // namespace stde

#endif // STDE_API_PROBLEMBUILDER_H
