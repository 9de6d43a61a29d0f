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
// and the tests' probes, in a module of their own compiled on first use
// (EntrySet::zoProbes; a training program does not carry them):
//   stde_zo_pair(params, state, seed, step, pstep, epoch, losses)
//   stde_zo_directions(seed, pstep, epoch, dirs)
// This file runs the pipelines; the functions themselves are built in
// TrainingEntries.cpp, the problem's contract is read in ProblemContract.cpp
// and the settings are checked in TrainingChecks.cpp.
//
//===----------------------------------------------------------------------===//
#include "TrainingModule.h"
#include "TrainingChecks.h"
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
using namespace stde::training;

namespace {

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
    auto typed = dyn_cast<OperatorOpInterface>(op);
    if (!typed || !typed.isEstimated())
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
                                                   const TrainingSpec &spec, Stage stage,
                                                   EntrySet entrySet) {
  DiagnosticCollector diagnostics(context);
  auto fail = [&](const std::string &what) { return diagnostics.error(what); };

  if (std::string bad = checkOptimizerSpec(spec); !bad.empty())
    return Status::error(bad);
  if (spec.method == TrainingMethod::zo)
    if (std::string bad = checkZoSpec(spec.zo, spec.optimizer); !bad.empty())
      return Status::error(bad);
  if (std::string bad = checkDataParallel(spec); !bad.empty())
    return Status::error(bad);
  bool probes = entrySet == EntrySet::zoProbes;
  if (probes && spec.method != TrainingMethod::zo)
    return Status::error("internal: the zeroth-order probes of an STDE program");
  TrainingModule result;
  result.source = text;
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
  if (!probes)
    buildCommonEntries(b, module, ty, built, result.entries);
  if (zo)
    buildZoEntries(b, module, ty, built, probes, result.entries);
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
