//===- ZoUpdate.cpp - the zeroth-order step and the subspace fold ---------===//
//
// Around every @f_zo (zo-pair) this adds the optimizer step, which only
// touches the r x r cores S, their momenta and the biases (the weights stay
// as they are: the effective weight is W + A S B^T), and the fold that moves
// A S B^T into W when the subspace is refreshed. Layouts: ZoUpdate in
// include/stde/Transforms/Passes.td.
//
//===----------------------------------------------------------------------===//
#include "ZoPlan.h"
#include "stde/Transforms/Passes.h"
#include "stde/Utils/SmallLinalg.h"

#include "dialects/rng/RngOps.h"
#include "dialects/zo/ZoOps.h"
#include "dialects/zo/ZoStreams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace stde {
#define GEN_PASS_DEF_ZOUPDATE
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace stde::zo;

namespace {

using stde::zo::timesTransposed;
using stde::zo::zerosLike;

/// Small tensor arithmetic, in one element type, at one location.
struct Emitter {
  OpBuilder &b;
  Location loc;
  Type t;

  Value scalar(double v) { return arith::ConstantOp::create(b, loc, b.getFloatAttr(t, v)); }
  RankedTensorType vec(int64_t n) { return RankedTensorType::get({n}, t); }
  Value slice(Value v, int64_t offset, int64_t size) {
    return tensor::ExtractSliceOp::create(b, loc, vec(size), v, ValueRange{}, ValueRange{},
                                          ValueRange{}, b.getDenseI64ArrayAttr({offset}),
                                          b.getDenseI64ArrayAttr({size}),
                                          b.getDenseI64ArrayAttr({1}));
  }
  Value insert(Value part, Value into, int64_t offset) {
    int64_t size = cast<RankedTensorType>(part.getType()).getDimSize(0);
    return tensor::InsertSliceOp::create(b, loc, part, into, ValueRange{}, ValueRange{},
                                         ValueRange{}, b.getDenseI64ArrayAttr({offset}),
                                         b.getDenseI64ArrayAttr({size}),
                                         b.getDenseI64ArrayAttr({1}));
  }
  Value fill(Value s, int64_t n) {
    Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n}, t);
    return linalg::FillOp::create(b, loc, ValueRange{s}, ValueRange{empty}).getResult(0);
  }
  Value mul(Value a, Value c) { return arith::MulFOp::create(b, loc, a, c); }
  Value add(Value a, Value c) { return arith::AddFOp::create(b, loc, a, c); }
  Value sub(Value a, Value c) { return arith::SubFOp::create(b, loc, a, c); }
  /// n standard normals from (seed, step) on `stream` (the draws of @f_zo).
  Value gaussian(Value seed, Value step, int64_t n, uint32_t stream) {
    return rng::DrawOp::create(b, loc, vec(n), rng::Distribution::gaussian, seed, step, stream);
  }
};

/// The step's learning rate: lr0 * max(0, 1 - step / decay) (or lr0).
Value learningRate(Emitter &e, Value step, double lr0, int64_t decay) {
  if (decay <= 0)
    return e.scalar(lr0);
  Value s = arith::SIToFPOp::create(e.b, e.loc, e.t, step);
  Value keep = e.sub(e.scalar(1.0), arith::DivFOp::create(e.b, e.loc, s, e.scalar(double(decay))));
  keep = arith::MaximumFOp::create(e.b, e.loc, keep, e.scalar(0.0));
  return e.mul(e.scalar(lr0), keep);
}

struct UpdateOptions {
  bool adam;
  double learningRate;
  int64_t decaySteps;
  double momentum;
  double beta1, beta2, epsilon;
};

/// The state after the cores: heavy ball keeps V (cores) and the bias
/// momenta; Adam keeps m and v of the cores, then m and v of the biases.
int64_t stateSizeOf(const ZoPlan &plan, const UpdateOptions &opt) {
  int64_t cores = plan.coreSize(), biases = plan.biasSize();
  if (opt.adam)
    return 3 * cores + 2 * biases;
  return opt.momentum > 0.0 ? 2 * cores + biases : cores;
}

/// Adam's moments of one block and its step: m' = b1 m + (1 - b1) g,
/// v' = b2 v + (1 - b2) g^2, x' = x - lr m'/c1 / (sqrt(v'/c2) + eps) with
/// c1 = 1 - b1^t, c2 = 1 - b2^t (t = step + 1). Returns {x', m', v'}.
struct AdamBlock {
  Value x, m, v;
};
AdamBlock adamBlock(Emitter &e, const UpdateOptions &opt, AdamBlock old, Value g, Value lr,
                    Value c1, Value c2) {
  int64_t n = cast<RankedTensorType>(g.getType()).getDimSize(0);
  auto all = [&](Value s) { return e.fill(s, n); };
  Value m = e.add(e.mul(all(e.scalar(opt.beta1)), old.m), e.mul(all(e.scalar(1.0 - opt.beta1)), g));
  Value v = e.add(e.mul(all(e.scalar(opt.beta2)), old.v),
                  e.mul(all(e.scalar(1.0 - opt.beta2)), e.mul(g, g)));
  Value mh = arith::DivFOp::create(e.b, e.loc, m, all(c1));
  Value vh = arith::DivFOp::create(e.b, e.loc, v, all(c2));
  Value den = e.add(math::SqrtOp::create(e.b, e.loc, vh), all(e.scalar(opt.epsilon)));
  Value x = e.sub(old.x, e.mul(all(lr), arith::DivFOp::create(e.b, e.loc, mh, den)));
  return {x, m, v};
}

void buildStep(OpBuilder &b, func::FuncOp paired, const ZoPlan &plan, const UpdateOptions &opt) {
  Location loc = paired.getLoc();
  FunctionType pairedType = paired.getFunctionType();
  unsigned n = pairedType.getNumInputs() - 4; // the loss's own arguments
  auto theta = cast<RankedTensorType>(pairedType.getInput(0));
  Type t = theta.getElementType();
  int64_t cores = plan.coreSize();
  bool momentum = !opt.adam && opt.momentum > 0.0;
  int64_t stateSize = stateSizeOf(plan, opt);
  auto stateType = RankedTensorType::get({stateSize}, t);

  SmallVector<Type> inputs{theta, stateType};
  for (unsigned i = 1; i < n; ++i)
    inputs.push_back(pairedType.getInput(i));
  inputs.append({b.getI64Type(), b.getI64Type(), b.getI64Type()});
  b.setInsertionPointAfter(paired);
  auto step = func::FuncOp::create(b, loc, (paired.getName() + "_step").str(),
                                   b.getFunctionType(inputs, {theta, stateType, t}));
  Block *entry = step.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Emitter e{b, loc, t};
  ValueRange args = entry->getArguments();
  Value state = args[1], zseed = args[n + 1], pstep = args[n + 2], epoch = args[n + 3];

  SmallVector<Value> callArgs{args[0]};
  for (unsigned i = 1; i < n; ++i)
    callArgs.push_back(args[i + 1]);
  callArgs.append({e.slice(state, 0, cores), zseed, pstep, epoch});
  Value losses = func::CallOp::create(b, loc, paired, callArgs).getResult(0);

  // c_j = (L+ - L-) / (2 eps); the reported loss is the mean of all 2q values.
  SmallVector<Value> c;
  Value mean = e.scalar(0.0);
  for (int64_t j = 0; j < plan.pairs; ++j) {
    auto at = [&](int64_t side) {
      SmallVector<Value> idx{arith::ConstantIndexOp::create(b, loc, j),
                             arith::ConstantIndexOp::create(b, loc, side)};
      return tensor::ExtractOp::create(b, loc, losses, idx).getResult();
    };
    Value plus = at(0), minus = at(1);
    c.push_back(e.mul(e.sub(plus, minus), e.scalar(0.5 / plan.eps)));
    mean = e.add(mean, e.add(plus, minus));
  }
  mean = e.mul(mean, e.scalar(0.5 / double(plan.pairs)));
  Value lr = learningRate(e, pstep, opt.learningRate, opt.decaySteps);
  Value beta = e.scalar(opt.momentum);
  // Adam's bias corrections 1 - beta^t, t = step + 1: the moments of the
  // cores restart at zero with each subspace (the fold clears m, not v), and
  // the step count stays global, so m warms up again over ~1/(1 - b1) steps.
  Value c1, c2;
  if (opt.adam) {
    Value t1 = e.add(arith::SIToFPOp::create(b, loc, t, pstep), e.scalar(1.0));
    c1 = e.sub(e.scalar(1.0), math::PowFOp::create(b, loc, e.scalar(opt.beta1), t1));
    c2 = e.sub(e.scalar(1.0), math::PowFOp::create(b, loc, e.scalar(opt.beta2), t1));
  }

  Value newTheta = args[0], newState = state;
  int64_t biasMomentum = 2 * cores;
  int64_t biasAdam = 3 * cores, biases = plan.biasSize();
  namespace streams = stde::zo_streams;
  for (auto [i, layer] : llvm::enumerate(plan.layers)) {
    int64_t rr = layer.rank * layer.rank;
    // g_S = (1/q) sum_j c_j scale Z_j, g_b = (1/q) sum_j c_j z_j (the same
    // draws as @f_zo's: CSE merges them once inlined together).
    Value gS = e.fill(e.scalar(0.0), rr), gb = e.fill(e.scalar(0.0), layer.out);
    for (int64_t j = 0; j < plan.pairs; ++j) {
      Value w = e.mul(c[j], e.scalar(1.0 / double(plan.pairs)));
      Value ws = e.mul(w, e.scalar(layer.scale()));
      // Z drawn r x r exactly as @f_zo draws it (same op, same type), then
      // flattened: the two draws are one after inlining and CSE.
      Value z = rng::DrawOp::create(b, loc, RankedTensorType::get({layer.rank, layer.rank}, t),
                                    rng::Distribution::gaussian, zseed, pstep, streams::core(i, j));
      z = tensor::CollapseShapeOp::create(b, loc, e.vec(rr), z,
                                          ArrayRef<ReassociationIndices>{{0, 1}});
      gS = e.add(gS, e.mul(e.fill(ws, rr), z));
      gb = e.add(gb, e.mul(e.fill(w, layer.out),
                           e.gaussian(zseed, pstep, layer.out, streams::bias(i, j))));
    }
    // Slices are read from the latest value of the chain of insertions (the
    // layers' slices are disjoint, so the values are the originals): reading
    // the original tensor after an insertion into it would force
    // bufferization to copy all of theta (512 MB at d = 10^6) out of place.
    Value s = e.slice(newState, layer.coreOffset, rr);
    Value bias = e.slice(newTheta, layer.biasOffset(), layer.out);
    if (opt.adam) {
      // Slices of the moments come from the latest state, as above.
      // The cores' step is scaled like P: lr * scale per core coordinate is
      // lr per weight in RMS (|A dS B^T|_F = |dS|_F), as Adam moves each
      // weight, and moves the layer's outputs W x the same at any d.
      AdamBlock core = adamBlock(e, opt,
                                 {s, e.slice(newState, cores + layer.coreOffset, rr),
                                  e.slice(newState, 2 * cores + layer.coreOffset, rr)},
                                 gS, e.mul(lr, e.scalar(layer.scale())), c1, c2);
      AdamBlock bias1 = adamBlock(e, opt,
                                  {bias, e.slice(newState, biasAdam, layer.out),
                                   e.slice(newState, biasAdam + biases, layer.out)},
                                  gb, lr, c1, c2);
      newState = e.insert(core.x, newState, layer.coreOffset);
      newState = e.insert(core.m, newState, cores + layer.coreOffset);
      newState = e.insert(core.v, newState, 2 * cores + layer.coreOffset);
      newState = e.insert(bias1.m, newState, biasAdam);
      newState = e.insert(bias1.v, newState, biasAdam + biases);
      newTheta = e.insert(bias1.x, newTheta, layer.biasOffset());
      biasAdam += layer.out;
      continue;
    }
    if (momentum) {
      Value v = e.add(e.mul(e.fill(beta, rr), e.slice(newState, cores + layer.coreOffset, rr)), gS);
      Value vb = e.add(e.mul(e.fill(beta, layer.out), e.slice(newState, biasMomentum, layer.out)), gb);
      newState = e.insert(v, newState, cores + layer.coreOffset);
      newState = e.insert(vb, newState, biasMomentum);
      gS = v;
      gb = vb;
    }
    newState = e.insert(e.sub(s, e.mul(e.fill(lr, rr), gS)), newState, layer.coreOffset);
    newTheta = e.insert(e.sub(bias, e.mul(e.fill(lr, layer.out), gb)), newTheta,
                        layer.biasOffset());
    biasMomentum += layer.out;
  }
  func::ReturnOp::create(b, loc, ValueRange{newTheta, newState, mean});
}

void buildFold(OpBuilder &b, func::FuncOp paired, func::FuncOp step, const ZoPlan &plan,
               const UpdateOptions &opt) {
  Location loc = paired.getLoc();
  auto theta = cast<RankedTensorType>(paired.getFunctionType().getInput(0));
  auto stateType = step.getFunctionType().getInput(1);
  Type t = theta.getElementType();
  b.setInsertionPointAfter(step);
  auto fold = func::FuncOp::create(
      b, loc, (paired.getName() + "_fold").str(),
      b.getFunctionType({theta, stateType, b.getI64Type(), b.getI64Type()}, {theta, stateType}));
  Block *entry = fold.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Emitter e{b, loc, t};
  Value newTheta = entry->getArgument(0), state = entry->getArgument(1);
  Value zseed = entry->getArgument(2), epoch = entry->getArgument(3);
  namespace streams = stde::zo_streams;
  for (auto [i, layer] : llvm::enumerate(plan.layers)) {
    int64_t r = layer.rank;
    auto mat = [&](int64_t rows, int64_t cols) { return RankedTensorType::get({rows, cols}, t); };
    Value a = zo::BasisOp::create(b, loc, mat(layer.out, r), zseed, epoch, streams::outputBasis(i));
    Value bb = zo::BasisOp::create(b, loc, mat(layer.in, r), zseed, epoch, streams::inputBasis(i));
    Value s = tensor::ExpandShapeOp::create(b, loc, mat(r, r), e.slice(state, layer.coreOffset, r * r),
                                            ArrayRef<ReassociationIndices>{{0, 1}});
    // (A S)[o, k] = sum_j A[o, j] S[j, k] = A (S^T)^T: transpose S first.
    Value sT = linalg::TransposeOp::create(b, loc, s,
                                           tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{r, r}, t),
                                           ArrayRef<int64_t>{1, 0})
                   ->getResult(0);
    Value as = timesTransposed(b, loc, a, sT, zerosLike(b, loc, mat(layer.out, r)));
    Value w = tensor::ExpandShapeOp::create(b, loc, mat(layer.out, layer.in),
                                            e.slice(newTheta, layer.offset, layer.out * layer.in),
                                            ArrayRef<ReassociationIndices>{{0, 1}});
    Value folded = timesTransposed(b, loc, as, bb, w); // W + (A S) B^T
    Value flat = tensor::CollapseShapeOp::create(b, loc, e.vec(layer.out * layer.in), folded,
                                                 ArrayRef<ReassociationIndices>{{0, 1}});
    newTheta = e.insert(flat, newTheta, layer.offset);
  }
  // The cores (and their momenta, or Adam's first moments) restart at zero
  // in the new subspace. Adam's second moments are kept: a random basis's
  // coordinates see gradients of the same size as the old one's.
  int64_t cleared = opt.adam || opt.momentum > 0.0 ? 2 * plan.coreSize() : plan.coreSize();
  func::ReturnOp::create(
      b, loc, ValueRange{newTheta, e.insert(zerosLike(b, loc, e.vec(cleared)), state, 0)});
}

/// P_j materialized for every pair, pairs-major (tests compare the implicit
/// paired evaluation with the loss at theta +- eps P_j).
void buildDirections(OpBuilder &b, func::FuncOp paired, func::FuncOp after, const ZoPlan &plan) {
  Location loc = paired.getLoc();
  auto theta = cast<RankedTensorType>(paired.getFunctionType().getInput(0));
  Type t = theta.getElementType();
  int64_t p = theta.getDimSize(0);
  b.setInsertionPointAfter(after);
  auto fn = func::FuncOp::create(
      b, loc, (paired.getName() + "_directions").str(),
      b.getFunctionType({b.getI64Type(), b.getI64Type(), b.getI64Type()},
                        {RankedTensorType::get({plan.pairs * p}, t)}));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Emitter e{b, loc, t};
  Value zseed = entry->getArgument(0), pstep = entry->getArgument(1), epoch = entry->getArgument(2);
  auto mat = [&](int64_t rows, int64_t cols) { return RankedTensorType::get({rows, cols}, t); };
  auto zeros = [&](RankedTensorType type) { return zerosLike(b, loc, type); };
  namespace streams = stde::zo_streams;
  Value all = zeros(e.vec(plan.pairs * p));
  for (int64_t j = 0; j < plan.pairs; ++j) {
    for (auto [i, layer] : llvm::enumerate(plan.layers)) {
      int64_t r = layer.rank;
      Value a = zo::BasisOp::create(b, loc, mat(layer.out, r), zseed, epoch, streams::outputBasis(i));
      Value bb = zo::BasisOp::create(b, loc, mat(layer.in, r), zseed, epoch, streams::inputBasis(i));
      // Z drawn as r x r (row-major, the element order of the paired loss's draw).
      Value z = rng::DrawOp::create(b, loc, mat(r, r), rng::Distribution::gaussian, zseed, pstep,
                                    streams::core(i, j));
      // scale A Z B^T = A (scale Z) B^T: the scale on the r x r side.
      z = arith::MulFOp::create(
          b, loc, z,
          arith::ConstantOp::create(
              b, loc, DenseElementsAttr::get(mat(r, r), b.getFloatAttr(t, layer.scale()))));
      Value zT = linalg::TransposeOp::create(b, loc, z,
                                             tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{r, r}, t),
                                             ArrayRef<int64_t>{1, 0})
                     ->getResult(0);
      Value az = timesTransposed(b, loc, a, zT, zeros(mat(layer.out, r)));
      Value w = timesTransposed(b, loc, az, bb, zeros(mat(layer.out, layer.in)));
      Value flat = tensor::CollapseShapeOp::create(b, loc, e.vec(layer.out * layer.in), w,
                                                   ArrayRef<ReassociationIndices>{{0, 1}});
      all = e.insert(flat, all, j * p + layer.offset);
      all = e.insert(e.gaussian(zseed, pstep, layer.out, streams::bias(i, j)), all,
                     j * p + layer.biasOffset());
    }
  }
  func::ReturnOp::create(b, loc, all);
}

struct ZoUpdatePass : stde::impl::ZoUpdateBase<ZoUpdatePass> {
  using ZoUpdateBase::ZoUpdateBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!(learningRate > 0.0) || !(momentum >= 0.0 && momentum < 1.0) || decaySteps < 0) {
      module.emitError() << "zo-update: needs learning-rate > 0, 0 <= momentum < 1 and "
                            "decay-steps >= 0";
      return signalPassFailure();
    }
    if (optimizer != "sgd" && optimizer != "adam") {
      module.emitError() << "zo-update: optimizer must be `sgd` (ZO-SGD, heavy ball with "
                            "momentum > 0) or `adam` (Adam on the cores and biases), not `"
                         << optimizer << "`";
      return signalPassFailure();
    }
    if (optimizer == "adam" &&
        (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0) || !(epsilon > 0.0) ||
         momentum > 0.0)) {
      module.emitError() << "zo-update: Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, and no "
                            "momentum (beta1 is Adam's)";
      return signalPassFailure();
    }
    SmallVector<std::pair<func::FuncOp, ZoPlan>> paired;
    for (auto f : module.getOps<func::FuncOp>()) {
      auto attr = f->getAttrOfType<DictionaryAttr>(kPlanAttr);
      if (!attr)
        continue;
      FailureOr<ZoPlan> plan = planFromAttr(attr);
      if (failed(plan)) {
        f.emitOpError() << "has a malformed `" << kPlanAttr << "` (written by zo-pair)";
        return signalPassFailure();
      }
      paired.push_back({f, *plan});
    }
    OpBuilder b(&getContext());
    UpdateOptions opt{optimizer == "adam", learningRate, decaySteps, momentum,
                      beta1,                beta2,        epsilon};
    for (auto &[f, plan] : paired) {
      for (const char *suffix : {"_step", "_fold", "_directions"})
        if (module.lookupSymbol((f.getName() + suffix).str())) {
          f.emitOpError() << "zo-update would add @" << f.getName() << suffix
                          << ", which exists already (run zo-update once per paired loss)";
          return signalPassFailure();
        }
      buildStep(b, f, plan, opt);
      auto step = module.lookupSymbol<func::FuncOp>((f.getName() + "_step").str());
      buildFold(b, f, step, plan, opt);
      buildDirections(b, f, module.lookupSymbol<func::FuncOp>((f.getName() + "_fold").str()), plan);
    }
  }
};

} // namespace
