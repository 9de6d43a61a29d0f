//===- TrainingModule.cpp - a problem module composed into a training step ===//
//
// The problem's @loss(%theta, %xs[, %xb]) is wrapped by
// @stde_step_loss(%theta, %seed, %step), which draws its points first from
// the problem's domain (Domain.h); one pipeline lowers the operators and
// differentiates it (stde-param-grad), then the entry points are added at
// the tensor level and everything is inlined into them:
//   stde_train_step(params, m, v, seed, step, loss)   gradient + optimizer
//   stde_gradient(params, seed, step, loss, grad)
//   stde_test_error(params, seed, chunk, sums)        sum (u-u*)^2, sum u*^2,
//                                                     sum u over a chunk
//   stde_sample_points(seed, step, xs)                the step's points
//   stde_sample_boundary_points(seed, step, xb)       (when @loss takes them)
//   stde_loss(params, seed, step, loss)               the loss alone
// With TrainingMethod::zo the same pipeline runs zo-pair and zo-update
// instead of stde-param-grad, and stde_train_step / stde_gradient give way to
//   stde_zo_step(params, state, seed, step, epoch, loss)
//   stde_zo_fold(params, state, seed, epoch)          at a subspace refresh
//   stde_zo_pair(params, state, seed, step, pstep, epoch, losses)   (tests)
//   stde_zo_directions(seed, pstep, epoch, dirs)                    (tests)
//
//===----------------------------------------------------------------------===//
#include "TrainingModule.h"
#include "Domain.h"
#include "IRBuild.h"
#include "ProblemModule.h"

#include "dialects/rng/RngLimits.h"
#include "dialects/stde/ParamLayout.h"
#include "dialects/stde/StdeOps.h"
#include "runtime/Philox.h"
#include "stde/Target/CpuPipeline.h"
#include "stde/Conversion/Passes.h"
#include "stde/Target/GpuPipeline.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <cmath>
#include <cstdio>
#include <sstream>

using namespace mlir;
using namespace stde;

namespace {

constexpr const char *kInteriorSampler = "stde_sample_interior";
constexpr const char *kBoundarySampler = "stde_sample_boundary";
constexpr const char *kTestSampler = "stde_sample_test";
/// The step's loss (its gradient: kStepLoss + "_grad"; zo-update's
/// functions: + "_zo", "_zo_step", ...) and the test error's chunk.
constexpr const char *kStepLoss = "stde_step_loss";
constexpr const char *kEvalChunk = "stde_eval_chunk";
/// More threads than any CPU this runs on has cores; a larger count is a typo.
constexpr int64_t kMaxCpuThreads = 4096;

/// The element type and the types of one training module's values.
struct Types {
  Type element;
  RankedTensorType theta;
  RankedTensorType vec(int64_t n) const { return RankedTensorType::get({n}, element); }
  RankedTensorType mat(int64_t n, int64_t d) const {
    return RankedTensorType::get({n, d}, element);
  }
};

/// The error's three sums over one chunk: sum (u - u*)^2, sum u*^2, sum u.
SmallVector<Value> errorSums(OpBuilder &b, Location loc, Value u, Value ue) {
  auto col = cast<RankedTensorType>(u.getType());
  Value ones = ir::tensorConstant(b, loc, col, {1.0});
  Value diff = arith::SubFOp::create(b, loc, u, ue);
  return {ir::dotProduct(b, loc, diff, diff), ir::dotProduct(b, loc, ue, ue),
          ir::dotProduct(b, loc, u, ones)};
}


/// Marks the seed and step arguments that stde-lower-operators draws from.
void markRandomArguments(func::FuncOp func, unsigned seed, unsigned step) {
  Builder b(func.getContext());
  func.setArgAttr(seed, "stde.random", b.getStringAttr("seed"));
  func.setArgAttr(step, "stde.random", b.getStringAttr("step"));
}

/// @stde_step_loss(%theta, %seed, %step) -> T: the step's points drawn,
/// then the problem's @loss on them.
void buildStepLoss(OpBuilder &b, ModuleOp module, const Types &ty, const TrainingModuleInfo &info) {
  Location loc = module.getLoc();
  Type i64 = b.getI64Type();
  auto func = ir::privateFunction(b, module, kStepLoss,
                                  b.getFunctionType({ty.theta, i64, i64}, {ty.element}));
  func.setPublic();
  markRandomArguments(func, 1, 2);
  Value theta = func.getArgument(0), seed = func.getArgument(1), step = func.getArgument(2);
  SmallVector<Value> operands{theta};
  operands.push_back(
      ir::call(b, loc, module.lookupSymbol<func::FuncOp>(kInteriorSampler), {seed, step})
          .getResult(0));
  if (info.boundaryPoints > 0)
    operands.push_back(
        ir::call(b, loc, module.lookupSymbol<func::FuncOp>(kBoundarySampler), {seed, step})
            .getResult(0));
  Value loss =
      ir::call(b, loc, module.lookupSymbol<func::FuncOp>("loss"), operands).getResult(0);
  if (info.share.partial()) {
    // @loss averages over the rank's share: 1/P of that is the rank's part
    // of the one-process mean, and the parts add up over the ranks.
    setRankShare(func, info.share);
    loss = arith::MulFOp::create(b, loc, loss,
                                 ir::constant(b, loc, ty.element, 1.0 / double(info.share.ranks)));
  }
  func::ReturnOp::create(b, loc, loss);
}

/// @stde_eval_chunk(%theta, %seed, %chunk) -> (T, T, T): the error sums on
/// one chunk of test points (or at the reference point).
void buildEvalChunk(OpBuilder &b, ModuleOp module, const Types &ty,
                    const TrainingModuleInfo &info) {
  Location loc = module.getLoc();
  Type t = ty.element, i64 = b.getI64Type();
  auto func = ir::privateFunction(b, module, kEvalChunk,
                                  b.getFunctionType({ty.theta, i64, i64}, {t, t, t}));
  func.setPublic();
  Value theta = func.getArgument(0);
  auto u = FlatSymbolRefAttr::get(b.getContext(), "u");
  SmallVector<Value> sums;
  if (info.errorMetric == ErrorMetric::testPoints) {
    int64_t n = info.testBatch;
    Value xs = ir::call(b, loc, module.lookupSymbol<func::FuncOp>(kTestSampler),
                        {func.getArgument(1), func.getArgument(2)})
                   .getResult(0);
    Value values = ApplyOp::create(b, loc, ty.vec(n), u, theta, xs);
    Value exact = ApplyOp::create(b, loc, ty.vec(n),
                                  FlatSymbolRefAttr::get(b.getContext(), "u_exact"), Value(), xs);
    sums = errorSums(b, loc, values, exact);
  } else {
    Value xs = ir::tensorConstant(b, loc, ty.mat(1, info.dim), info.referencePoint);
    Value values = ApplyOp::create(b, loc, ty.vec(1), u, theta, xs);
    Value exact = ir::tensorConstant(b, loc, ty.vec(1), {info.referenceValue});
    sums = errorSums(b, loc, values, exact);
  }
  func::ReturnOp::create(b, loc, sums);
}

/// The samplers (Domain.h) and the functions the pipeline lowers: the
/// step's loss and the test chunk. They stay public (the entries added after
/// lowering call them too).
void addProblemLevelFunctions(OpBuilder &b, ModuleOp module, const Types &ty,
                              const TrainingModuleInfo &info) {
  namespace streams = runtime::streams;
  const Domain &domain = info.domain;
  buildSampler(b, module, domain, ty.element, kInteriorSampler, info.points, streams::trainPoints,
               streams::trainPointsAux, /*boundary=*/false, info.share).setPublic();
  if (info.boundaryPoints > 0)
    buildSampler(b, module, domain, ty.element, kBoundarySampler, info.boundaryPoints,
                 streams::trainBoundary, streams::trainBoundaryAux, /*boundary=*/true,
                 info.share)
        .setPublic();
  if (info.errorMetric == ErrorMetric::testPoints)
    buildSampler(b, module, domain, ty.element, kTestSampler, info.testBatch, streams::testPoints,
                 streams::testPointsAux, /*boundary=*/false)
        .setPublic();
  buildStepLoss(b, module, ty, info);
  if (info.errorMetric != ErrorMetric::none)
    buildEvalChunk(b, module, ty, info);
}

/// The optimizer's update of (p, m, v) from the gradient: one fused
/// elementwise loop over all parameters. Returns the new p (and m, v for Adam).
SmallVector<Value> buildOptimizer(OpBuilder &b, Location loc, const TrainingSpec &spec, Value p,
                                  Value m, Value v, Value grad, Value step) {
  auto type = cast<RankedTensorType>(p.getType());
  Type t = type.getElementType();
  auto c = [&](double value) { return ir::constant(b, loc, t, value); };
  Value one = c(1.0), zero = c(0.0), lr = c(spec.learningRate);
  Value stepf = arith::SIToFPOp::create(b, loc, t, step);
  if (spec.decaySteps > 0) {
    // Linear decay to 0 at decaySteps (the STDE paper's schedule).
    Value fraction = arith::DivFOp::create(b, loc, stepf, c(double(spec.decaySteps)));
    Value keep = arith::SubFOp::create(b, loc, one, fraction);
    lr = arith::MulFOp::create(b, loc, lr, arith::MaximumFOp::create(b, loc, keep, zero));
  }
  AffineMap id = b.getMultiDimIdentityMap(1);
  SmallVector<utils::IteratorType> parallel{utils::IteratorType::parallel};
  auto empty = [&] { return tensor::EmptyOp::create(b, loc, type.getShape(), t).getResult(); };
  if (spec.optimizer == OptimizerKind::sgd) {
    auto update = linalg::GenericOp::create(
        b, loc, TypeRange{type}, ValueRange{p, grad}, ValueRange{empty()},
        SmallVector<AffineMap>(3, id), parallel,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value d = arith::MulFOp::create(nb, nloc, lr, args[1]);
          linalg::YieldOp::create(nb, nloc, ValueRange{arith::SubFOp::create(nb, nloc, args[0], d)});
        });
    return {update.getResult(0)};
  }
  Value b1 = c(spec.beta1), b2 = c(spec.beta2), nb1 = c(1.0 - spec.beta1),
        nb2 = c(1.0 - spec.beta2), eps = c(spec.epsilon);
  Value t1 = arith::AddFOp::create(b, loc, stepf, one);
  Value c1 = arith::SubFOp::create(b, loc, one, math::PowFOp::create(b, loc, b1, t1));
  Value c2 = arith::SubFOp::create(b, loc, one, math::PowFOp::create(b, loc, b2, t1));
  auto update = linalg::GenericOp::create(
      b, loc, TypeRange{type, type, type}, ValueRange{p, m, v, grad},
      ValueRange{empty(), empty(), empty()}, SmallVector<AffineMap>(7, id), parallel,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value pi = args[0], mi = args[1], vi = args[2], gi = args[3];
        auto mul = [&](Value x, Value y) { return arith::MulFOp::create(nb, nloc, x, y); };
        auto add = [&](Value x, Value y) { return arith::AddFOp::create(nb, nloc, x, y); };
        auto div = [&](Value x, Value y) { return arith::DivFOp::create(nb, nloc, x, y); };
        Value m1 = add(mul(b1, mi), mul(nb1, gi));
        Value v1 = add(mul(b2, vi), mul(nb2, mul(gi, gi)));
        Value mh = div(m1, c1), vh = div(v1, c2);
        Value den = add(math::SqrtOp::create(nb, nloc, vh), eps);
        Value p1 = arith::SubFOp::create(nb, nloc, pi, mul(lr, div(mh, den)));
        linalg::YieldOp::create(nb, nloc, ValueRange{p1, m1, v1});
      });
  return SmallVector<Value>(update.getResults());
}

/// The entry points every training module has: the loss alone, the test
/// error, the step's points.
void buildCommonEntries(OpBuilder &b, ModuleOp module, const Types &ty,
                        const TrainingModuleInfo &info, std::vector<EntrySignature> &entries) {
  EntrySizes sizes = info.entrySizes();
  Location loc = module.getLoc();
  auto lookup = [&](StringRef name) { return module.lookupSymbol<func::FuncOp>(name); };
  {
    EntryFunction f(b, module, entry::loss, sizes, ty.element);
    Value loss = ir::call(b, loc, lookup(kStepLoss),
                          {f.load("params"), f.arg("seed"), f.arg("step")})
                     .getResult(0);
    f.storeScalars("loss", loss);
    f.finish();
    entries.push_back(entry::loss);
  }
  if (info.errorMetric != ErrorMetric::none) {
    EntryFunction f(b, module, entry::testError, sizes, ty.element);
    auto sums = ir::call(b, loc, lookup(kEvalChunk),
                         {f.load("params"), f.arg("seed"), f.arg("chunk")});
    f.storeScalars("sums", sums.getResults());
    f.finish();
    entries.push_back(entry::testError);
  }
  // The step's points, for users who look at them (and for the tests).
  auto sampleEntry = [&](const EntrySignature &signature, StringRef sampler) {
    EntryFunction f(b, module, signature, sizes, ty.element);
    Value xs = ir::call(b, loc, lookup(sampler), {f.arg("seed"), f.arg("step")}).getResult(0);
    f.store("points", xs);
    f.finish();
    entries.push_back(signature);
  };
  sampleEntry(entry::samplePoints, kInteriorSampler);
  if (info.boundaryPoints > 0)
    sampleEntry(entry::sampleBoundary, kBoundarySampler);
}

/// The STDE entry points, after stde-param-grad: gradient + optimizer.
void buildStdeEntries(OpBuilder &b, ModuleOp module, const Types &ty,
                      const TrainingModuleInfo &info, const TrainingSpec &spec,
                      std::vector<EntrySignature> &entries) {
  EntrySizes sizes = info.entrySizes();
  Location loc = module.getLoc();
  // The step calls the gradient entry rather than inlining a second copy of
  // the whole forward and reverse pass: that copy would double the module
  // LLVM compiles. The gradient makes one round trip through memory.
  EntryFunction gradient(b, module, entry::gradient, sizes, ty.element,
                         {b.getNamedAttr("no_inline", b.getUnitAttr())});
  auto lossAndGrad =
      ir::call(b, loc, module.lookupSymbol<func::FuncOp>(std::string(kStepLoss) + "_grad"),
               {gradient.load("params"), gradient.arg("seed"), gradient.arg("step")});
  gradient.store("grad", lossAndGrad.getResult(1));
  gradient.storeScalars("loss", lossAndGrad.getResult(0));
  func::FuncOp gradientFunc = gradient.finish();
  entries.push_back(entry::gradient);

  EntryFunction step(b, module, entry::trainStep, sizes, ty.element);
  Value gm = memref::AllocOp::create(b, loc, entryBufferType(Extent::params, sizes, ty.element));
  // freed by buffer-deallocation
  ir::call(b, loc, gradientFunc,
           {step.arg("params"), step.arg("seed"), step.arg("step"), step.arg("loss"), gm});
  Value grad = bufferization::ToTensorOp::create(b, loc, ty.theta, gm, /*restrict=*/true,
                                                 /*writable=*/false);
  SmallVector<Value> updated = buildOptimizer(b, loc, spec, step.load("params"), step.load("m"),
                                              step.load("v"), grad, step.arg("step"));
  step.store("params", updated[0]);
  if (spec.optimizer == OptimizerKind::adam) { // SGD leaves the moments untouched
    step.store("m", updated[1]);
    step.store("v", updated[2]);
  }
  step.finish();
  entries.push_back(entry::trainStep);
}

/// The zeroth-order entry points, around zo-update's functions.
void buildZoEntries(OpBuilder &b, ModuleOp module, const Types &ty, const TrainingModuleInfo &info,
                    std::vector<EntrySignature> &entries) {
  EntrySizes sizes = info.entrySizes();
  Location loc = module.getLoc();
  auto lookup = [&](StringRef suffix) {
    return module.lookupSymbol<func::FuncOp>(std::string(kStepLoss) + suffix.str());
  };
  {
    EntryFunction f(b, module, entry::zoStep, sizes, ty.element);
    Value seed = f.arg("seed"), step = f.arg("step");
    auto result = ir::call(b, loc, lookup("_zo_step"),
                           {f.load("params", /*writable=*/true), f.load("state", true), seed,
                            step, seed, step, f.arg("epoch")});
    f.store("params", result.getResult(0));
    f.store("state", result.getResult(1));
    f.storeScalars("loss", result.getResult(2));
    f.finish();
  }
  {
    EntryFunction f(b, module, entry::zoFold, sizes, ty.element);
    auto result = ir::call(b, loc, lookup("_zo_fold"),
                           {f.load("params", true), f.load("state", true), f.arg("seed"),
                            f.arg("epoch")});
    f.store("params", result.getResult(0));
    f.store("state", result.getResult(1));
    f.finish();
  }
  {
    EntryFunction f(b, module, entry::zoPair, sizes, ty.element);
    Value state = f.load("state");
    Value cores = tensor::ExtractSliceOp::create(
        b, loc, ty.vec(info.zoCores), state, ValueRange{}, ValueRange{}, ValueRange{},
        b.getDenseI64ArrayAttr({0}), b.getDenseI64ArrayAttr({info.zoCores}),
        b.getDenseI64ArrayAttr({1}));
    Value seed = f.arg("seed");
    Value losses = ir::call(b, loc, lookup("_zo"),
                            {f.load("params"), seed, f.arg("step"), cores, seed, f.arg("pstep"),
                             f.arg("epoch")})
                       .getResult(0);
    Value flat = tensor::CollapseShapeOp::create(b, loc, ty.vec(2 * info.zoPairs), losses,
                                                 ArrayRef<ReassociationIndices>{{0, 1}});
    f.store("losses", flat);
    f.finish();
  }
  {
    EntryFunction f(b, module, entry::zoDirections, sizes, ty.element);
    Value directions = ir::call(b, loc, lookup("_zo_directions"),
                                {f.arg("seed"), f.arg("pstep"), f.arg("epoch")})
                           .getResult(0);
    f.store("directions", directions);
    f.finish();
  }
  for (const EntrySignature *signature :
       {&entry::zoStep, &entry::zoFold, &entry::zoPair, &entry::zoDirections})
    entries.push_back(*signature);
}

/// Checks @loss(%theta, %xs[, %xb]) -> T against the network.
LogicalResult readLossSignature(func::FuncOp loss, NetworkOp network, TrainingModuleInfo &info) {
  Type element = network.getElementType();
  FunctionType type = loss.getFunctionType();
  auto batch = [&](unsigned i) -> RankedTensorType {
    auto xs = i < type.getNumInputs() ? dyn_cast<RankedTensorType>(type.getInput(i)) : nullptr;
    if (!xs || xs.getRank() != 2 || xs.getDimSize(1) != info.dim || xs.getElementType() != element ||
        xs.isDynamicDim(0))
      return nullptr;
    return xs;
  };
  unsigned inputs = type.getNumInputs();
  RankedTensorType xs = batch(1), xb = inputs == 3 ? batch(2) : nullptr;
  if ((inputs != 2 && inputs != 3) || type.getInput(0) != network.getArgumentTypes()[0] || !xs ||
      (inputs == 3 && !xb) || type.getNumResults() != 1 || type.getResult(0) != element)
    return loss.emitError("@loss must have the signature (")
           << network.getArgumentTypes()[0] << ", tensor<N x " << info.dim << " x " << element
           << ">[, tensor<M x " << info.dim << " x " << element << ">]) -> " << element
           << " (parameters of @u, the residual points, optionally boundary points; the loss)";
  info.points = xs.getDimSize(0);
  info.boundaryPoints = xb ? xb.getDimSize(0) : 0;
  return success();
}

/// How the error is measured: @u_exact on test points, or a reference value
/// at one point (`stde.reference = {value = v, point = array<f64: ...>}`,
/// the point defaulting to the origin).
LogicalResult readErrorMetric(ModuleOp module, NetworkOp network, TrainingModuleInfo &info) {
  Type element = network.getElementType();
  auto exact = module.lookupSymbol<NetworkOp>("u_exact");
  auto reference = module->getAttrOfType<DictionaryAttr>("stde.reference");
  if (exact && reference)
    return module.emitError("give either @u_exact or stde.reference, not both: the error is "
                            "measured one way");
  if (exact) {
    if (exact.hasParams() || exact.getInputDim() != info.dim || exact.getElementType() != element ||
        exact.getSpaceTime() != network.getSpaceTime())
      return exact.emitError("@u_exact must be a fixed field of the same points as @u: (tensor<")
             << info.dim << "x" << element << ">) -> " << element
             << (network.getSpaceTime() ? ", marked space_time" : "");
    info.errorMetric = ErrorMetric::testPoints;
    return success();
  }
  if (!module->hasAttr("stde.reference"))
    return success();
  auto value = reference ? reference.getAs<FloatAttr>("value") : nullptr;
  if (!value)
    return module.emitError("`stde.reference` must be a dictionary with a float `value` (and "
                            "optionally `point = array<f64: ...>`), e.g. {value = 0.47006 : f64}");
  info.referenceValue = value.getValueAsDouble();
  if (info.referenceValue == 0.0 || !std::isfinite(info.referenceValue))
    return module.emitError("the reference value must be finite and nonzero (the error is "
                            "relative to it)");
  info.referencePoint.assign(info.dim, 0.0);
  if (Attribute point = reference.get("point")) {
    auto array = dyn_cast<DenseF64ArrayAttr>(point);
    if (!array || int64_t(array.size()) != info.dim)
      return module.emitError("the reference point must be `array<f64: ...>` with ")
             << info.dim << " entries (the coordinates of @u)";
    info.referencePoint.assign(array.asArrayRef().begin(), array.asArrayRef().end());
  }
  info.errorMetric = ErrorMetric::referencePoint;
  return success();
}

} // namespace

FailureOr<TrainingModuleInfo> stde::readProblem(ModuleOp module, const TrainingSpec &spec) {
  TrainingModuleInfo info;
  auto network = module.lookupSymbol<NetworkOp>("u");
  if (!module->hasAttr("stde.domain") && !network)
    return module.emitError("the problem module names no domain: write `module attributes "
                            "{stde.domain = \"unit_ball\"} { ... }`");
  if (!network || !network.hasParams())
    return module.emitError("the problem needs `stde.network @u(%theta: tensor<P x T>, %x: "
                            "tensor<D x T>)`, the ansatz being trained");
  FailureOr<Domain> domain = readDomain(module, network);
  if (failed(domain))
    return failure();
  info.domain = *domain;
  auto loss = module.lookupSymbol<func::FuncOp>("loss");
  if (!loss)
    return module.emitError("the problem needs `func.func @loss(%theta: tensor<P x T>, %xs: "
                            "tensor<N x D x T>) -> T` (its residual points are drawn per step)");
  info.numParams = network.getNumParams();
  info.dim = network.getInputDim();
  info.spatialDim = network.getSpatialDim();
  info.dtype = network.getElementType().isF32() ? DType::f32 : DType::f64;
  if (failed(readLossSignature(loss, network, info)) ||
      failed(readErrorMetric(module, network, info)))
    return failure();
  FailureOr<ParamLayout> layout = getParamLayout(network);
  if (failed(layout))
    return failure();
  for (const LayerSlot &slot : layout->layers)
    info.layers.push_back({slot.offset, slot.inFeatures, slot.outFeatures});
  info.share = {spec.parallel.rank, spec.parallel.ranks};
  info.testBatch = spec.testBatch > 0 ? spec.testBatch : automaticTestBatch(info.dim);
  if (info.errorMetric == ErrorMetric::referencePoint)
    info.testBatch = 1;
  return info;
}

namespace {

/// The optimizer settings, each with what to change (they become IR
/// constants: an infinity or NaN would not even parse).
std::string checkOptimizerSpec(const TrainingSpec &spec) {
  if (!(spec.learningRate > 0.0) || !std::isfinite(spec.learningRate))
    return "the learning rate must be positive and finite (e.g. 1e-3)";
  if (spec.decaySteps < 0)
    return "decaySteps must be >= 0 (0: a constant learning rate)";
  if (!(spec.beta1 >= 0.0 && spec.beta1 < 1.0) || !(spec.beta2 >= 0.0 && spec.beta2 < 1.0))
    return "Adam's beta1 and beta2 must be in [0, 1) (the usual 0.9, 0.999)";
  if (!(spec.epsilon > 0.0) || !std::isfinite(spec.epsilon))
    return "Adam's epsilon must be positive and finite (the usual 1e-8)";
  if (spec.samples < 0 || spec.testBatch < 0)
    return "samples and testBatch must be >= 0 (0: keep the problem's, choose automatically)";
  if (spec.cpuThreads < 0 || spec.cpuThreads > kMaxCpuThreads)
    return "cpuThreads must be in 0 ... " + std::to_string(kMaxCpuThreads) +
           " (0: every core, 1: no thread team)";
  return "";
}

/// Each step draws its points' coordinates from one random stream.
std::string checkPointDraws(const TrainingModuleInfo &info) {
  // A rank's share draws its rows of the whole batch's draw.
  int64_t ranks = info.share.ranks;
  for (auto [count, what] : {std::pair(info.points * ranks, "residual"),
                             std::pair(info.boundaryPoints * ranks, "boundary")})
    if (double(count) * double(info.dim) > double(rng::kMaxDrawElements)) {
      std::ostringstream os;
      os << count << " " << what << " points of " << info.dim << " coordinates are "
         << double(count) * double(info.dim)
         << " random numbers per step, more than one random stream holds (2^32): use at most "
         << rng::kMaxDrawElements / info.dim << " " << what << " points per step";
      return os.str();
    }
  return "";
}

/// The zeroth-order settings, each with what to change.
std::string checkZoSpec(const ZoSpec &z, OptimizerKind optimizer) {
  if (!(z.eps > 0.0) || !std::isfinite(z.eps))
    return "the zeroth-order radius eps must be positive and finite (e.g. 1e-3)";
  if (z.rank < 1 || z.rank > 32)
    return "the zeroth-order rank must be in [1, 32] (each layer uses min(rank, its sizes))";
  if (z.pairs < 1 || z.pairs > 256)
    return "the number of +/- pairs per step must be in [1, 256]";
  if (z.refresh < 1 || !(z.refreshGrowth >= 1.0) || !std::isfinite(z.refreshGrowth))
    return "the subspace refresh needs an interval >= 1 step and a growth factor >= 1";
  if (!(z.momentum >= 0.0 && z.momentum < 1.0))
    return "the zeroth-order momentum must be in [0, 1) (0: plain ZO-SGD)";
  if (z.momentum > 0.0 && optimizer == OptimizerKind::adam)
    return "the zeroth-order momentum is heavy ball for OptimizerKind::sgd; Adam (the default) "
           "has its own (beta1): set momentum 0 or the optimizer to sgd";
  return "";
}

/// The data-parallel settings, each with what to change.
std::string checkDataParallel(const TrainingSpec &spec) {
  const DataParallel &p = spec.parallel;
  if (p.ranks < 1 || p.rank < 0 || p.rank >= p.ranks)
    return "data-parallel rank " + std::to_string(p.rank) + " of " + std::to_string(p.ranks) +
           " ranks: the rank must lie in [0, ranks)";
  return "";
}

/// Runs the passes `add` puts into a pass manager anchored on the module.
LogicalResult runPasses(ModuleOp module, llvm::function_ref<void(OpPassManager &)> add) {
  PassManager pm(module.getContext());
  add(pm);
  return pm.run(module);
}

/// The estimators of the module's Laplacians, biharmonics and diffs (after
/// stde-resolve-estimators), each once in the order met, as the dialect
/// prints them; `samples` > 0 overrides the random ones' counts, as the
/// lowering does.
std::vector<std::string> estimatorsOf(ModuleOp module, int64_t samples) {
  std::vector<std::string> found;
  module.walk([&](Operation *op) {
    if (!isa<LaplacianOp, BiharmonicOp, DiffOp>(op))
      return;
    Attribute estimator = op->getAttr("estimator");
    if (auto sparse = dyn_cast_or_null<SparseAttr>(estimator); sparse && samples > 0)
      estimator = SparseAttr::get(op->getContext(), samples);
    if (auto dense = dyn_cast_or_null<DenseEstimatorAttr>(estimator); dense && samples > 0)
      estimator = DenseEstimatorAttr::get(op->getContext(), dense.getDistribution(), samples);
    if (!estimator)
      return;
    std::string text;
    llvm::raw_string_ostream os(text);
    estimator.print(os);
    if (std::find(found.begin(), found.end(), text) == found.end())
      found.push_back(text);
  });
  return found;
}

} // namespace

DiagnosticCollector::DiagnosticCollector(MLIRContext &context)
    : handler(&context, [this](Diagnostic &diag) {
        std::string location;
        llvm::raw_string_ostream os(location);
        diag.getLocation().print(os);
        messages += location + ": " + diag.str() + "\n";
        for (Diagnostic &note : diag.getNotes())
          messages += "  note: " + note.str() + "\n";
        if (diag.getSeverity() == DiagnosticSeverity::Remark)
          remarkList.push_back(location + ": " + diag.str());
        return success();
      }) {}

void stde::addResolveEstimators(OpPassManager &pm, const TrainingSpec &spec) {
  if (spec.defaultEstimator)
    pm.addPass(createStdeResolveEstimators(
        [estimator = *spec.defaultEstimator](MLIRContext *context) {
          return estimatorAttr(context, estimator);
        }));
  else
    pm.addPass(createStdeResolveEstimators());
}

void stde::addLossLowering(OpPassManager &pm, const TrainingSpec &spec, bool resolve,
                           StringRef function) {
  if (resolve)
    addResolveEstimators(pm, spec);
  StdeLowerOperatorsOptions lower;
  lower.samples = spec.samples;
  pm.addPass(createStdeLowerOperators(lower));
  const Rewrites &r = spec.rewrites;
  JetSimplifyOptions simplify;
  simplify.collapse = r.collapse;
  simplify.merge = r.merge;
  simplify.oneHot = r.oneHot;
  simplify.zero = r.zero;
  pm.addPass(createJetSimplify(simplify));
  JetExpandOptions expand;
  expand.dropNetworks = true;
  pm.addPass(createJetExpand(expand));
  bool zo = spec.method == TrainingMethod::zo;
  if (zo) {
    ZoPairOptions pair;
    pair.functions = function.str();
    pair.eps = spec.zo.eps;
    pair.rank = spec.zo.rank;
    pair.pairs = spec.zo.pairs;
    pm.addPass(createZoPair(pair));
    ZoUpdateOptions update;
    update.learningRate = spec.learningRate;
    update.decaySteps = spec.decaySteps;
    update.momentum = spec.zo.momentum;
    update.optimizer = spec.optimizer == OptimizerKind::adam ? "adam" : "sgd";
    update.beta1 = spec.beta1;
    update.beta2 = spec.beta2;
    update.epsilon = spec.epsilon;
    pm.addPass(createZoUpdate(update));
  }
  pm.addPass(createConvertJetToTensor());
  if (zo)
    pm.addPass(createConvertZoToTensor());
  pm.addPass(createConvertRngToArith());
  OpPassManager &funcs = pm.nest<func::FuncOp>();
  funcs.addPass(createCanonicalizerPass());
  funcs.addPass(createCSEPass());
  if (!zo) {
    StdeParamGradOptions grad;
    grad.functions = function.str();
    pm.addPass(createStdeParamGrad(grad));
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // After CSE: the first layer's shared W x is one product already, and the
  // weights every side slices out of the parameters are one value.
  if (zo && spec.rewrites.stackProducts)
    pm.nest<func::FuncOp>().addPass(createMergeWeightProducts());
}

Expected<TrainingModule> stde::buildTrainingModule(MLIRContext &context, const std::string &text,
                                                   const TrainingSpec &spec, Stage stage) {
  DiagnosticCollector diagnostics(context);
  auto fail = [&](const std::string &what) { return diagnostics.error(what); };

  if (std::string bad = checkOptimizerSpec(spec); !bad.empty())
    return Status::error(bad);
  if (spec.method == TrainingMethod::zo)
    if (std::string bad = checkZoSpec(spec.zo, spec.optimizer); !bad.empty())
      return Status::error(bad);
  if (std::string bad = checkDataParallel(spec); !bad.empty())
    return Status::error(bad);
  TrainingModule result;
  result.module = parseSourceString<ModuleOp>(text, ParserConfig(&context), "problem");
  if (!result.module)
    return fail("the problem does not parse");
  ModuleOp module = *result.module;
  FailureOr<TrainingModuleInfo> info = readProblem(module, spec);
  if (failed(info))
    return fail("the problem module does not follow the contract (stde/API/Problems.h)");
  result.info = *info;
  // MPI counts are ints: a gradient of 2^31 values or more is not one allreduce.
  if (info->share.partial() && info->numParams >= (int64_t(1) << 31))
    return Status::error("data-parallel training sums the gradient in one MPI_Allreduce, which "
                         "counts at most 2^31 - 1 values; this network has " +
                         std::to_string(info->numParams) + " parameters: use fewer");
  if (std::string bad = checkPointDraws(*info); !bad.empty())
    return Status::error(bad);
  OpBuilder b(&context);
  Types ty;
  ty.element = info->dtype == DType::f32 ? Type(b.getF32Type()) : Type(b.getF64Type());
  ty.theta = ty.vec(info->numParams);

  addProblemLevelFunctions(b, module, ty, *info);
  if (failed(verify(module)))
    return fail("internal: the training functions do not verify");
  // The step's loss absorbs the problem's @loss.
  if (failed(runPasses(module, [](OpPassManager &pm) { pm.addPass(createInlinerPass()); })))
    return fail("inlining the problem's @loss failed");
  module.lookupSymbol<func::FuncOp>("loss").erase();
  if (stage == Stage::problem)
    return result;

  bool zo = spec.method == TrainingMethod::zo;
  if (failed(runPasses(module, [&](OpPassManager &pm) { addResolveEstimators(pm, spec); })))
    return fail("resolving the operators' estimators failed");
  result.estimators = estimatorsOf(module, spec.samples);
  if (failed(runPasses(module, [&](OpPassManager &pm) {
        addLossLowering(pm, spec, /*resolve=*/false, kStepLoss);
      })))
    return fail(zo ? "lowering the paired loss and its update failed"
                   : "lowering the loss and its gradient failed");
  TrainingModuleInfo &built = result.info;
  built.stateSize = built.numParams;
  if (zo) {
    auto step = module.lookupSymbol<func::FuncOp>(std::string(kStepLoss) + "_zo_step");
    auto paired = module.lookupSymbol<func::FuncOp>(std::string(kStepLoss) + "_zo");
    if (!step || !paired)
      return fail("internal: zo-update made no step function");
    built.stateSize = cast<RankedTensorType>(step.getFunctionType().getInput(1)).getDimSize(0);
    built.zoCores = cast<RankedTensorType>(paired.getFunctionType().getInput(3)).getDimSize(0);
    built.zoPairs = spec.zo.pairs;
  }
  // Only the entry points stay public: the rest is inlined into them.
  for (auto func : module.getOps<func::FuncOp>())
    func.setPrivate();
  buildCommonEntries(b, module, ty, built, result.entries);
  if (zo)
    buildZoEntries(b, module, ty, built, result.entries);
  else
    buildStdeEntries(b, module, ty, built, spec, result.entries);
  if (failed(verify(module)))
    return fail("internal: the entry points do not verify");
  if (built.share.partial()) {
    // What lowering made of the share is a share too (its gradient, its
    // paired losses); the entries and zo-update's step that call them get
    // the sums over the ranks.
    for (StringRef suffix : {"", "_grad", "_zo"})
      if (auto share = module.lookupSymbol<func::FuncOp>(std::string(kStepLoss) + suffix.str()))
        setRankShare(share, built.share);
    if (failed(runPasses(module, [](OpPassManager &pm) { pm.addPass(createStdeSumAcrossRanks()); })))
      return fail("internal: summing the step over the ranks failed");
  }
  if (failed(runPasses(module, [](OpPassManager &pm) {
        pm.addPass(createInlinerPass());
        pm.addPass(createSymbolDCEPass());
      })))
    return fail("internal: composing the entry points failed");
  result.remarks = diagnostics.remarks();
  return lowerEntryModule(result, spec, stage, zo || spec.leanMemory);
}

Expected<TrainingModule> stde::lowerEntryModule(TrainingModule &result, const TrainingSpec &spec,
                                                Stage stage, bool leanMemory) {
  ModuleOp module = *result.module;
  MLIRContext &context = *module.getContext();
  DiagnosticCollector diagnostics(context);
  auto fail = [&](const std::string &what) { return diagnostics.error(what); };
  std::vector<const EntrySignature *> signatures;
  for (const EntrySignature &signature : result.entries)
    signatures.push_back(&signature);
  Type element = result.info.dtype == DType::f32 ? Type(Float32Type::get(&context))
                                                 : Type(Float64Type::get(&context));
  EntrySizes sizes = result.info.entrySizes();
  if (Status s = checkCompiledEntries(module, signatures, sizes, element); !s)
    return s;
  if (stage == Stage::tensor)
    return std::move(result);
  if (spec.target == Target::cuda || spec.target == Target::gpuEmulator) {
    GpuTargetOptions gpu;
    gpu.chip = spec.gpuChip.empty() ? "sm_90" : spec.gpuChip;
    gpu.leanMemory = leanMemory;
    gpu.emulate = spec.target == Target::gpuEmulator;
    gpu.collectives = result.info.share.partial();
    if (llvm::Error error = validate(gpu))
      return fail(llvm::toString(std::move(error)));
    if (failed(runPasses(module, [&](OpPassManager &pm) { buildGpuPipeline(pm, gpu); })))
      return fail("lowering the program for the GPU failed");
    if (!gpu.emulate)
      if (auto ptx = ptxOf(module); !ptx)
        return fail(llvm::toString(ptx.takeError()));
  } else {
    int64_t threads = spec.rewrites.threads ? spec.cpuThreads : 1;
    if (failed(runPasses(module, [&](OpPassManager &pm) {
          addTensorToLLVM(pm, spec.rewrites.runtimeMatmul, leanMemory, threads,
                          /*collectives=*/result.info.share.partial(), spec.rewrites.mathLanes);
        })))
      return fail("lowering the program to LLVM failed");
  }
  if (Status s = checkCompiledEntries(module, signatures, sizes, element); !s)
    return s;
  return std::move(result);
}

int64_t stde::automaticTestBatch(int64_t dim) {
  // Memory: a batch's points and the few temporaries of their size.
  return std::max<int64_t>(1, std::min<int64_t>(1000, (int64_t(1) << 24) / std::max<int64_t>(dim, 1)));
}
