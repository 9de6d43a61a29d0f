//===- ProblemBuilder.cpp - recording a problem ---------------------------===//
//
// The recording half: every call checks its operands and records a node;
// the first misuse is kept and returned by build(). The module itself is
// made in ProblemModule.cpp.
//
//===----------------------------------------------------------------------===//
#include "stde/API/ProblemBuilder.h"
#include "ProblemModule.h"

#include <algorithm>
#include <cctype>
#include <cmath>

using namespace stde;
using Kind = ProblemNode::Kind;

namespace {

bool isSymbolName(const std::string &name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

const char *pointsName(Points at) { return at == Points::interior ? "interior" : "boundary"; }

} // namespace

std::string Estimator::str() const {
  switch (kind) {
  case Kind::exact: return "#stde.exact";
  case Kind::sparse: return "#stde.sparse<samples = " + std::to_string(samples) + ">";
  case Kind::dense:
    return std::string("#stde.dense<distribution = ") +
           (distribution == TangentDistribution::gaussian ? "gaussian" : "rademacher") +
           ", samples = " + std::to_string(samples) + ">";
  }
  return "";
}

Status Estimator::check() const {
  if (kind != Kind::exact && samples < 1)
    return Status::error("a " + std::string(kind == Kind::sparse ? "sparse" : "dense") +
                         " estimator needs samples >= 1, got " + std::to_string(samples));
  return Status::success();
}

Expected<Estimator> stde::estimatorNamed(const std::string &name, int64_t samples) {
  Estimator e;
  if (name == "exact")
    e = Estimator::exact();
  else if (name == "sparse")
    e = Estimator::sparse(samples);
  else if (name == "dense")
    e = Estimator::dense(samples, TangentDistribution::rademacher);
  else if (name == "dense-gaussian")
    e = Estimator::dense(samples, TangentDistribution::gaussian);
  else
    return Status::error("unknown estimator '" + name +
                         "'; use exact, sparse, dense or dense-gaussian");
  Status valid = e.check();
  if (!valid)
    return valid;
  return e;
}

ProblemBuilder::ProblemBuilder(Field u, int64_t points) : u_(std::move(u)), points_(points) {
  check(u_.numParams() > 0, "the trained field has no parameters: build it with dense layers");
  check(points >= 1, "a problem needs at least one interior point per step, got " +
                         std::to_string(points));
}

bool ProblemBuilder::check(bool condition, const std::string &message) {
  if (!condition && error_.empty())
    error_ = message;
  return condition;
}

ProblemBuilder &ProblemBuilder::spaceTime(bool value) {
  spaceTime_ = value;
  return *this;
}

const ProblemBuilder::NamedField *ProblemBuilder::fieldNamed(const std::string &name) const {
  for (const NamedField &f : fields_)
    if (f.name == name)
      return &f;
  return nullptr;
}

ProblemBuilder &ProblemBuilder::field(const std::string &name, Field fixed) {
  if (check(isSymbolName(name), "field: '" + name + "' is not a name (letters, digits, _)") &&
      check(name != "u" && name != "loss", "field: '" + name + "' is taken (u is the trained "
                                           "field, loss the loss function)") &&
      check(!fieldNamed(name), "field: '" + name + "' is defined twice") &&
      check(fixed.numParams() == 0, "field: '" + name + "' has parameters; fixed fields take "
                                    "only the point") &&
      check(fixed.inputDim() == u_.inputDim(),
            "field: '" + name + "' takes " + std::to_string(fixed.inputDim()) +
                " coordinates, u takes " + std::to_string(u_.inputDim())) &&
      check(fixed.dtype() == u_.dtype(), "field: '" + name + "' has another element type than u"))
    fields_.push_back({name, std::move(fixed)});
  return *this;
}

ProblemBuilder &ProblemBuilder::boundaryPoints(int64_t m) {
  if (check(m >= 1, "boundaryPoints: need at least one, got " + std::to_string(m)))
    boundary_ = m;
  return *this;
}

ProblemBuilder &ProblemBuilder::unitBall() {
  domain_ = "unit_ball";
  return *this;
}

ProblemBuilder &ProblemBuilder::brownian(double horizon, double diffusion) {
  check(horizon > 0 && std::isfinite(horizon), "brownian: the horizon must be positive");
  check(diffusion > 0 && std::isfinite(diffusion), "brownian: the diffusion must be positive");
  domain_ = "brownian";
  horizon_ = horizon;
  diffusion_ = diffusion;
  return *this;
}

ProblemBuilder &ProblemBuilder::gaussian(double horizon, double scale) {
  check(horizon > 0 && std::isfinite(horizon), "gaussian: the horizon must be positive");
  check(scale > 0 && std::isfinite(scale), "gaussian: the scale must be positive");
  domain_ = "gaussian";
  horizon_ = horizon;
  scale_ = scale;
  return *this;
}

ProblemBuilder &ProblemBuilder::box(std::vector<double> lower, std::vector<double> upper) {
  int64_t d = u_.inputDim();
  if (check(int64_t(lower.size()) == d && int64_t(upper.size()) == d,
            "box: the bounds need " + std::to_string(d) + " entries each (one per coordinate)"))
    for (int64_t i = 0; i < d; ++i)
      check(lower[i] < upper[i], "box: lower[" + std::to_string(i) + "] must be below upper[" +
                                     std::to_string(i) + "]");
  domain_ = "box";
  lower_ = std::move(lower);
  upper_ = std::move(upper);
  return *this;
}

ProblemBuilder &ProblemBuilder::reference(double value, std::vector<double> point) {
  check(std::isfinite(value) && value != 0.0, "reference: the value must be finite and nonzero "
                                              "(the error is relative to it)");
  check(point.empty() || int64_t(point.size()) == u_.inputDim(),
        "reference: the point needs " + std::to_string(u_.inputDim()) + " coordinates");
  referenceValue_ = value;
  referencePoint_ = std::move(point);
  return *this;
}

ProblemBuilder &ProblemBuilder::describe(const std::string &text) {
  description_ = text;
  return *this;
}

Column ProblemBuilder::record(ProblemNode node) {
  nodes_.push_back(std::move(node));
  return Column(static_cast<int>(nodes_.size()) - 1);
}

const ProblemNode *ProblemBuilder::node(Column c, const char *what) {
  if (!check(c.id() >= 0 && c.id() < static_cast<int>(nodes_.size()),
             std::string(what) + ": operand is not a column of this builder"))
    return nullptr;
  return &nodes_[c.id()];
}

Column ProblemBuilder::operatorOf(ProblemNode n, const char *what) {
  if (!check(n.at == Points::interior || boundary_ > 0,
             std::string(what) + ": no boundary points (call boundaryPoints first)"))
    return Column();
  if (n.estimator && !check(bool(n.estimator->check()), std::string(what) + ": " +
                                                             n.estimator->check().message()))
    return Column();
  return record(std::move(n));
}

Column ProblemBuilder::u(Points at) { return apply("u", at); }

Column ProblemBuilder::apply(const std::string &fieldName, Points at) {
  if (!check(fieldName == "u" || fieldNamed(fieldName),
             "apply: no field named '" + fieldName + "' (add it with field())"))
    return Column();
  ProblemNode n{Kind::apply, at};
  n.network = fieldName;
  return operatorOf(std::move(n), "apply");
}

Column ProblemBuilder::laplacian(std::optional<Estimator> estimator, Points at) {
  ProblemNode n{Kind::laplacian, at};
  n.estimator = estimator;
  return operatorOf(std::move(n), "laplacian");
}

Column ProblemBuilder::biharmonic(std::optional<Estimator> estimator, Points at) {
  ProblemNode n{Kind::biharmonic, at};
  n.estimator = estimator;
  return operatorOf(std::move(n), "biharmonic");
}

Column ProblemBuilder::diff(std::vector<DiffTerm> terms, std::optional<Estimator> estimator,
                            Points at) {
  if (!check(!terms.empty(), "diff: an operator needs at least one term"))
    return Column();
  for (DiffTerm &t : terms) {
    if (!check(!t.index.empty(), "diff: a term needs at least one coordinate"))
      return Column();
    for (int64_t i : t.index)
      if (!check(i >= 0 && i < u_.inputDim(), "diff: coordinate " + std::to_string(i) +
                                                  " is outside 0.." +
                                                  std::to_string(u_.inputDim() - 1)))
        return Column();
    std::sort(t.index.begin(), t.index.end());
  }
  ProblemNode n{Kind::diff, at};
  n.terms = std::move(terms);
  n.estimator = estimator;
  return operatorOf(std::move(n), "diff");
}

Column ProblemBuilder::directional(std::vector<double> v, Points at) {
  int64_t spatial = u_.inputDim() - (spaceTime_ ? 1 : 0);
  if (!check(int64_t(v.size()) == spatial, "directional: the direction needs " +
                                               std::to_string(spatial) + " entries (the spatial "
                                               "coordinates)"))
    return Column();
  ProblemNode n{Kind::directional, at};
  n.direction = std::move(v);
  return operatorOf(std::move(n), "directional");
}

Column ProblemBuilder::timeDerivative(int64_t order, Points at) {
  if (!check(spaceTime_, "timeDerivative: the problem has no time coordinate (call spaceTime())") ||
      !check(order >= 1, "timeDerivative: the order must be at least 1"))
    return Column();
  ProblemNode n{Kind::timeDerivative, at};
  n.order = order;
  return operatorOf(std::move(n), "timeDerivative");
}

Column ProblemBuilder::diffusion(DiffusionCoefficients c, std::optional<Estimator> estimator,
                                 Points at) {
  int64_t spatial = u_.inputDim() - (spaceTime_ ? 1 : 0);
  if (!c.sigmaMatrix.empty() &&
      !check(int64_t(c.sigmaMatrix.size()) == spatial * spatial,
             "diffusion: sigmaMatrix needs " + std::to_string(spatial * spatial) +
                 " entries (Ds x Ds, row-major, Ds = " + std::to_string(spatial) +
                 " spatial coordinates), got " + std::to_string(c.sigmaMatrix.size())))
    return Column();
  auto finite = [](double v) { return std::isfinite(v); };
  if (!check(finite(c.sigmaScale) && finite(c.sigmaOffset) && finite(c.driftScale) &&
                 finite(c.driftOffset) &&
                 std::all_of(c.sigmaMatrix.begin(), c.sigmaMatrix.end(), finite),
             "diffusion: sigma and drift coefficients must be finite"))
    return Column();
  ProblemNode n{Kind::diffusion, at};
  n.coefficients = std::move(c);
  n.estimator = estimator;
  return operatorOf(std::move(n), "diffusion");
}

Column ProblemBuilder::gradNorm(double power, std::optional<Estimator> estimator, Points at) {
  if (!check(std::isfinite(power) && power >= 1.0,
             "gradNorm: the power must be a finite number >= 1, got " + std::to_string(power)) ||
      !check(!estimator || estimator->kind != Estimator::Kind::dense || power == 2.0,
             "gradNorm: dense random tangents estimate |grad u|^2 only (power 2); use a "
             "sparse or exact estimator for power " + std::to_string(power)))
    return Column();
  ProblemNode n{Kind::gradNorm, at};
  n.power = power;
  n.estimator = estimator;
  return operatorOf(std::move(n), "gradNorm");
}

Column ProblemBuilder::constant(double value, Points at) {
  ProblemNode n{Kind::constant, at};
  n.value = value;
  return operatorOf(std::move(n), "constant");
}

Column ProblemBuilder::unary(Kind kind, Column a, const char *what) {
  const ProblemNode *x = node(a, what);
  if (!x)
    return Column();
  ProblemNode n{kind, x->at, {a.id()}};
  return record(std::move(n));
}

Column ProblemBuilder::binary(Kind kind, Column a, Column b, const char *what) {
  const ProblemNode *x = node(a, what), *y = node(b, what);
  if (!x || !y ||
      !check(x->at == y->at, std::string(what) + ": one operand is on the " + pointsName(x->at) +
                                 " points, the other on the " + pointsName(y->at) + " points"))
    return Column();
  ProblemNode n{kind, x->at, {a.id(), b.id()}};
  return record(std::move(n));
}

Column ProblemBuilder::add(Column a, Column b) { return binary(Kind::add, a, b, "add"); }
Column ProblemBuilder::sub(Column a, Column b) { return binary(Kind::sub, a, b, "sub"); }
Column ProblemBuilder::mul(Column a, Column b) { return binary(Kind::mul, a, b, "mul"); }
Column ProblemBuilder::div(Column a, Column b) { return binary(Kind::div, a, b, "div"); }
Column ProblemBuilder::neg(Column a) { return unary(Kind::neg, a, "neg"); }
Column ProblemBuilder::sin(Column a) { return unary(Kind::sin, a, "sin"); }
Column ProblemBuilder::cos(Column a) { return unary(Kind::cos, a, "cos"); }
Column ProblemBuilder::exp(Column a) { return unary(Kind::exp, a, "exp"); }
Column ProblemBuilder::log(Column a) { return unary(Kind::log, a, "log"); }
Column ProblemBuilder::tanh(Column a) { return unary(Kind::tanh, a, "tanh"); }

ProblemBuilder &ProblemBuilder::loss(std::vector<Column> residuals, std::vector<double> weights,
                                     std::optional<Estimator> estimator) {
  if (!check(!hasLoss_, "loss: the problem has a loss already") ||
      !check(!residuals.empty(), "loss: it needs at least one residual") ||
      !check(weights.empty() || weights.size() == residuals.size(),
             "loss: " + std::to_string(weights.size()) + " weights for " +
                 std::to_string(residuals.size()) + " residuals"))
    return *this;
  for (Column r : residuals)
    if (!node(r, "loss"))
      return *this;
  for (double w : weights)
    if (!check(std::isfinite(w) && w >= 0, "loss: weights must be finite and >= 0"))
      return *this;
  if (estimator && !check(bool(estimator->check()), "loss: " + estimator->check().message()))
    return *this;
  hasLoss_ = true;
  for (Column r : residuals)
    residuals_.push_back(r.id());
  weights_ = std::move(weights);
  lossEstimator_ = estimator;
  return *this;
}

ProblemBuilder &ProblemBuilder::gradientEnhanced(std::vector<double> weights, int64_t samples,
                                                 bool time) {
  if (!check(hasLoss_, "gradientEnhanced: call loss() first (one gradient weight per residual)") ||
      !check(!time || spaceTime_, "gradientEnhanced: the partial along t needs a space-time "
                                  "problem (call spaceTime())") ||
      !check(weights.size() == residuals_.size(),
             "gradientEnhanced: " + std::to_string(weights.size()) + " gradient weights for " +
                 std::to_string(residuals_.size()) + " residuals") ||
      !check(samples >= 0, "gradientEnhanced: samples must be >= 0 (0: every coordinate)"))
    return *this;
  for (double g : weights)
    if (!check(std::isfinite(g) && g >= 0, "gradientEnhanced: weights must be finite and >= 0"))
      return *this;
  gradientWeights_ = std::move(weights);
  gradientSamples_ = samples;
  gradientTime_ = time;
  return *this;
}

ProblemBuilder &ProblemBuilder::unbiasedLoss() {
  if (check(hasLoss_, "unbiasedLoss: call loss() first"))
    unbiased_ = true;
  return *this;
}

Expected<std::string> ProblemBuilder::build() const {
  if (!error_.empty())
    return Status::error(error_);
  if (!hasLoss_)
    return Status::error("build: the problem has no loss (call loss())");
  if (domain_ == "box" && lower_.empty())
    return Status::error("build: the box has no bounds");
  return printProblemModule(*this);
}
