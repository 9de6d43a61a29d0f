//===- ZoPair.cpp - a loss at theta +- eps P in one function (SDZE) -------===//
//
// @f(%theta, ...) -> T gains @f_zo(..., %cores, %zseed, %pstep, %epoch) ->
// tensor<q x 2 x T>: for every pair j, @f's body cloned once per side with
// each dense layer W x + b replaced by
//   jet.dense (W x + b)  +  A ((S +- eps scale Z_j) (x B)) +- eps z_j
// (three jet.linear maps: x B, through the core, A and the bias).
// The clones read the same spatial values (the draws are the same SSA values:
// common random numbers), so after CSE whatever does not depend on the
// perturbation, W x and x B of the first layer included, exists once.
// The sides are cloned in lockstep, op by op, with every side's W x of a
// layer emitted together (then every side's x B, core product and A):
// a layer's products with one weight (W, B, A) sit side by side, and
// stde-merge-weight-products makes each one product of 2 q N rows.
//
//===----------------------------------------------------------------------===//
#include "ZoPlan.h"
#include "stde/Transforms/Passes.h"

#include "dialects/jet/JetOps.h"
#include "dialects/rng/RngOps.h"
#include "dialects/zo/ZoOps.h"
#include "dialects/zo/ZoStreams.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

#include <map>

namespace stde {
#define GEN_PASS_DEF_ZOPAIR
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace stde::zo;

namespace {

constexpr int64_t kMaxRank = 32;

/// The dense layers that read %theta, by offset; any other use is an error.
FailureOr<ZoPlan> planLayers(func::FuncOp f, int64_t rank, double eps, int64_t pairs) {
  Value theta = f.getArgument(0);
  std::map<int64_t, ZoLayer> byOffset;
  for (OpOperand &use : theta.getUses()) {
    auto dense = dyn_cast<jet::DenseOp>(use.getOwner());
    if (!dense || dense->getBlock() != &f.front())
      return use.getOwner()->emitOpError()
             << "reads the parameters of @" << f.getName()
             << ", but zo-pair perturbs only dense layers (jet.dense) in the function body: "
                "run jet-expand first";
    auto in = cast<jet::JetType>(dense.getInput().getType()).getBase();
    auto out = cast<jet::JetType>(dense.getResult().getType()).getBase();
    ZoLayer layer{int64_t(dense.getOffset()), in.getDimSize(1), out.getDimSize(1), 0, 0};
    auto [it, inserted] = byOffset.try_emplace(layer.offset, layer);
    if (!inserted && (it->second.in != layer.in || it->second.out != layer.out))
      return dense.emitOpError() << "reads the layer at offset " << layer.offset
                                 << " with another shape than an earlier use";
  }
  if (byOffset.empty())
    return f.emitOpError() << "has no dense layer reading its first argument: nothing to perturb";
  if (int64_t(byOffset.size()) > stde::zo_streams::maxLayers)
    return f.emitOpError() << "has " << byOffset.size() << " dense layers; zo-pair supports "
                           << stde::zo_streams::maxLayers;
  ZoPlan plan;
  plan.eps = eps;
  plan.pairs = pairs;
  int64_t cores = 0;
  for (auto &[offset, layer] : byOffset) {
    layer.rank = std::min({rank, layer.in, layer.out});
    layer.coreOffset = cores;
    cores += layer.rank * layer.rank;
    plan.layers.push_back(layer);
  }
  return plan;
}

Value splat(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), value)));
}

/// What one side of one pair perturbs a layer by.
struct SidePerturbation {
  Value core; // r x r: S +- eps scale Z
  Value bias; // O: +-eps z
};

/// The factors of one layer that both sides and all pairs share.
struct LayerFactors {
  Value a, b, s; // A (O x r), B (I x r), S (r x r)
};

class PairBuilder {
public:
  PairBuilder(OpBuilder &b, func::FuncOp f, const ZoPlan &plan) : b(b), f(f), plan(plan) {}

  FailureOr<func::FuncOp> build();

private:
  void emitFactors(Value cores, Value zseed, Value epoch);
  /// Per layer, the + and - sides' perturbations of one pair.
  using Perturbations = SmallVector<std::array<SidePerturbation, 2>>;
  Perturbations emitPair(int64_t pair, Value zseed, Value pstep);
  /// The loss of every side (pair-major, + before -), the sides cloned in
  /// lockstep.
  SmallVector<Value> cloneSides(ValueRange args, ArrayRef<Perturbations> pairs);

  OpBuilder &b;
  func::FuncOp f;
  const ZoPlan &plan;
  Type element;
  SmallVector<LayerFactors> factors;
  DenseMap<int64_t, size_t> layerAt; // offset -> index in plan.layers
};

void PairBuilder::emitFactors(Value cores, Value zseed, Value epoch) {
  Location loc = f.getLoc();
  namespace streams = stde::zo_streams;
  for (auto [i, layer] : llvm::enumerate(plan.layers)) {
    layerAt[layer.offset] = i;
    int64_t r = layer.rank;
    Value a = zo::BasisOp::create(b, loc, RankedTensorType::get({layer.out, r}, element), zseed,
                                  epoch, streams::outputBasis(i));
    Value bb = zo::BasisOp::create(b, loc, RankedTensorType::get({layer.in, r}, element), zseed,
                                   epoch, streams::inputBasis(i));
    Value flat = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({r * r}, element), cores, ValueRange{}, ValueRange{},
        ValueRange{}, b.getDenseI64ArrayAttr({layer.coreOffset}), b.getDenseI64ArrayAttr({r * r}),
        b.getDenseI64ArrayAttr({1}));
    Value s = tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get({r, r}, element), flat,
                                            ArrayRef<ReassociationIndices>{{0, 1}});
    factors.push_back({a, bb, s});
  }
}

PairBuilder::Perturbations PairBuilder::emitPair(int64_t pair, Value zseed, Value pstep) {
  Location loc = f.getLoc();
  namespace streams = stde::zo_streams;
  Perturbations perLayer;
  for (auto [i, layer] : llvm::enumerate(plan.layers)) {
    auto coreType = RankedTensorType::get({layer.rank, layer.rank}, element);
    auto biasType = RankedTensorType::get({layer.out}, element);
    Value z = rng::DrawOp::create(b, loc, coreType, rng::Distribution::gaussian, zseed, pstep,
                                  streams::core(i, pair));
    Value zb = rng::DrawOp::create(b, loc, biasType, rng::Distribution::gaussian, zseed, pstep,
                                   streams::bias(i, pair));
    Value dz = arith::MulFOp::create(b, loc, z, splat(b, loc, coreType, plan.eps * layer.scale()));
    Value db = arith::MulFOp::create(b, loc, zb, splat(b, loc, biasType, plan.eps));
    Value s = factors[i].s;
    perLayer.push_back({SidePerturbation{arith::AddFOp::create(b, loc, s, dz), db},
                        SidePerturbation{arith::SubFOp::create(b, loc, s, dz),
                                         arith::NegFOp::create(b, loc, db)}});
  }
  return perLayer;
}

SmallVector<Value> PairBuilder::cloneSides(ValueRange args, ArrayRef<Perturbations> pairs) {
  size_t sides = 2 * pairs.size();
  SmallVector<IRMapping> maps(sides);
  Value theta = f.getArgument(0);
  for (IRMapping &map : maps)
    for (unsigned i = 0; i < f.getNumArguments(); ++i)
      map.map(f.getArgument(i), args[i]);
  auto perturbation = [&](size_t side, size_t layer) -> const SidePerturbation & {
    return pairs[side / 2][layer][side % 2];
  };
  for (Operation &op : f.front().without_terminator()) {
    auto dense = dyn_cast<jet::DenseOp>(op);
    if (!dense || dense.getParams() != theta) {
      for (IRMapping &map : maps)
        b.clone(op, map);
      continue;
    }
    size_t i = layerAt.lookup(dense.getOffset());
    Location loc = dense.getLoc();
    SmallVector<Value> wx, u;
    for (IRMapping &map : maps)
      wx.push_back(b.clone(op, map)->getResult(0));
    // x B (B: I x r), then A (M u) + db: v = u M^T (M stored r x r as
    // (o, i)), y = v A^T + db.
    for (IRMapping &map : maps)
      u.push_back(jet::LinearOp::create(b, loc, map.lookup(dense.getInput()), factors[i].b,
                                        /*bias=*/Value(), /*input_major=*/true));
    SmallVector<Value> cored, lifted;
    for (size_t side = 0; side < sides; ++side)
      cored.push_back(jet::LinearOp::create(b, loc, u[side], perturbation(side, i).core,
                                            /*bias=*/Value(), /*input_major=*/false));
    for (size_t side = 0; side < sides; ++side)
      lifted.push_back(jet::LinearOp::create(b, loc, cored[side], factors[i].a,
                                             perturbation(side, i).bias, /*input_major=*/false));
    for (size_t side = 0; side < sides; ++side) {
      Value y = jet::AddOp::create(b, loc, wx[side], lifted[side]);
      if (y.getType() != dense.getType())
        y = jet::WidenOp::create(b, loc, dense.getType(), y);
      maps[side].map(dense.getResult(), y);
    }
  }
  Value result = f.front().getTerminator()->getOperand(0);
  return llvm::map_to_vector(maps, [&](IRMapping &map) { return map.lookup(result); });
}

FailureOr<func::FuncOp> PairBuilder::build() {
  FunctionType type = f.getFunctionType();
  if (type.getNumResults() != 1 || !isa<FloatType>(type.getResult(0)) || f.getBlocks().size() != 1)
    return f.emitOpError() << "zo-pair needs a loss with one block and one float result, got "
                           << type;
  element = type.getResult(0);
  SmallVector<Type> inputs(type.getInputs());
  unsigned n = inputs.size();
  auto cores = RankedTensorType::get({plan.coreSize()}, element);
  inputs.append({cores, b.getI64Type(), b.getI64Type(), b.getI64Type()});
  auto resultType = RankedTensorType::get({plan.pairs, 2}, element);
  std::string name = (f.getName() + "_zo").str();
  auto module = f->getParentOfType<ModuleOp>();
  if (module.lookupSymbol(name))
    return f.emitOpError() << "zo-pair would add @" << name << ", which exists already";
  b.setInsertionPointAfter(f);
  auto paired = func::FuncOp::create(b, f.getLoc(), name, b.getFunctionType(inputs, {resultType}));
  for (unsigned i = 0; i < n; ++i)
    paired.setArgAttrs(i, f.getArgAttrDict(i));
  Block *entry = paired.addEntryBlock();
  b.setInsertionPointToStart(entry);
  ValueRange args = entry->getArguments();
  Value zseed = args[n + 1], pstep = args[n + 2], epoch = args[n + 3];
  emitFactors(args[n], zseed, epoch);
  SmallVector<Perturbations> pairs;
  for (int64_t j = 0; j < plan.pairs; ++j)
    pairs.push_back(emitPair(j, zseed, pstep));
  SmallVector<Value> losses = cloneSides(args.take_front(n), pairs);
  Value packed = tensor::FromElementsOp::create(b, f.getLoc(), resultType, losses);
  func::ReturnOp::create(b, f.getLoc(), packed);
  paired->setAttr(kPlanAttr, planToAttr(b, plan));
  return paired;
}

struct ZoPairPass : stde::impl::ZoPairBase<ZoPairPass> {
  using ZoPairBase::ZoPairBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!(eps > 0.0) || !std::isfinite(eps)) {
      module.emitError() << "zo-pair: eps must be a positive finite radius, got " << double(eps);
      return signalPassFailure();
    }
    if (rank < 1 || rank > kMaxRank || pairs < 1 || pairs > stde::zo_streams::maxPairs) {
      module.emitError() << "zo-pair: rank must be in [1, " << kMaxRank << "] and pairs in [1, "
                         << stde::zo_streams::maxPairs << "], got rank " << int64_t(rank)
                         << ", pairs " << int64_t(pairs);
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> targets;
    if (!functions.empty()) {
      SmallVector<StringRef> names;
      StringRef(functions).split(names, ',', -1, false);
      for (StringRef name : names) {
        auto f = module.lookupSymbol<func::FuncOp>(name.trim());
        if (!f) {
          module.emitError() << "zo-pair: no function @" << name.trim() << " to pair";
          return signalPassFailure();
        }
        targets.push_back(f);
      }
    } else {
      for (auto f : module.getOps<func::FuncOp>())
        if (!f.isExternal() && f.getNumArguments() > 0 &&
            llvm::any_of(f.getArgument(0).getUsers(), [](Operation *u) { return isa<jet::DenseOp>(u); }))
          targets.push_back(f);
    }
    OpBuilder b(&getContext());
    for (func::FuncOp f : targets) {
      FailureOr<ZoPlan> plan = planLayers(f, rank, eps, pairs);
      if (failed(plan) || failed(PairBuilder(b, f, *plan).build()))
        return signalPassFailure();
    }
  }
};

} // namespace
