//===- TrainingModule.cpp - a problem module composed into a training step ===//
//
// The problem's @loss(%theta, %xs) is wrapped by @stde_step_loss(%theta,
// %seed, %step), which draws its points first (unit ball: Gaussian
// direction normalized, radius U(0, 1)); one pipeline lowers the operators
// and differentiates it (stde-param-grad), then the entry points are added
// at the tensor level and everything is inlined into them:
//   stde_train_step(params, m, v, seed, step, loss)   gradient + optimizer
//   stde_gradient(params, seed, step, loss, grad)
//   stde_test_error(params, seed, chunk, sums)        sum (u-u*)^2, sum u*^2
//
//===----------------------------------------------------------------------===//
#include "TrainingModule.h"
#include "IRText.h"

#include "dialects/stde/ParamLayout.h"
#include "dialects/stde/StdeOps.h"
#include "runtime/Philox.h"
#include "stde/Target/CpuPipeline.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cstdio>
#include <sstream>

using namespace mlir;
using namespace stde;

namespace {

struct Types {
  std::string t, theta;
  std::string vec(int64_t n) const { return "tensor<" + std::to_string(n) + "x" + t + ">"; }
  std::string mat(int64_t n, int64_t d) const {
    return "tensor<" + std::to_string(n) + "x" + std::to_string(d) + "x" + t + ">";
  }
  std::string mem(int64_t n) const { return "memref<" + std::to_string(n) + "x" + t + ">"; }
};

/// Ops drawing n points in the unit ball into %xs: direction = normalized
/// Gaussian, radius ~ U(0, 1) (MATH.md section 5: not uniform in volume).
std::string sampleBall(const Types &ty, int64_t n, int64_t d, uint32_t directions,
                       uint32_t radii) {
  std::ostringstream os;
  std::string pts = ty.mat(n, d), col = ty.vec(n);
  os << "  %g = rng.draw gaussian %seed, %step stream " << directions << " : " << pts << "\n"
     << "  %rad = rng.draw uniform %seed, %step stream " << radii << " : " << col << "\n"
     << "  %z0 = arith.constant 0.0 : " << ty.t << "\n"
     << "  %e0 = tensor.empty() : " << col << "\n"
     << "  %zf = linalg.fill ins(%z0 : " << ty.t << ") outs(%e0 : " << col << ") -> " << col << "\n"
     << "  %g2 = arith.mulf %g, %g : " << pts << "\n"
     << "  %ss = linalg.reduce ins(%g2 : " << pts << ") outs(%zf : " << col << ") dimensions = [1]\n"
     << "    (%in: " << ty.t << ", %acc: " << ty.t << ") {\n"
     << "      %s = arith.addf %in, %acc : " << ty.t << "\n"
     << "      linalg.yield %s : " << ty.t << "\n    }\n"
     << "  %norm = math.sqrt %ss : " << col << "\n"
     << "  %scale = arith.divf %rad, %norm : " << col << "\n"
     << "  %e1 = tensor.empty() : " << pts << "\n"
     << "  %sb = linalg.broadcast ins(%scale : " << col << ") outs(%e1 : " << pts
     << ") dimensions = [1]\n"
     << "  %xs = arith.mulf %g, %sb : " << pts << "\n";
  return os.str();
}

/// The functions added before lowering: the step's loss and the test chunk.
std::string problemLevelFunctions(const Types &ty, const TrainingModuleInfo &info) {
  std::ostringstream os;
  std::string seeds = "%seed: i64 {stde.random = \"seed\"}, %step: i64 {stde.random = \"step\"}";
  os << "func.func @stde_step_loss(%theta: " << ty.theta << ", " << seeds << ") -> "
     << ty.t << " {\n"
     << sampleBall(ty, info.points, info.dim, runtime::streams::pointDirections,
                   runtime::streams::pointRadii)
     << "  %L = func.call @loss(%theta, %xs) : (" << ty.theta << ", "
     << ty.mat(info.points, info.dim) << ") -> " << ty.t << "\n"
     << "  return %L : " << ty.t << "\n}\n";
  if (!info.hasExact)
    return os.str();
  int64_t b = info.testBatch;
  std::string pts = ty.mat(b, info.dim), col = ty.vec(b), t = ty.t;
  os << "func.func @stde_eval_chunk(%theta: " << ty.theta << ", " << seeds << ") -> (" << t
     << ", " << t << ") {\n"
     << sampleBall(ty, b, info.dim, runtime::streams::testDirections, runtime::streams::testRadii)
     << "  %u = stde.apply @u(%theta, %xs) : (" << ty.theta << ", " << pts << ") -> " << col << "\n"
     << "  %ue = stde.apply @u_exact(%xs) : (" << pts << ") -> " << col << "\n"
     << "  %diff = arith.subf %u, %ue : " << col << "\n"
     << "  %e2 = tensor.empty() : tensor<" << t << ">\n"
     << "  %z2 = linalg.fill ins(%z0 : " << t << ") outs(%e2 : tensor<" << t << ">) -> tensor<" << t
     << ">\n"
     << "  %dd = linalg.dot ins(%diff, %diff : " << col << ", " << col << ") outs(%z2 : tensor<" << t
     << ">) -> tensor<" << t << ">\n"
     << "  %uu = linalg.dot ins(%ue, %ue : " << col << ", " << col << ") outs(%z2 : tensor<" << t
     << ">) -> tensor<" << t << ">\n"
     << "  %a = tensor.extract %dd[] : tensor<" << t << ">\n"
     << "  %c = tensor.extract %uu[] : tensor<" << t << ">\n"
     << "  return %a, %c : " << t << ", " << t << "\n}\n";
  return os.str();
}

/// The optimizer's elementwise update (one fused loop over all parameters).
std::string optimizerBody(const Types &ty, const TrainingSpec &spec) {
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

/// The entry points added at the tensor level, after stde-param-grad.
std::string entryFunctions(const Types &ty, const TrainingModuleInfo &info,
                           const TrainingSpec &spec) {
  std::ostringstream os;
  std::string t = ty.t, p = ty.theta, mp = ty.mem(info.numParams);
  auto load = [&](const char *tensor, const char *memref) {
    os << "  %" << tensor << " = bufferization.to_tensor %" << memref << " restrict : " << mp
       << " to " << p << "\n";
  };
  auto store = [&](const char *tensor, const char *memref) {
    os << "  bufferization.materialize_in_destination %" << tensor << " in restrict writable %"
       << memref << " : (" << p << ", " << mp << ") -> ()\n";
  };
  auto storeScalars = [&](const std::string &values, int64_t n, const char *memref) {
    os << "  %sc = tensor.from_elements " << values << " : " << ty.vec(n) << "\n"
       << "  bufferization.materialize_in_destination %sc in restrict writable %" << memref
       << " : (" << ty.vec(n) << ", " << ty.mem(n) << ") -> ()\n";
  };
  std::string attrs = " attributes {llvm.emit_c_interface}";

  os << "func.func @" << kTrainStepEntry << "(%pm: " << mp << ", %mm: " << mp << ", %vm: " << mp
     << ", %seed: i64, %step: i64, %lm: " << ty.mem(1) << ")" << attrs << " {\n";
  load("p", "pm");
  load("m", "mm");
  load("v", "vm");
  os << "  %L, %grad = func.call @stde_step_loss_grad(%p, %seed, %step) : (" << p
     << ", i64, i64) -> (" << t << ", " << p << ")\n";
  os << optimizerBody(ty, spec);
  store("newp", "pm");
  if (spec.optimizer == OptimizerKind::adam) { // SGD leaves the moments untouched
    store("newm", "mm");
    store("newv", "vm");
  }
  storeScalars("%L", 1, "lm");
  os << "  return\n}\n";

  os << "func.func @" << kGradientEntry << "(%pm: " << mp << ", %seed: i64, %step: i64, %lm: "
     << ty.mem(1) << ", %gm: " << mp << ")" << attrs << " {\n";
  load("p", "pm");
  os << "  %L, %grad = func.call @stde_step_loss_grad(%p, %seed, %step) : (" << p
     << ", i64, i64) -> (" << t << ", " << p << ")\n";
  store("grad", "gm");
  storeScalars("%L", 1, "lm");
  os << "  return\n}\n";

  if (info.hasExact) {
    os << "func.func @" << kTestErrorEntry << "(%pm: " << mp << ", %seed: i64, %step: i64, %om: "
       << ty.mem(2) << ")" << attrs << " {\n";
    load("p", "pm");
    os << "  %a, %b = func.call @stde_eval_chunk(%p, %seed, %step) : (" << p << ", i64, i64) -> ("
       << t << ", " << t << ")\n";
    storeScalars("%a, %b", 2, "om");
    os << "  return\n}\n";
  }
  return os.str();
}

/// Reads and checks the problem's contract (Problems.h).
FailureOr<TrainingModuleInfo> readProblem(ModuleOp module, const TrainingSpec &spec) {
  TrainingModuleInfo info;
  auto domain = module->getAttrOfType<StringAttr>("stde.domain");
  if (!domain)
    return module.emitError("the problem module names no domain: write `module attributes "
                            "{stde.domain = \"unit_ball\"} { ... }`");
  if (domain.getValue() != "unit_ball")
    return module.emitError("unknown domain '")
           << domain.getValue() << "': the training step samples \"unit_ball\" only";
  auto network = module.lookupSymbol<NetworkOp>("u");
  if (!network || !network.hasParams())
    return module.emitError("the problem needs `stde.network @u(%theta: tensor<P x T>, %x: "
                            "tensor<D x T>)`, the ansatz being trained");
  auto loss = module.lookupSymbol<func::FuncOp>("loss");
  if (!loss)
    return module.emitError("the problem needs `func.func @loss(%theta: tensor<P x T>, %xs: "
                            "tensor<N x D x T>) -> T` (its residual points are drawn per step)");
  info.numParams = network.getNumParams();
  info.dim = network.getInputDim();
  Type element = network.getElementType();
  info.dtype = element.isF32() ? DType::f32 : DType::f64;
  FunctionType type = loss.getFunctionType();
  auto theta = type.getNumInputs() == 2 ? dyn_cast<RankedTensorType>(type.getInput(0)) : nullptr;
  auto xs = type.getNumInputs() == 2 ? dyn_cast<RankedTensorType>(type.getInput(1)) : nullptr;
  if (!theta || !xs || theta != network.getArgumentTypes()[0] || xs.getRank() != 2 ||
      xs.getDimSize(1) != info.dim || xs.getElementType() != element ||
      type.getNumResults() != 1 || type.getResult(0) != element)
    return loss.emitError("@loss must have the signature (")
           << network.getArgumentTypes()[0] << ", tensor<N x " << info.dim << " x " << element
           << ">) -> " << element << " (parameters of @u, a batch of points, the loss)";
  info.points = xs.getDimSize(0);
  if (auto exact = module.lookupSymbol<NetworkOp>("u_exact")) {
    if (exact.hasParams() || exact.getInputDim() != info.dim || exact.getElementType() != element)
      return exact.emitError("@u_exact must be a fixed field of the same points: "
                             "(tensor<")
             << info.dim << "x" << element << ">) -> " << element;
    info.hasExact = true;
  }
  FailureOr<ParamLayout> layout = getParamLayout(network);
  if (failed(layout))
    return failure();
  for (const LayerSlot &slot : layout->layers)
    info.layers.push_back({slot.offset, slot.inFeatures, slot.outFeatures});
  // Test points per call: about 16M coordinates at most (memory), at most 1000.
  info.testBatch = spec.testBatch > 0 ? spec.testBatch
                                      : std::max<int64_t>(1, std::min<int64_t>(1000, (int64_t(1) << 24) / info.dim));
  return info;
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

  TrainingModule result;
  result.module = parseSourceString<ModuleOp>(text, ParserConfig(&context), "problem");
  if (!result.module)
    return fail("the problem does not parse");
  ModuleOp module = *result.module;
  FailureOr<TrainingModuleInfo> info = readProblem(module, spec);
  if (failed(info))
    return fail("the problem module does not follow the contract (stde/API/Problems.h)");
  result.info = *info;
  Types ty;
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
  lower += ",jet-expand{drop-networks=true},convert-jet-to-tensor,convert-rng-to-arith,"
           "func.func(canonicalize,cse),stde-param-grad{functions=stde_step_loss},"
           "canonicalize,cse";
  if (failed(runPipeline(module, lower)))
    return fail("lowering the loss and its gradient failed");
  // Only the entry points stay public: the rest is inlined into them.
  for (auto func : module.getOps<func::FuncOp>())
    func.setPrivate();
  if (failed(parseInto(module, entryFunctions(ty, *info, spec))) || failed(verify(module)))
    return fail("internal: the entry points do not verify");
  if (failed(runPipeline(module, "inline,symbol-dce")))
    return fail("internal: composing the entry points failed");
  if (stage == Stage::tensor)
    return result;
  if (failed(runPipeline(module, tensorToLLVMPipeline())))
    return fail("lowering the training step to LLVM failed");
  return result;
}
