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
#include "IRText.h"

#include "dialects/rng/RngLimits.h"
#include "dialects/stde/ParamLayout.h"
#include "dialects/stde/StdeOps.h"
#include "runtime/Philox.h"
#include "stde/Target/CpuPipeline.h"
#include "stde/Target/GpuPipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cmath>
#include <cstdio>
#include <sstream>

using namespace mlir;
using namespace stde;

namespace {

constexpr const char *kInteriorSampler = "stde_sample_interior";
constexpr const char *kBoundarySampler = "stde_sample_boundary";
constexpr const char *kTestSampler = "stde_sample_test";
/// More threads than any CPU this runs on has cores; a larger count is a typo.
constexpr int64_t kMaxCpuThreads = 4096;

/// Sum over a vector as a scalar %name (v: tensor<N x T>).
std::string sumOf(const TensorTypes &ty, const std::string &name, const std::string &a,
                  const std::string &b, int64_t n) {
  std::string col = ty.vec(n), t = ty.t, s = "tensor<" + t + ">";
  return "  %" + name + "_e = tensor.empty() : " + s + "\n" + "  %" + name +
         "_z = linalg.fill ins(%zero : " + t + ") outs(%" + name + "_e : " + s + ") -> " + s +
         "\n" + "  %" + name + "_d = linalg.dot ins(%" + a + ", %" + b + " : " + col + ", " + col +
         ") outs(%" + name + "_z : " + s + ") -> " + s + "\n" + "  %" + name +
         " = tensor.extract %" + name + "_d[] : " + s + "\n";
}

/// The error's three sums over one chunk: sum (u - u*)^2, sum u*^2, sum u,
/// from %u and %ue (tensor<N x T>).
std::string errorSums(const TensorTypes &ty, int64_t n) {
  std::string col = ty.vec(n), t = ty.t;
  return "  %zero = arith.constant 0.0 : " + t + "\n" + "  %ones = arith.constant dense<1.0> : " +
         col + "\n" + "  %diff = arith.subf %u, %ue : " + col + "\n" +
         sumOf(ty, "a", "diff", "diff", n) + sumOf(ty, "c", "ue", "ue", n) +
         sumOf(ty, "s", "u", "ones", n) + "  return %a, %c, %s : " + t + ", " + t + ", " + t +
         "\n}\n";
}

/// The functions added before lowering: the samplers, the step's loss and
/// the test chunk. The samplers stay public (the entries added after
/// lowering call them too).
std::string problemLevelFunctions(const TensorTypes &ty, const TrainingModuleInfo &info) {
  namespace streams = runtime::streams;
  std::ostringstream os;
  const Domain &domain = info.domain;
  os << interiorSampler(domain, ty, kInteriorSampler, info.points, streams::trainPoints,
                        streams::trainPointsAux);
  if (info.boundaryPoints > 0)
    os << boundarySampler(domain, ty, kBoundarySampler, info.boundaryPoints,
                          streams::trainBoundary, streams::trainBoundaryAux);
  std::string seeds = "%seed: i64 {stde.random = \"seed\"}, %step: i64 {stde.random = \"step\"}";
  std::string pts = ty.mat(info.points, info.dim), bpts = ty.mat(info.boundaryPoints, info.dim);
  os << "func.func @stde_step_loss(%theta: " << ty.theta << ", " << seeds << ") -> " << ty.t
     << " {\n"
     << "  %xs = func.call @" << kInteriorSampler << "(%seed, %step) : (i64, i64) -> " << pts
     << "\n";
  if (info.boundaryPoints > 0)
    os << "  %xb = func.call @" << kBoundarySampler << "(%seed, %step) : (i64, i64) -> " << bpts
       << "\n"
       << "  %L = func.call @loss(%theta, %xs, %xb) : (" << ty.theta << ", " << pts << ", " << bpts
       << ") -> " << ty.t << "\n";
  else
    os << "  %L = func.call @loss(%theta, %xs) : (" << ty.theta << ", " << pts << ") -> " << ty.t
       << "\n";
  os << "  return %L : " << ty.t << "\n}\n";

  std::string t = ty.t, three = t + ", " + t + ", " + t;
  if (info.errorMetric == ErrorMetric::testPoints) {
    int64_t b = info.testBatch;
    std::string tp = ty.mat(b, info.dim), col = ty.vec(b);
    os << interiorSampler(domain, ty, kTestSampler, b, streams::testPoints, streams::testPointsAux)
       << "func.func @stde_eval_chunk(%theta: " << ty.theta << ", %seed: i64, %step: i64) -> ("
       << three << ") {\n"
       << "  %xs = func.call @" << kTestSampler << "(%seed, %step) : (i64, i64) -> " << tp << "\n"
       << "  %u = stde.apply @u(%theta, %xs) : (" << ty.theta << ", " << tp << ") -> " << col
       << "\n"
       << "  %ue = stde.apply @u_exact(%xs) : (" << tp << ") -> " << col << "\n"
       << errorSums(ty, b);
  } else if (info.errorMetric == ErrorMetric::referencePoint) {
    std::string tp = ty.mat(1, info.dim), col = ty.vec(1);
    os << "func.func @stde_eval_chunk(%theta: " << ty.theta << ", %seed: i64, %step: i64) -> ("
       << three << ") {\n"
       << "  %xs = arith.constant dense<[[";
    for (int64_t j = 0; j < info.dim; ++j)
      os << (j ? ", " : "") << mlirFloat(info.referencePoint[j]);
    os << "]]> : " << tp << "\n"
       << "  %u = stde.apply @u(%theta, %xs) : (" << ty.theta << ", " << tp << ") -> " << col
       << "\n"
       << "  %ue = arith.constant dense<" << mlirFloat(info.referenceValue) << "> : " << col << "\n"
       << errorSums(ty, 1);
  }
  return os.str();
}

/// The optimizer's elementwise update (one fused loop over all parameters).
std::string optimizerBody(const TensorTypes &ty, const TrainingSpec &spec) {
  std::ostringstream os;
  std::string t = ty.t;
  auto c = [&](const char *name, double v) {
    os << "  %" << name << " = arith.constant " << mlirFloat(v) << " : " << t << "\n";
  };
  c("one", 1.0);
  c("zero", 0.0);
  c("lr0", spec.learningRate);
  os << "  %stepf = arith.sitofp %step : i64 to " << t << "\n";
  if (spec.decaySteps > 0) {
    // Linear decay to 0 at decaySteps (the STDE paper's schedule).
    c("horizon", double(spec.decaySteps));
    os << "  %frac = arith.divf %stepf, %horizon : " << t << "\n"
       << "  %keep = arith.subf %one, %frac : " << t << "\n"
       << "  %keep0 = arith.maximumf %keep, %zero : " << t << "\n"
       << "  %lr = arith.mulf %lr0, %keep0 : " << t << "\n";
  } else {
    os << "  %lr = arith.addf %lr0, %zero : " << t << "\n";
  }
  std::string id = "affine_map<(i) -> (i)>";
  std::string p = ty.theta;
  if (spec.optimizer == OptimizerKind::sgd) {
    os << "  %ep = tensor.empty() : " << p << "\n"
       << "  %newp = linalg.generic {indexing_maps = [" << id << ", " << id << ", " << id
       << "], iterator_types = [\"parallel\"]} ins(%p, %grad : " << p << ", " << p
       << ") outs(%ep : " << p << ") {\n"
       << "  ^bb0(%pi: " << t << ", %gi: " << t << ", %o: " << t << "):\n"
       << "    %d = arith.mulf %lr, %gi : " << t << "\n"
       << "    %r = arith.subf %pi, %d : " << t << "\n"
       << "    linalg.yield %r : " << t << "\n  } -> " << p << "\n";
    return os.str();
  }
  c("b1", spec.beta1);
  c("b2", spec.beta2);
  c("nb1", 1.0 - spec.beta1);
  c("nb2", 1.0 - spec.beta2);
  c("eps", spec.epsilon);
  os << "  %t1 = arith.addf %stepf, %one : " << t << "\n"
     << "  %b1t = math.powf %b1, %t1 : " << t << "\n"
     << "  %b2t = math.powf %b2, %t1 : " << t << "\n"
     << "  %c1 = arith.subf %one, %b1t : " << t << "\n"
     << "  %c2 = arith.subf %one, %b2t : " << t << "\n"
     << "  %ep = tensor.empty() : " << p << "\n"
     << "  %em = tensor.empty() : " << p << "\n"
     << "  %ev = tensor.empty() : " << p << "\n"
     << "  %newp, %newm, %newv = linalg.generic {indexing_maps = [" << id << ", " << id << ", "
     << id << ", " << id << ", " << id << ", " << id << ", " << id
     << "], iterator_types = [\"parallel\"]} ins(%p, %m, %v, %grad : " << p << ", " << p << ", "
     << p << ", " << p << ") outs(%ep, %em, %ev : " << p << ", " << p << ", " << p << ") {\n"
     << "  ^bb0(%pi: " << t << ", %mi: " << t << ", %vi: " << t << ", %gi: " << t << ", %o1: " << t
     << ", %o2: " << t << ", %o3: " << t << "):\n"
     << "    %m1a = arith.mulf %b1, %mi : " << t << "\n"
     << "    %m1b = arith.mulf %nb1, %gi : " << t << "\n"
     << "    %m1 = arith.addf %m1a, %m1b : " << t << "\n"
     << "    %g2 = arith.mulf %gi, %gi : " << t << "\n"
     << "    %v1a = arith.mulf %b2, %vi : " << t << "\n"
     << "    %v1b = arith.mulf %nb2, %g2 : " << t << "\n"
     << "    %v1 = arith.addf %v1a, %v1b : " << t << "\n"
     << "    %mh = arith.divf %m1, %c1 : " << t << "\n"
     << "    %vh = arith.divf %v1, %c2 : " << t << "\n"
     << "    %sq = math.sqrt %vh : " << t << "\n"
     << "    %den = arith.addf %sq, %eps : " << t << "\n"
     << "    %q = arith.divf %mh, %den : " << t << "\n"
     << "    %d = arith.mulf %lr, %q : " << t << "\n"
     << "    %p1 = arith.subf %pi, %d : " << t << "\n"
     << "    linalg.yield %p1, %m1, %v1 : " << t << ", " << t << ", " << t << "\n"
     << "  } -> (" << p << ", " << p << ", " << p << ")\n";
  return os.str();
}

/// Writes entry functions: memrefs in, tensors inside, results stored back.
struct EntryWriter {
  std::ostringstream &os;
  const TensorTypes &ty;
  std::string attrs = " attributes {llvm.emit_c_interface}";

  /// %tensor from %memref (n values); `writable` lets the function update
  /// the buffer in place (the zeroth-order step touches a few slices of it).
  void load(const char *tensor, const char *memref, int64_t n, bool writable = false) {
    os << "  %" << tensor << " = bufferization.to_tensor %" << memref << " restrict"
       << (writable ? " writable" : "") << " : " << ty.mem(n) << " to " << ty.vec(n) << "\n";
  }
  void store(const char *tensor, const char *memref, int64_t n) {
    os << "  bufferization.materialize_in_destination %" << tensor << " in restrict writable %"
       << memref << " : (" << ty.vec(n) << ", " << ty.mem(n) << ") -> ()\n";
  }
  void storeScalars(const std::string &values, int64_t n, const char *memref) {
    os << "  %sc = tensor.from_elements " << values << " : " << ty.vec(n) << "\n";
    store("sc", memref, n);
  }
};

/// The entry points every training module has: the loss alone, the test
/// error, the step's points.
std::string commonEntryFunctions(const TensorTypes &ty, const TrainingModuleInfo &info) {
  std::ostringstream os;
  EntryWriter w{os, ty};
  std::string t = ty.t, p = ty.theta, mp = ty.mem(info.numParams);
  const std::string &attrs = w.attrs;
  os << "func.func @" << kLossEntry << "(%pm: " << mp << ", %seed: i64, %step: i64, %lm: "
     << ty.mem(1) << ")" << attrs << " {\n";
  w.load("p", "pm", info.numParams);
  os << "  %L = func.call @stde_step_loss(%p, %seed, %step) : (" << p << ", i64, i64) -> " << t
     << "\n";
  w.storeScalars("%L", 1, "lm");
  os << "  return\n}\n";

  if (info.errorMetric != ErrorMetric::none) {
    os << "func.func @" << kTestErrorEntry << "(%pm: " << mp << ", %seed: i64, %step: i64, %om: "
       << ty.mem(3) << ")" << attrs << " {\n";
    w.load("p", "pm", info.numParams);
    os << "  %a, %b, %s = func.call @stde_eval_chunk(%p, %seed, %step) : (" << p
       << ", i64, i64) -> (" << t << ", " << t << ", " << t << ")\n";
    w.storeScalars("%a, %b, %s", 3, "om");
    os << "  return\n}\n";
  }

  // The step's points, for users who look at them (and for the tests).
  auto sampleEntry = [&](const char *entry, const char *sampler, int64_t n) {
    std::string pts = ty.mat(n, info.dim), mem = ty.memMat(n, info.dim);
    os << "func.func @" << entry << "(%seed: i64, %step: i64, %xm: " << mem << ")" << attrs
       << " {\n"
       << "  %xs = func.call @" << sampler << "(%seed, %step) : (i64, i64) -> " << pts << "\n"
       << "  bufferization.materialize_in_destination %xs in restrict writable %xm : (" << pts
       << ", " << mem << ") -> ()\n"
       << "  return\n}\n";
  };
  sampleEntry(kSamplePointsEntry, kInteriorSampler, info.points);
  if (info.boundaryPoints > 0)
    sampleEntry(kSampleBoundaryEntry, kBoundarySampler, info.boundaryPoints);
  return os.str();
}

/// The STDE entry points, after stde-param-grad: gradient + optimizer.
std::string stdeEntryFunctions(const TensorTypes &ty, const TrainingModuleInfo &info,
                               const TrainingSpec &spec) {
  std::ostringstream os;
  EntryWriter w{os, ty};
  std::string t = ty.t, p = ty.theta, mp = ty.mem(info.numParams);
  int64_t np = info.numParams;
  auto load = [&](const char *tensor, const char *memref) { w.load(tensor, memref, np); };
  auto store = [&](const char *tensor, const char *memref) { w.store(tensor, memref, np); };
  auto storeScalars = [&](const std::string &values, int64_t n, const char *memref) {
    w.storeScalars(values, n, memref);
  };
  const std::string &attrs = w.attrs;
  // The step calls the gradient entry rather than inlining a second copy of
  // the whole forward and reverse pass: that copy would double the module
  // LLVM compiles. The gradient makes one round trip through memory.
  os << "func.func @" << kGradientEntry << "(%pm: " << mp << ", %seed: i64, %step: i64, %lm: "
     << ty.mem(1) << ", %gm: " << mp << ") attributes {llvm.emit_c_interface, no_inline} {\n";
  load("p", "pm");
  os << "  %L, %grad = func.call @stde_step_loss_grad(%p, %seed, %step) : (" << p
     << ", i64, i64) -> (" << t << ", " << p << ")\n";
  store("grad", "gm");
  storeScalars("%L", 1, "lm");
  os << "  return\n}\n";

  os << "func.func @" << kTrainStepEntry << "(%pm: " << mp << ", %mm: " << mp << ", %vm: " << mp
     << ", %seed: i64, %step: i64, %lm: " << ty.mem(1) << ")" << attrs << " {\n";
  os << "  %gm = memref.alloc() : " << mp << "\n"; // freed by buffer-deallocation
  os << "  func.call @" << kGradientEntry << "(%pm, %seed, %step, %lm, %gm) : (" << mp
     << ", i64, i64, " << ty.mem(1) << ", " << mp << ") -> ()\n";
  load("p", "pm");
  load("m", "mm");
  load("v", "vm");
  load("grad", "gm");
  os << optimizerBody(ty, spec);
  store("newp", "pm");
  if (spec.optimizer == OptimizerKind::adam) { // SGD leaves the moments untouched
    store("newm", "mm");
    store("newv", "vm");
  }
  os << "  return\n}\n";

  return os.str();
}

/// The zeroth-order entry points, around zo-update's functions.
std::string zoEntryFunctions(const TensorTypes &ty, const TrainingModuleInfo &info) {
  std::ostringstream os;
  EntryWriter w{os, ty};
  std::string t = ty.t, p = ty.theta, mp = ty.mem(info.numParams);
  int64_t np = info.numParams, ns = info.stateSize, q = info.zoPairs;
  std::string st = ty.vec(ns), ms = ty.mem(ns);
  const std::string &attrs = w.attrs;
  os << "func.func @" << kZoStepEntry << "(%pm: " << mp << ", %sm: " << ms
     << ", %seed: i64, %step: i64, %epoch: i64, %lm: " << ty.mem(1) << ")" << attrs << " {\n";
  w.load("p", "pm", np, /*writable=*/true);
  w.load("s", "sm", ns, /*writable=*/true);
  os << "  %newp, %news, %L = func.call @stde_step_loss_zo_step(%p, %s, %seed, %step, %seed, "
        "%step, %epoch) : ("
     << p << ", " << st << ", i64, i64, i64, i64, i64) -> (" << p << ", " << st << ", " << t
     << ")\n";
  w.store("newp", "pm", np);
  w.store("news", "sm", ns);
  w.storeScalars("%L", 1, "lm");
  os << "  return\n}\n";

  os << "func.func @" << kZoFoldEntry << "(%pm: " << mp << ", %sm: " << ms
     << ", %seed: i64, %epoch: i64)" << attrs << " {\n";
  w.load("p", "pm", np, /*writable=*/true);
  w.load("s", "sm", ns, /*writable=*/true);
  os << "  %newp, %news = func.call @stde_step_loss_zo_fold(%p, %s, %seed, %epoch) : (" << p
     << ", " << st << ", i64, i64) -> (" << p << ", " << st << ")\n";
  w.store("newp", "pm", np);
  w.store("news", "sm", ns);
  os << "  return\n}\n";

  int64_t cores = info.zoCores;
  std::string ct = ty.vec(cores), lt = "tensor<" + std::to_string(q) + "x2x" + t + ">";
  os << "func.func @" << kZoPairEntry << "(%pm: " << mp << ", %sm: " << ms
     << ", %seed: i64, %step: i64, %pstep: i64, %epoch: i64, %om: " << ty.mem(2 * q) << ")"
     << attrs << " {\n";
  w.load("p", "pm", np);
  w.load("s", "sm", ns);
  os << "  %c = tensor.extract_slice %s[0] [" << cores << "] [1] : " << st << " to " << ct << "\n"
     << "  %L = func.call @stde_step_loss_zo(%p, %seed, %step, %c, %seed, %pstep, %epoch) : ("
     << p << ", i64, i64, " << ct << ", i64, i64, i64) -> " << lt << "\n"
     << "  %flat = tensor.collapse_shape %L [[0, 1]] : " << lt << " into " << ty.vec(2 * q) << "\n";
  w.store("flat", "om", 2 * q);
  os << "  return\n}\n";

  os << "func.func @" << kZoDirectionsEntry << "(%seed: i64, %pstep: i64, %epoch: i64, %dm: "
     << ty.mem(q * np) << ")" << attrs << " {\n"
     << "  %d = func.call @stde_step_loss_zo_directions(%seed, %pstep, %epoch) : (i64, i64, i64) "
        "-> "
     << ty.vec(q * np) << "\n";
  w.store("d", "dm", q * np);
  os << "  return\n}\n";
  return os.str();
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

/// Reads and checks the problem's contract (Problems.h).
FailureOr<TrainingModuleInfo> readProblem(ModuleOp module, const TrainingSpec &spec) {
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
  // Test points per call: about 16M coordinates at most (memory), at most 1000.
  info.testBatch = spec.testBatch > 0 ? spec.testBatch
                                      : std::max<int64_t>(1, std::min<int64_t>(1000, (int64_t(1) << 24) / info.dim));
  if (info.errorMetric == ErrorMetric::referencePoint)
    info.testBatch = 1;
  return info;
}

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
  for (auto [count, what] : {std::pair(info.points, "residual"),
                             std::pair(info.boundaryPoints, "boundary")})
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
std::string checkZoSpec(const ZoSpec &z) {
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
  return "";
}

LogicalResult parseInto(ModuleOp module, const std::string &text) {
  ParserConfig config(module.getContext(), /*verifyAfterParse=*/false);
  return parseSourceString(text, module.getBody(), config, "stde-training-step");
}

/// Runs a textual pipeline on the module (anchored on builtin.module: the
/// text must not wrap itself in builtin.module(...), TOOLCHAIN.md).
LogicalResult runPipeline(ModuleOp module, const std::string &pipeline) {
  PassManager pm(module.getContext());
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    return module.emitError("internal: pipeline does not parse: ") << pipeline;
  return pm.run(module);
}

} // namespace

Expected<TrainingModule> stde::buildTrainingModule(MLIRContext &context, const std::string &text,
                                                   const TrainingSpec &spec, Stage stage) {
  std::string messages;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    std::string location;
    llvm::raw_string_ostream os(location);
    diag.getLocation().print(os);
    messages += location + ": " + diag.str() + "\n";
    for (Diagnostic &note : diag.getNotes())
      messages += "  note: " + note.str() + "\n";
    return success();
  });
  auto fail = [&](const std::string &what) { return Status::error(what + ":\n" + messages); };

  if (std::string bad = checkOptimizerSpec(spec); !bad.empty())
    return Status::error(bad);
  if (spec.method == TrainingMethod::zo)
    if (std::string bad = checkZoSpec(spec.zo); !bad.empty())
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
  if (std::string bad = checkPointDraws(*info); !bad.empty())
    return Status::error(bad);
  TensorTypes ty;
  ty.t = info->dtype == DType::f32 ? "f32" : "f64";
  ty.theta = ty.vec(info->numParams);

  if (failed(parseInto(module, problemLevelFunctions(ty, *info))) || failed(verify(module)))
    return fail("internal: the training functions do not verify");
  // The step's loss absorbs the problem's @loss.
  if (failed(runPipeline(module, "inline")))
    return fail("inlining the problem's @loss failed");
  module.lookupSymbol<func::FuncOp>("loss").erase();
  if (stage == Stage::problem)
    return result;

  std::string lower = "stde-resolve-estimators";
  if (!spec.defaultEstimator.empty())
    lower += "{default=\"" + spec.defaultEstimator + "\"}";
  lower += ",stde-lower-operators";
  if (spec.samples > 0)
    lower += "{samples=" + std::to_string(spec.samples) + "}";
  const Rewrites &r = spec.rewrites;
  auto flag = [](bool on) { return on ? "true" : "false"; };
  lower += std::string(",jet-simplify{collapse=") + flag(r.collapse) + " merge=" + flag(r.merge) +
           " one-hot=" + flag(r.oneHot) + " zero=" + flag(r.zero) + "}";
  lower += ",jet-expand{drop-networks=true}";
  bool zo = spec.method == TrainingMethod::zo;
  if (zo) {
    const ZoSpec &z = spec.zo;
    lower += ",zo-pair{functions=stde_step_loss eps=" + mlirFloat(z.eps) +
             " rank=" + std::to_string(z.rank) + " pairs=" + std::to_string(z.pairs) +
             "},zo-update{learning-rate=" + mlirFloat(spec.learningRate) +
             " decay-steps=" + std::to_string(spec.decaySteps) +
             " momentum=" + mlirFloat(z.momentum) + "}";
  }
  lower += ",convert-jet-to-tensor";
  if (zo)
    lower += ",convert-zo-to-tensor";
  lower += ",convert-rng-to-arith,func.func(canonicalize,cse)";
  if (!zo)
    lower += ",stde-param-grad{functions=stde_step_loss}";
  lower += ",canonicalize,cse";
  if (failed(runPipeline(module, lower)))
    return fail(zo ? "lowering the paired loss and its update failed"
                   : "lowering the loss and its gradient failed");
  TrainingModuleInfo &built = result.info;
  built.stateSize = built.numParams;
  if (zo) {
    auto step = module.lookupSymbol<func::FuncOp>("stde_step_loss_zo_step");
    auto paired = module.lookupSymbol<func::FuncOp>("stde_step_loss_zo");
    if (!step || !paired)
      return fail("internal: zo-update made no step function");
    built.stateSize = cast<RankedTensorType>(step.getFunctionType().getInput(1)).getDimSize(0);
    built.zoCores = cast<RankedTensorType>(paired.getFunctionType().getInput(3)).getDimSize(0);
    built.zoPairs = spec.zo.pairs;
  }
  // Only the entry points stay public: the rest is inlined into them.
  for (auto func : module.getOps<func::FuncOp>())
    func.setPrivate();
  std::string entries = commonEntryFunctions(ty, built) +
                        (zo ? zoEntryFunctions(ty, built) : stdeEntryFunctions(ty, built, spec));
  if (failed(parseInto(module, entries)) || failed(verify(module)))
    return fail("internal: the entry points do not verify");
  if (failed(runPipeline(module, "inline,symbol-dce")))
    return fail("internal: composing the entry points failed");
  if (stage == Stage::tensor)
    return result;
  if (spec.target == Target::cuda || spec.target == Target::gpuEmulator) {
    GpuTargetOptions gpu;
    gpu.chip = spec.gpuChip.empty() ? "sm_90" : spec.gpuChip;
    gpu.leanMemory = zo;
    gpu.emulate = spec.target == Target::gpuEmulator;
    if (Status s = validate(gpu); !s)
      return fail(s.message());
    std::string tail = gpu.emulate ? gpuKernelsToEmulatorPipeline() : gpuKernelsToLLVMPipeline(gpu);
    if (failed(runPipeline(module, tensorToGpuKernelsPipeline(gpu) + "," + tail)))
      return fail("lowering the training step for the GPU failed");
    if (gpu.emulate)
      return result;
    if (auto ptx = ptxOf(module); !ptx)
      return fail(ptx.error());
    return result;
  }
  int64_t threads = r.threads ? spec.cpuThreads : 1;
  if (failed(runPipeline(module, tensorToLLVMPipeline(r.runtimeMatmul, /*leanMemory=*/zo, threads))))
    return fail("lowering the training step to LLVM failed");
  return result;
}
