//===- TrainingEntries.cpp - what buildTrainingModule composes ------------===//
//
// See TrainingEntries.h. The entry points' signatures and marshalling are in
// EntryPoints.h; the optimizer steps are built here as tensor IR.
//
//===----------------------------------------------------------------------===//
#include "TrainingEntries.h"
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

namespace stde::training {

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

namespace {

func::FuncOp zoFunction(ModuleOp module, StringRef suffix) {
  return module.lookupSymbol<func::FuncOp>(std::string(kStepLoss) + suffix.str());
}

/// The step (paired evaluation and update) and the fold at a refresh.
void buildZoTrainingEntries(OpBuilder &b, ModuleOp module, const Types &ty,
                            const EntrySizes &sizes) {
  Location loc = module.getLoc();
  {
    EntryFunction f(b, module, entry::zoStep, sizes, ty.element);
    Value seed = f.arg("seed"), step = f.arg("step");
    auto result = ir::call(b, loc, zoFunction(module, "_zo_step"),
                           {f.load("params", /*writable=*/true), f.load("state", true), seed,
                            step, seed, step, f.arg("epoch")});
    f.store("params", result.getResult(0));
    f.store("state", result.getResult(1));
    f.storeScalars("loss", result.getResult(2));
    f.finish();
  }
  {
    EntryFunction f(b, module, entry::zoFold, sizes, ty.element);
    auto result = ir::call(b, loc, zoFunction(module, "_zo_fold"),
                           {f.load("params", true), f.load("state", true), f.arg("seed"),
                            f.arg("epoch")});
    f.store("params", result.getResult(0));
    f.store("state", result.getResult(1));
    f.finish();
  }
}

/// The paired losses and the materialized directions (the tests' probes).
void buildZoProbeEntries(OpBuilder &b, ModuleOp module, const Types &ty,
                         const TrainingModuleInfo &info, const EntrySizes &sizes) {
  Location loc = module.getLoc();
  {
    EntryFunction f(b, module, entry::zoPair, sizes, ty.element);
    Value state = f.load("state");
    Value cores = tensor::ExtractSliceOp::create(
        b, loc, ty.vec(info.zoCores), state, ValueRange{}, ValueRange{}, ValueRange{},
        b.getDenseI64ArrayAttr({0}), b.getDenseI64ArrayAttr({info.zoCores}),
        b.getDenseI64ArrayAttr({1}));
    Value seed = f.arg("seed");
    Value losses = ir::call(b, loc, zoFunction(module, "_zo"),
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
    Value directions = ir::call(b, loc, zoFunction(module, "_zo_directions"),
                                {f.arg("seed"), f.arg("pstep"), f.arg("epoch")})
                           .getResult(0);
    f.store("directions", directions);
    f.finish();
  }
}

} // namespace

/// The zeroth-order entry points, around zo-update's functions.
void buildZoEntries(OpBuilder &b, ModuleOp module, const Types &ty, const TrainingModuleInfo &info,
                    bool probes, std::vector<EntrySignature> &entries) {
  EntrySizes sizes = info.entrySizes();
  if (probes) {
    buildZoProbeEntries(b, module, ty, info, sizes);
    entries.push_back(entry::zoPair);
    entries.push_back(entry::zoDirections);
  } else {
    buildZoTrainingEntries(b, module, ty, sizes);
    entries.push_back(entry::zoStep);
    entries.push_back(entry::zoFold);
  }
}

} // namespace stde::training
