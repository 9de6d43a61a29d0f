//===- LowerOperators.cpp - operators become seeded jet pushforwards ------===//
//
// Every operator op (apply, laplacian, biharmonic, diff, grad,
// time_derivative) becomes jet.seed / jet.pushforward / jet.coefficient and
// the extraction arithmetic, with tangents drawn by rng ops when its
// estimator is random. stde.loss becomes its weighted mean of squares, or
// with `form unbiased` the mean of products of two independent replicas of
// each random residual; a gradient-enhanced loss adds the squared partials
// d r / dx_j (GradientEnhanced.h) over all or sampled coordinates j.
//
//===----------------------------------------------------------------------===//
#include "Diffusion.h"
#include "Estimators.h"
#include "GradientEnhanced.h"
#include "stde/Transforms/Passes.h"
#include "stde/Transforms/RankShare.h"
#include "../InheritedEstimator.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

namespace stde {
#define GEN_PASS_DEF_STDELOWEROPERATORS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace stde;
using namespace stde::lowering;
using jet::CoefficientKind;
using planner::LinearForm;
using planner::Rational;

namespace {

/// Attribute on operator ops cloned for the second replica of an unbiased
/// loss: their random streams differ from the first's.
constexpr llvm::StringLiteral replicaAttr = "stde.replica";

/// The streams of a function's gradient-enhanced terms start here (those of
/// its operators count up from 0, 256 each).
constexpr uint32_t kGradientStreams = uint32_t(1) << 30;

bool isOperator(Operation *op) { return isa<OperatorOpInterface>(op); }

bool isRandom(Attribute estimator) {
  return isa_and_nonnull<SparseAttr, DenseEstimatorAttr>(estimator);
}

/// Whether an operator is computed by a random spatial estimator.
bool isRandomOperator(Operation *op, Attribute estimator) {
  auto typed = dyn_cast<OperatorOpInterface>(op);
  return typed && typed.isEstimated() && isRandom(estimator);
}

LinearForm diffForm(DiffOp op) {
  LinearForm form;
  for (auto term : op.getTerms().getAsRange<TermAttr>()) {
    planner::MultiIndex alpha(term.getIndex().begin(), term.getIndex().end());
    std::sort(alpha.begin(), alpha.end());
    // Exact in binary: the double's value as a rational.
    double c = term.getCoefficient().convertToDouble();
    int exponent = 0;
    double mantissa = std::frexp(c, &exponent);
    int64_t scaled = static_cast<int64_t>(std::ldexp(mantissa, 53));
    Rational value(scaled);
    int64_t shift = exponent - 53;
    for (; shift > 0; --shift)
      value = value * Rational(2);
    for (; shift < 0; ++shift)
      value = value / Rational(2);
    form[alpha] = value;
  }
  return form;
}

struct LowerOperators : public stde::impl::StdeLowerOperatorsBase<LowerOperators> {
  using StdeLowerOperatorsBase::StdeLowerOperatorsBase;

  Attribute fallback;
  /// The next stream of the function's gradient-enhanced terms.
  uint32_t nextGradientStream = kGradientStreams;

  void runOnOperation() override;
  LogicalResult lowerFunction(func::FuncOp func);
  SmallVector<Value> secondReplicas(LossOp loss);
  FailureOr<Value> lowerOperator(Operation *op, const RandomSource &random);
  FailureOr<Value> lowerLoss(OpBuilder &b, LossOp loss, ArrayRef<Value> replicas,
                             const RandomSource &random);
  FailureOr<Value> gradientTerm(OpBuilder &b, LossOp loss, unsigned i, Value replica,
                                const RandomSource &random);
  FailureOr<Value> partialsTerm(OpBuilder &b, LossOp loss, unsigned i, Value replica,
                                Value along, double factor, const RandomSource &random);
  FailureOr<Value> lowerPartials(OpBuilder &b, Operation *op, Value along,
                                 const RandomSource &random);
  FailureOr<bool> samplesCoordinates(LossOp loss);
  Attribute estimatorOf(Operation *op);
  FailureOr<RandomSource> randomSource(func::FuncOp func);
};

/// sum_k x_k y_k of two vectors, a scalar.
Value sumOfProducts(OpBuilder &b, Location loc, Value x, Value y) {
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  auto scalar = RankedTensorType::get({}, element);
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0));
  Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, element);
  Value filled = linalg::FillOp::create(b, loc, zero, init).getResult(0);
  Value dot = linalg::DotOp::create(b, loc, TypeRange{scalar}, ValueRange{x, y},
                                    ValueRange{filled})
                  .getResult(0);
  return tensor::ExtractOp::create(b, loc, dot, ValueRange{}).getResult();
}

planner::PlannerOptions plannerOptions(NetworkOp network, int64_t maxOrder) {
  planner::PlannerOptions options;
  options.maxOrder = maxOrder;
  // A tangent that is not a basis vector multiplies the whole first layer.
  options.denseTangentCost = 1.0 + double(network.getInputDim()) / 32.0;
  return options;
}

Attribute LowerOperators::estimatorOf(Operation *op) {
  Attribute estimator = op->getAttr("estimator");
  if (!estimator)
    estimator = fallback;
  // Pass options override the attribute's sample count and distribution.
  MLIRContext *ctx = op->getContext();
  if (auto sparse = dyn_cast<SparseAttr>(estimator))
    if (samples > 0)
      estimator = SparseAttr::get(ctx, samples);
  if (auto dense = dyn_cast<DenseEstimatorAttr>(estimator)) {
    Distribution law = dense.getDistribution();
    if (distribution == "gaussian")
      law = Distribution::gaussian;
    else if (distribution == "rademacher")
      law = Distribution::rademacher;
    estimator = DenseEstimatorAttr::get(ctx, law, samples > 0 ? samples : dense.getSamples());
  }
  return estimator;
}

void LowerOperators::runOnOperation() {
  ModuleOp module = getOperation();
  fallback = parseAttribute(defaultEstimator, &getContext());
  if (!fallback || !isa<ExactAttr, SparseAttr, DenseEstimatorAttr>(fallback)) {
    module.emitError("stde-lower-operators: estimator='")
        << defaultEstimator
        << "' is not a spatial estimator; use #stde.exact, #stde.sparse<samples = N> or "
           "#stde.dense<distribution = rademacher, samples = N>";
    return signalPassFailure();
  }
  if (distribution != "" && distribution != "rademacher" && distribution != "gaussian") {
    module.emitError("stde-lower-operators: distribution='")
        << distribution << "' is not one of rademacher, gaussian";
    return signalPassFailure();
  }
  if (seed != "arguments" && !llvm::all_of(seed, llvm::isDigit)) {
    module.emitError("stde-lower-operators: seed='")
        << seed << "' must be 'arguments' or a non-negative integer";
    return signalPassFailure();
  }
  // The loss's estimator first (as stde-resolve-estimators does), the
  // option's default only for operators whose losses name none.
  if (failed(inheritLossEstimators(module)))
    return signalPassFailure();
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (failed(lowerFunction(func)))
      return signalPassFailure();
}

FailureOr<RandomSource> LowerOperators::randomSource(func::FuncOp func) {
  RandomSource random;
  random.share = rankShareOf(func);
  OpBuilder b(func.getBody());
  Location loc = func.getLoc();
  if (seed == "arguments") {
    // Arguments the function already marks (a training step that also
    // samples its points) are shared; else two trailing i64 arguments.
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      auto role = func.getArgAttrOfType<StringAttr>(i, "stde.random");
      if (role && role.getValue() == "seed")
        random.seed = func.getArgument(i);
      if (role && role.getValue() == "step")
        random.step = func.getArgument(i);
    }
    if (random.seed && random.step)
      return random;
    if (random.seed || random.step)
      return func.emitError("marks only one of its {stde.random = \"seed\"} and "
                            "{stde.random = \"step\"} arguments; mark both or neither");
    // Two trailing i64 arguments: the seed and the step.
    unsigned n = func.getNumArguments();
    Type i64 = b.getI64Type();
    auto named = [&](StringRef role) {
      return b.getDictionaryAttr(b.getNamedAttr("stde.random", b.getStringAttr(role)));
    };
    if (failed(func.insertArgument(n, i64, named("seed"), loc)) ||
        failed(func.insertArgument(n + 1, i64, named("step"), loc)))
      return func.emitError("cannot add the seed and step arguments");
    random.seed = func.getArgument(n);
    random.step = func.getArgument(n + 1);
    return random;
  }
  uint64_t value = 0;
  StringRef(seed).getAsInteger(10, value);
  random.seed = arith::ConstantIntOp::create(b, loc, b.getI64Type(), int64_t(value));
  random.step = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
  return random;
}

LogicalResult LowerOperators::lowerFunction(func::FuncOp func) {
  bool random = false;
  func.walk([&](Operation *op) {
    random |= isOperator(op) && isRandomOperator(op, estimatorOf(op));
  });
  for (LossOp loss : func.getOps<LossOp>()) {
    FailureOr<bool> sampled = samplesCoordinates(loss);
    if (failed(sampled))
      return failure();
    random |= *sampled;
  }
  RandomSource source;
  if (random) {
    FailureOr<RandomSource> made = randomSource(func);
    if (failed(made))
      return failure();
    source = *made;
  }

  // Losses first: an unbiased loss clones the slices of its random
  // residuals, and the clones' operators are lowered with the others; the
  // gradient terms of a gradient-enhanced loss push their own jets. Uses of
  // operator results are rewired when each operator is replaced.
  nextGradientStream = kGradientStreams;
  for (LossOp loss : llvm::to_vector(func.getOps<LossOp>())) {
    SmallVector<Value> replicas = secondReplicas(loss);
    OpBuilder b(loss);
    FailureOr<Value> value = lowerLoss(b, loss, replicas, source);
    if (failed(value))
      return failure();
    loss.getResult().replaceAllUsesWith(*value);
    loss.erase();
  }

  SmallVector<Operation *> operators;
  func.walk([&](Operation *op) {
    if (isOperator(op))
      operators.push_back(op);
  });

  // Streams: 256 per operator, numbered in order within each function, so
  // that a clone of a function (a loss and its operators' values, Loss.h)
  // draws the same numbers; the replica of an unbiased loss gets its own.
  uint32_t nextOperator = 0;
  for (Operation *op : operators) {
    RandomSource mine = source;
    mine.stream = (nextOperator++) << 8;
    if (op->hasAttr(replicaAttr))
      mine.stream |= 0x80;
    FailureOr<Value> value = lowerOperator(op, mine);
    if (failed(value))
      return failure();
    op->getResult(0).replaceAllUsesWith(*value);
    op->erase();
  }
  return success();
}

/// For `form unbiased`, the second replica of every residual: a clone of
/// its backward slice whose operators are marked to draw from other streams
/// (the residual itself when nothing random feeds it). Empty for `biased`.
SmallVector<Value> LowerOperators::secondReplicas(LossOp loss) {
  SmallVector<Value> replicas;
  if (loss.getForm() != LossForm::unbiased)
    return replicas;
  for (Value residual : loss.getResiduals()) {
    SetVector<Operation *> slice;
    BackwardSliceOptions options;
    options.inclusive = true;
    options.omitBlockArguments = true;
    if (Operation *def = residual.getDefiningOp())
      (void)getBackwardSlice(def, &slice, options);
    bool random = llvm::any_of(slice, [&](Operation *op) {
      return isRandomOperator(op, estimatorOf(op));
    });
    if (!random) {
      replicas.push_back(residual);
      continue;
    }
    OpBuilder b(loss);
    IRMapping mapping;
    for (Operation *op : topologicalSort(slice)) {
      Operation *clone = b.clone(*op, mapping);
      if (isOperator(clone))
        clone->setAttr(replicaAttr, b.getUnitAttr());
    }
    replicas.push_back(mapping.lookup(residual));
  }
  return replicas;
}

/// Whether a gradient-enhanced loss samples the coordinates of some
/// residual's gradient (fewer gradient_samples than spatial coordinates).
FailureOr<bool> LowerOperators::samplesCoordinates(LossOp loss) {
  std::optional<int64_t> samples = loss.getGradientSamples();
  if (!samples)
    return false;
  for (auto [i, r] : llvm::enumerate(loss.getResiduals())) {
    if (loss.getGradientWeight(i) == 0)
      continue;
    FailureOr<int64_t> spatial = residualSpatialDim(loss, r);
    if (failed(spatial))
      return failure();
    if (*samples < *spatial)
      return true;
  }
  return false;
}

/// sum_i w_i mean(r_i * r_i'), r_i' the second replica or r_i itself; with
/// point weights q_i, sum_i w_i sum_p q_ip r_ip r_ip'. Gradient-enhanced:
/// plus sum_i g_i mean_p sum_j (d r_ip / dx_j)(d r_ip' / dx_j).
FailureOr<Value> LowerOperators::lowerLoss(OpBuilder &b, LossOp loss, ArrayRef<Value> replicas,
                                           const RandomSource &random) {
  Location loc = loss.getLoc();
  Type element = loss.getType();
  Value total = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0));
  OperandRange pointWeights = loss.getPointWeights();
  for (auto [i, r] : llvm::enumerate(loss.getResiduals())) {
    Value other = replicas.empty() ? r : replicas[i];
    auto type = cast<RankedTensorType>(r.getType());
    double factor = loss.getWeight(i) / double(type.getDimSize(0));
    Value weighted = r;
    if (!pointWeights.empty()) {
      weighted = arith::MulFOp::create(b, loc, pointWeights[i], r);
      factor = loss.getWeight(i);
    }
    Value sum = sumOfProducts(b, loc, weighted, other);
    Value scale = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, factor));
    total = arith::AddFOp::create(b, loc, total, arith::MulFOp::create(b, loc, sum, scale));
    if (loss.getGradientWeight(i) == 0)
      continue;
    FailureOr<Value> gradient = gradientTerm(b, loss, i, other, random);
    if (failed(gradient))
      return failure();
    if (*gradient)
      total = arith::AddFOp::create(b, loc, total, *gradient);
  }
  return total;
}

/// g_i (Ds / m) sum_{j in K} mean_p (d r_ip / dx_j)(d r_ip' / dx_j) over m
/// coordinates K (all Ds, or m sampled without replacement each step), plus
/// g_i mean_p (d r_ip / dt)(d r_ip' / dt) with gradient_time; null when the
/// residual does not depend on the point.
FailureOr<Value> LowerOperators::gradientTerm(OpBuilder &b, LossOp loss, unsigned i,
                                              Value replica, const RandomSource &random) {
  Location loc = loss.getLoc();
  Value r = loss.getResiduals()[i];
  int64_t inputs = 0;
  FailureOr<int64_t> spatial = residualSpatialDim(loss, r, &inputs);
  if (failed(spatial))
    return failure();
  if (*spatial == 0)
    return Value();
  int64_t ds = *spatial;
  int64_t m = std::min<int64_t>(loss.getGradientSamples().value_or(ds), ds);
  auto alongType = RankedTensorType::get({m}, b.getIndexType());
  Value along;
  if (m < ds) {
    along = rng::SampleOp::create(b, loc, alongType, random.seed, random.step,
                                  b.getI32IntegerAttr(nextGradientStream),
                                  b.getI64IntegerAttr(ds));
    nextGradientStream += 256;
  } else {
    SmallVector<Attribute> all;
    for (int64_t j = 0; j < ds; ++j)
      all.push_back(b.getIndexAttr(j));
    along = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(alongType, all));
  }
  double weight = loss.getGradientWeight(i);
  FailureOr<Value> space = partialsTerm(b, loss, i, replica, along, weight * double(ds) / double(m),
                                        random);
  if (failed(space) || !*space || !loss.getGradientTime())
    return space;
  if (inputs == ds)
    return loss.emitOpError("gradient_time: residual ")
           << i << " is evaluated at points without a time coordinate (its network is not "
           << "space_time): drop gradient_time";
  // t is the last coordinate of a space-time network's input.
  auto timeType = RankedTensorType::get({1}, b.getIndexType());
  Value time = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(timeType, ArrayRef<Attribute>{b.getIndexAttr(inputs - 1)}));
  FailureOr<Value> temporal = partialsTerm(b, loss, i, replica, time, weight, random);
  if (failed(temporal))
    return failure();
  return Value(arith::AddFOp::create(b, loc, *space, *temporal));
}

/// factor sum_{j in along} sum_p w_p (d r_ip / dx_j)(d r_ip' / dx_j), w_p the
/// point weights or 1/N; null when the residual does not depend on the point.
FailureOr<Value> LowerOperators::partialsTerm(OpBuilder &b, LossOp loss, unsigned i,
                                              Value replica, Value along, double factor,
                                              const RandomSource &random) {
  Location loc = loss.getLoc();
  Value r = loss.getResiduals()[i];
  int64_t m = cast<RankedTensorType>(along.getType()).getDimSize(0);
  auto partials = [&](Operation *op) -> FailureOr<Value> {
    RandomSource mine = random;
    mine.stream = nextGradientStream;
    nextGradientStream += 256;
    return lowerPartials(b, op, along, mine);
  };
  FailureOr<Value> t = residualPartials(b, loss, r, m, partials);
  if (failed(t) || !*t)
    return t;
  Value t2 = *t;
  if (replica != r) {
    FailureOr<Value> other = residualPartials(b, loss, replica, m, partials);
    if (failed(other))
      return failure();
    t2 = *other;
  }
  Type element = loss.getType();
  auto type = cast<RankedTensorType>(t->getType());
  int64_t n = type.getDimSize(1);
  Value weighted = *t;
  if (!loss.getPointWeights().empty()) {
    Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{m, n}, element);
    Value q = linalg::BroadcastOp::create(b, loc, loss.getPointWeights()[i], init,
                                          ArrayRef<int64_t>{0})
                  .getResult()[0];
    weighted = arith::MulFOp::create(b, loc, q, weighted);
  } else {
    factor /= double(n);
  }
  auto flat = RankedTensorType::get({m * n}, element);
  SmallVector<ReassociationIndices> all{{0, 1}};
  Value x = tensor::CollapseShapeOp::create(b, loc, flat, weighted, all);
  Value y = tensor::CollapseShapeOp::create(b, loc, flat, t2, all);
  Value sum = sumOfProducts(b, loc, x, y);
  Value scale = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, factor));
  return Value(arith::MulFOp::create(b, loc, sum, scale));
}

/// d/dx_j of one operator's value for every j of `along`: tensor<m x N>.
FailureOr<Value> LowerOperators::lowerPartials(OpBuilder &b, Operation *op, Value along,
                                               const RandomSource &random) {
  auto typed = cast<OperatorOpInterface>(op);
  auto network = SymbolTable::lookupNearestSymbolFrom<NetworkOp>(op, typed.getNetworkAttr());
  if (!network)
    return op->emitOpError("refers to unknown network ") << typed.getNetworkAttr();
  GroupEmitter emitter(b, op->getLoc(), network, typed.getParams(), typed.getPoints());
  planner::JetPlanner planner(plannerOptions(network, maxOrder));
  int64_t spatial = network.getSpatialDim(), dim = network.getInputDim();
  LinearForm form;
  int64_t samples = 0;
  if (isa<ApplyOp>(op)) {
    form[planner::MultiIndex{}] = Rational(1);
  } else if (auto time = dyn_cast<TimeDerivativeOp>(op)) {
    form[planner::MultiIndex(time.getOrder(), dim - 1)] = Rational(1);
  } else if (isa<LaplacianOp, BiharmonicOp, DiffOp>(op)) {
    Attribute estimator = estimatorOf(op);
    if (auto dense = dyn_cast<DenseEstimatorAttr>(estimator)) {
      if (!isa<LaplacianOp>(op))
        return op->emitOpError("feeds a gradient-enhanced residual with estimator ")
               << estimator
               << ": dense tangents give the partials of the Laplacian only; use #stde.sparse "
                  "or #stde.exact for this operator";
      rng::Distribution law = dense.getDistribution() == Distribution::gaussian
                                  ? rng::Distribution::gaussian
                                  : rng::Distribution::rademacher;
      return emitDenseLaplacianPartials(emitter, planner, spatial, law, dense.getSamples(),
                                        along, random);
    }
    if (auto sparse = dyn_cast<SparseAttr>(estimator))
      samples = sparse.getSamples();
    if (isa<BiharmonicOp>(op) && spatial * (spatial + 1) / 2 > kMaxBiharmonicTerms)
      return op->emitOpError("the biharmonic in ")
             << spatial << " dimensions has too many terms to differentiate term by term";
    form = isa<LaplacianOp>(op)     ? laplacianForm(spatial)
           : isa<BiharmonicOp>(op) ? biharmonicForm(spatial)
                                   : diffForm(cast<DiffOp>(op));
  } else {
    return op->emitOpError("feeds a gradient-enhanced residual, but its partials d/dx_j have "
                           "no rule (apply, laplacian, biharmonic, diff and time_derivative "
                           "do): give this residual gradient weight 0");
  }
  // Exact partials push every term for every coordinate j.
  int64_t m = cast<RankedTensorType>(along.getType()).getDimSize(0);
  double directions = double(form.size()) * double(m);
  if (samples == 0 && directions > double(kMaxBiharmonicTerms)) {
    std::string count;
    llvm::raw_string_ostream(count) << llvm::format("%.0f", directions);
    return op->emitOpError("has exact partials of ")
           << form.size() << " terms for each of " << m << " coordinates j, " << count
           << " jet directions (at most "
           << kMaxBiharmonicTerms
           << "): sample the coordinates (gradient_samples) or use #stde.sparse";
  }
  return emitPartials(emitter, planner, form, samples, along, random);
}

FailureOr<Value> LowerOperators::lowerOperator(Operation *op, const RandomSource &random) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto net = op->getAttrOfType<FlatSymbolRefAttr>("network");
  auto network = SymbolTable::lookupNearestSymbolFrom<NetworkOp>(op, net);
  if (!network)
    return op->emitOpError("refers to unknown network ") << net;
  auto typed = cast<OperatorOpInterface>(op);
  Value params = typed.getParams(), points = typed.getPoints();
  GroupEmitter emitter(b, loc, network, params, points);
  int64_t spatial = network.getSpatialDim(), dim = network.getInputDim();
  planner::JetPlanner planner(plannerOptions(network, maxOrder));

  if (isa<ApplyOp>(op))
    return emitter.primal();

  if (auto time = dyn_cast<TimeDerivativeOp>(op)) {
    LinearForm form;
    form[planner::MultiIndex(time.getOrder(), dim - 1)] = Rational(1);
    return emitExact(emitter, planner, form);
  }

  if (auto grad = dyn_cast<GradOp>(op)) {
    int64_t n = emitter.numPoints();
    if (Value direction = grad.getDirection())
      return emitDirectional(emitter, direction);
    // The full gradient: the spatial basis as one-hot directions.
    JetGroup group;
    group.directions = spatial;
    SmallVector<int64_t> basis;
    for (int64_t i = 0; i < spatial; ++i)
      basis.push_back(i);
    group.slots.push_back({CoefficientKind::onehot, emitter.indexConstant(basis)});
    Value d1 = emitter.emitCoefficients(group)[1]; // spatial x N
    Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n, spatial},
                                         emitter.elementType());
    return linalg::TransposeOp::create(b, loc, d1, init, ArrayRef<int64_t>{1, 0})
        .getResult()[0];
  }

  // Laplacian, biharmonic, diff, diffusion, gradient norm: by estimator.
  Attribute estimator = estimatorOf(op);
  if (auto diffusion = dyn_cast<DiffusionOp>(op))
    return emitDiffusion(emitter, diffusion, estimator, random);
  if (auto norm = dyn_cast<GradNormOp>(op))
    return emitGradNorm(emitter, norm, estimator, random);
  auto dense = dyn_cast<DenseEstimatorAttr>(estimator);
  rng::Distribution law = dense && dense.getDistribution() == Distribution::gaussian
                              ? rng::Distribution::gaussian
                              : rng::Distribution::rademacher;
  if (isa<BiharmonicOp>(op)) {
    // Dense tangents never enumerate the u_iijj, whose number grows as d^2.
    if (dense)
      return emitDenseBiharmonic(emitter, planner, spatial, law, dense.getSamples(), random);
    if (spatial * (spatial + 1) / 2 > kMaxBiharmonicTerms)
      return op->emitOpError("the biharmonic in ")
             << spatial << " dimensions has " << spatial * (spatial + 1) / 2
             << " distinct terms u_iijj; " << estimator
             << " enumerates them (at most " << kMaxBiharmonicTerms
             << "): use #stde.dense, whose random tangents scale to any dimension";
  }
  LinearForm form;
  if (isa<LaplacianOp>(op))
    form = laplacianForm(spatial);
  else if (isa<BiharmonicOp>(op))
    form = biharmonicForm(spatial);
  else
    form = diffForm(cast<DiffOp>(op));

  if (isa<ExactAttr>(estimator))
    return emitExact(emitter, planner, form);
  if (auto sparse = dyn_cast<SparseAttr>(estimator)) {
    bool sampled = false;
    Value estimate = emitSparse(emitter, planner, form, sparse.getSamples(), random,
                                roleFirstTermClass, &sampled);
    if (estimate && !sampled)
      op->emitRemark() << estimator
                       << " computes this operator exactly: no group of its terms (terms of "
                          "one multi-index pattern) has more terms than its share of the "
                       << sparse.getSamples()
                       << " samples, so nothing is sampled and `samples` has no effect";
    return estimate;
  }
  if (!dense)
    return op->emitOpError("has estimator ")
           << estimator << ", which is not #stde.exact, #stde.sparse or #stde.dense";
  int64_t order = 0;
  for (const auto &[alpha, c] : form)
    order = std::max<int64_t>(order, alpha.size());
  if (order > 2)
    return op->emitOpError("dense random tangents estimate operators of order <= 2 "
                           "(and the biharmonic); this one has order ")
           << order << ": use #stde.sparse or #stde.exact";
  return emitDenseSecondOrder(emitter, planner, form, law, dense.getSamples(), random);
}

} // namespace
