//===- ParamGrad.cpp - reverse mode over the lowered tensor program -------===//
//
// @f(%params, ...) -> f  gains a sibling  @f_grad(%params, ...) -> (f, grad).
// The forward body is cloned unchanged; after it, one reverse sweep visits
// the active ops (those that depend on %params and feed the result) from
// last to first and accumulates adjoints. Structured ops are generalized
// first, so one rule for linalg.generic covers contractions, broadcasts,
// transposes, reductions and elementwise bodies:
//   out = init + sum_{reduction dims} e(ins)   (or out = e(ins), all parallel)
//   => g_in_i[map_i] = sum_{dims not in map_i} de/din_i * g_out[map_out]
// which is again a linalg.generic (reductions over the dims map_i misses).
//
//===----------------------------------------------------------------------===//
#include "ElementwiseAdjoints.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringExtras.h"

namespace stde {
#define GEN_PASS_DEF_STDEPARAMGRAD
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace stde::grad;

namespace {

//===----------------------------------------------------------------------===//
// Scalar reverse mode through a generic's body
//===----------------------------------------------------------------------===//

/// Clones `body` (without its terminator) at the insertion point, with the
/// block arguments mapped by `map` and linalg.index ops replaced by
/// `indices` when given; then runs reverse mode from `root` seeded with
/// `seed`. Returns the adjoints of the original body values (block
/// arguments and tensor.extract results) that received one.
FailureOr<DenseMap<Value, Value>> differentiateBody(OpBuilder &b, Block &body, IRMapping &map,
                                                    Value root, Value seed,
                                                    ValueRange indices = {}) {
  for (Operation &op : body.without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(op); index && !indices.empty()) {
      map.map(index.getResult(), indices[index.getDim()]);
      continue;
    }
    b.clone(op, map);
  }
  DenseMap<Value, Value> adjoint;
  adjoint[root] = seed;
  for (Operation &op : llvm::reverse(body.without_terminator())) {
    if (op.getNumResults() != 1)
      continue;
    auto it = adjoint.find(op.getResult(0));
    if (it == adjoint.end() || isa<tensor::ExtractOp>(op) || isNonDifferentiable(&op))
      continue;
    if (!hasElementwiseRule(&op))
      return op.emitOpError("stde-param-grad: no adjoint rule for this op in a linalg.generic body");
    SmallVector<Value> operands = llvm::map_to_vector(
        op.getOperands(), [&](Value v) { return map.lookupOrDefault(v); });
    auto grads = elementwiseAdjoint(b, &op, operands, map.lookup(op.getResult(0)), it->second);
    if (failed(grads))
      return failure();
    for (auto [operand, g] : llvm::zip(op.getOperands(), *grads)) {
      if (!g)
        continue;
      auto [slot, inserted] = adjoint.try_emplace(operand, g);
      if (!inserted)
        slot->second = arith::AddFOp::create(b, op.getLoc(), slot->second, g);
    }
  }
  return adjoint;
}

/// The value `e` such that a generic's body yields `out + e` (or `e + out`);
/// the yielded value itself when the body does not read `out`.
FailureOr<Value> additiveRoot(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  Value yielded = body.getTerminator()->getOperand(0);
  BlockArgument out = body.getArgument(op.getNumDpsInputs());
  if (out.use_empty()) {
    if (op.getNumReductionLoops() != 0)
      return op.emitOpError("stde-param-grad: a reduction that ignores its accumulator has no "
                            "adjoint rule"),
             failure();
    return yielded;
  }
  auto add = yielded.getDefiningOp<arith::AddFOp>();
  if (!add || !out.hasOneUse() || (add.getLhs() != out && add.getRhs() != out))
    return op.emitOpError("stde-param-grad: only additive reductions (out + e) are "
                          "differentiable; this body uses its accumulator otherwise"),
           failure();
  return add.getLhs() == out ? add.getRhs() : add.getLhs();
}

//===----------------------------------------------------------------------===//
// The reverse sweep
//===----------------------------------------------------------------------===//

class ReverseSweep {
public:
  ReverseSweep(OpBuilder &b) : b(b) {}

  Value adjointOf(Value v) const { return adjoint.lookup(v); }
  void accumulate(Location loc, Value primal, Value g);
  LogicalResult visit(Operation *op, const DenseSet<Value> &active);

private:
  LogicalResult visitGeneric(linalg::GenericOp op, const DenseSet<Value> &active);
  LogicalResult scatterCaptured(linalg::GenericOp op, Value captured, Value g, Value root);
  LogicalResult visitTensorOp(Operation *op, Value g);
  void accumulateSlice(Location loc, Value source, Value g, tensor::ExtractSliceOp slice);

  OpBuilder &b;
  DenseMap<Value, Value> adjoint;
};

/// Whether `v` is all zeros: a zero constant, or a fill with one.
bool isZeros(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    v = fill.getInputs()[0];
  return matchPattern(v, m_AnyZeroFloat());
}

/// `sum` + `partial` as `partial`'s own reduction started from `sum`, when
/// `partial` is a fresh additive linalg.generic (out + e) over zeros: the
/// contributions to a weight's gradient (a contraction, a scatter) then
/// share one buffer instead of each having its own and a sum of them.
Value accumulateInto(Value sum, Value partial) {
  auto generic = partial.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic->getNumResults() != 1 || !partial.use_empty() ||
      sum.getType() != partial.getType() || !isZeros(generic.getDpsInits()[0]))
    return Value();
  if (Operation *def = sum.getDefiningOp();
      def && (def->getBlock() != generic->getBlock() || !def->isBeforeInBlock(generic)))
    return Value(); // the reduction would read `sum` before it exists
  Block &body = generic.getRegion().front();
  BlockArgument out = body.getArgument(generic.getNumDpsInputs());
  auto add = body.getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || (add.getLhs() != out && add.getRhs() != out))
    return Value();
  // Other readers of the accumulator must be dead (the cloned forward body
  // the adjoint does not need): the yield is then out + e, e free of out.
  for (Operation *user : out.getUsers())
    if (user != add.getOperation() && !user->use_empty())
      return Value();
  generic.getDpsInitsMutable()[0].assign(sum);
  return partial;
}

void ReverseSweep::accumulate(Location loc, Value primal, Value g) {
  if (!g)
    return;
  auto [slot, inserted] = adjoint.try_emplace(primal, g);
  if (inserted)
    return;
  if (Value into = accumulateInto(slot->second, g))
    slot->second = into;
  else
    slot->second = arith::AddFOp::create(b, loc, slot->second, g);
}

/// g_src[slice] += g without touching the rest of src's adjoint: slices of
/// the flat parameter vector are disjoint, so this never adds full vectors.
void ReverseSweep::accumulateSlice(Location loc, Value source, Value g,
                                   tensor::ExtractSliceOp slice) {
  auto offsets = slice.getMixedOffsets(), sizes = slice.getMixedSizes(),
       strides = slice.getMixedStrides();
  Value base = adjoint.lookup(source);
  if (base) {
    Value old = tensor::ExtractSliceOp::create(b, loc, cast<RankedTensorType>(g.getType()), base,
                                               offsets, sizes, strides);
    g = arith::AddFOp::create(b, loc, old, g);
  } else {
    base = zerosLike(b, loc, source.getType());
  }
  adjoint[source] = tensor::InsertSliceOp::create(b, loc, g, base, offsets, sizes, strides);
}

LogicalResult ReverseSweep::visit(Operation *op, const DenseSet<Value> &active) {
  if (op->getNumResults() != 1)
    return op->emitOpError("stde-param-grad: no adjoint rule for an op with ")
           << op->getNumResults() << " results on the differentiated path";
  Value g = adjoint.lookup(op->getResult(0));
  if (!g)
    return success(); // the result does not reach the loss
  if (auto generic = dyn_cast<linalg::GenericOp>(op))
    return visitGeneric(generic, active);
  if (hasElementwiseRule(op)) {
    auto grads = elementwiseAdjoint(b, op, op->getOperands(), op->getResult(0), g);
    if (failed(grads))
      return failure();
    for (auto [operand, gi] : llvm::zip(op->getOperands(), *grads))
      if (active.contains(operand))
        accumulate(op->getLoc(), operand, gi);
    return success();
  }
  return visitTensorOp(op, g);
}

LogicalResult ReverseSweep::visitTensorOp(Operation *op, Value g) {
  Location loc = op->getLoc();
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    accumulateSlice(loc, slice.getSource(), g, slice);
    return success();
  }
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
    Value gSource = tensor::ExtractSliceOp::create(
        b, loc, insert.getSourceType(), g, insert.getMixedOffsets(), insert.getMixedSizes(),
        insert.getMixedStrides());
    accumulate(loc, insert.getSource(), gSource);
    Value cleared = tensor::InsertSliceOp::create(
        b, loc, zerosLike(b, loc, insert.getSourceType()), g, insert.getMixedOffsets(),
        insert.getMixedSizes(), insert.getMixedStrides());
    accumulate(loc, insert.getDest(), cleared);
    return success();
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    accumulate(loc, expand.getSrc(),
               tensor::CollapseShapeOp::create(b, loc, expand.getSrcType(), g,
                                               expand.getReassociationIndices()));
    return success();
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    accumulate(loc, collapse.getSrc(),
               tensor::ExpandShapeOp::create(b, loc, collapse.getSrcType(), g,
                                             collapse.getReassociationIndices()));
    return success();
  }
  if (auto extract = dyn_cast<tensor::ExtractOp>(op)) {
    Value base = adjoint.lookup(extract.getTensor());
    if (base) {
      Value old = tensor::ExtractOp::create(b, loc, base, extract.getIndices());
      g = arith::AddFOp::create(b, loc, old, g);
    } else {
      base = zerosLike(b, loc, extract.getTensor().getType());
    }
    adjoint[extract.getTensor()] = tensor::InsertOp::create(b, loc, g, base, extract.getIndices());
    return success();
  }
  if (auto insert = dyn_cast<tensor::InsertOp>(op)) {
    accumulate(loc, insert.getScalar(), tensor::ExtractOp::create(b, loc, g, insert.getIndices()));
    Value zero = constantLike(b, loc, insert.getScalar().getType(), 0.0);
    accumulate(loc, insert.getDest(), tensor::InsertOp::create(b, loc, zero, g, insert.getIndices()));
    return success();
  }
  if (auto elements = dyn_cast<tensor::FromElementsOp>(op)) {
    auto type = elements.getType();
    SmallVector<int64_t> strides = computeStrides(type.getShape());
    for (auto [i, element] : llvm::enumerate(elements.getElements())) {
      SmallVector<Value> indices;
      for (int64_t position : delinearize(int64_t(i), strides))
        indices.push_back(arith::ConstantIndexOp::create(b, loc, position));
      accumulate(loc, element, tensor::ExtractOp::create(b, loc, g, indices));
    }
    return success();
  }
  if (isa<func::CallOp>(op))
    return op->emitOpError("stde-param-grad: calls on the differentiated path must be inlined "
                           "first (run the inliner)");
  return op->emitOpError("stde-param-grad: no adjoint rule for '")
         << op->getName() << "' on the path from the parameters to the result";
}

/// Iterators of the adjoint generic of an operand with `map`: the loops the
/// operand is indexed by stay parallel, the others are summed over.
SmallVector<utils::IteratorType> adjointIterators(AffineMap map) {
  SmallVector<utils::IteratorType> iterators(map.getNumDims(), utils::IteratorType::reduction);
  for (AffineExpr e : map.getResults())
    iterators[cast<AffineDimExpr>(e).getPosition()] = utils::IteratorType::parallel;
  return iterators;
}

LogicalResult ReverseSweep::visitGeneric(linalg::GenericOp op, const DenseSet<Value> &active) {
  Location loc = op.getLoc();
  if (op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics())
    return op.emitOpError("stde-param-grad: only single-result linalg.generic on tensors is "
                          "differentiable");
  FailureOr<Value> root = additiveRoot(op);
  if (failed(root))
    return failure();
  Value g = adjoint.lookup(op.getResult(0));
  Block &body = op.getRegion().front();
  AffineMap outMap = op.getIndexingMapsArray().back();
  if (!outMap.isProjectedPermutation())
    return op.emitOpError("stde-param-grad: the output indexing map must be a projected "
                          "permutation");

  // out = init + sum e: the init's adjoint is g itself.
  if (!body.getArgument(op.getNumDpsInputs()).use_empty() && active.contains(op.getDpsInits()[0]))
    accumulate(loc, op.getDpsInits()[0], g);

  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    if (!active.contains(value))
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isProjectedPermutation())
      return op.emitOpError("stde-param-grad: input #")
             << input->getOperandNumber() << " has an indexing map that is not a projected "
             << "permutation";
    auto tensorType = dyn_cast<RankedTensorType>(value.getType());
    Type element = tensorType ? tensorType.getElementType() : value.getType();
    auto gType = tensorType ? tensorType : RankedTensorType::get({}, element);

    SmallVector<Value> ins(op.getDpsInputs());
    ins.push_back(g);
    SmallVector<AffineMap> maps(op.getIndexingMapsArray());
    maps.back() = outMap; // g, read like the output
    maps.push_back(map);  // the adjoint, written like the input
    // Without reductions the adjoint is a pure map (it never reads its
    // init): elementwise fusion then treats it like any other map.
    SmallVector<utils::IteratorType> iterators = adjointIterators(map);
    bool reduces = llvm::is_contained(iterators, utils::IteratorType::reduction);
    Value init = reduces ? zerosLike(b, loc, gType)
                         : tensor::EmptyOp::create(b, loc, gType.getShape(), element).getResult();
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    LogicalResult status = success();
    auto adjointOp = linalg::GenericOp::create(
        b, loc, gType, ins, ValueRange{init}, maps, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          IRMapping mapping;
          for (unsigned i = 0; i < op.getNumDpsInputs(); ++i)
            mapping.map(body.getArgument(i), args[i]);
          // The accumulator is only read by the final `out + e` (dead here).
          mapping.map(body.getArgument(op.getNumDpsInputs()), args.back());
          auto grads = differentiateBody(nb, body, mapping, *root, args[op.getNumDpsInputs()]);
          Value gi = succeeded(grads) ? grads->lookup(arg) : Value();
          if (failed(grads))
            status = failure();
          Value result = reduces ? args.back() : constantLike(nb, nl, element, 0.0);
          if (gi)
            result = reduces ? arith::AddFOp::create(nb, nl, result, gi).getResult() : gi;
          linalg::YieldOp::create(nb, nl, result);
        });
    if (failed(status))
      return failure();
    Value gi = adjointOp.getResult(0);
    if (!tensorType)
      gi = tensor::ExtractOp::create(b, loc, gi, ValueRange{});
    accumulate(loc, value, gi);
  }

  // Gathers: tensors the body reads with tensor.extract.
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op.getRegion(), captured);
  for (Value value : captured)
    if (active.contains(value) && isa<RankedTensorType>(value.getType()))
      if (failed(scatterCaptured(op, value, g, *root)))
        return failure();
  return success();
}

/// The adjoint of a tensor the body reads at computed indices: a loop nest
/// over the iteration space that re-evaluates the body and adds each
/// element's adjoint at the index it was read from (a scatter-add).
LogicalResult ReverseSweep::scatterCaptured(linalg::GenericOp op, Value captured, Value g,
                                            Value root) {
  Location loc = op.getLoc();
  Block &body = op.getRegion().front();
  for (Operation *user : captured.getUsers())
    if (op->isProperAncestor(user) && !isa<tensor::ExtractOp>(user))
      return user->emitOpError("stde-param-grad: a captured tensor is differentiable only when "
                               "the body reads it with tensor.extract");
  Value base = adjoint.lookup(captured);
  if (!base)
    base = zerosLike(b, loc, captured.getType());

  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t range : ranges) {
    if (ShapedType::isDynamic(range))
      return op.emitOpError("stde-param-grad: gathers need static loop ranges");
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, range));
    steps.push_back(one);
  }
  LogicalResult status = success();
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{base},
      [&](OpBuilder &nb, Location nl, ValueRange ivs, ValueRange iter) -> scf::ValueVector {
        auto at = [&](AffineMap map) {
          return llvm::map_to_vector(map.getResults(), [&](AffineExpr e) {
            return ivs[cast<AffineDimExpr>(e).getPosition()];
          });
        };
        IRMapping mapping;
        for (OpOperand *input : op.getDpsInputOperands()) {
          Value v = input->get();
          Value scalar = isa<RankedTensorType>(v.getType())
                             ? tensor::ExtractOp::create(nb, nl, v,
                                                         at(op.getMatchingIndexingMap(input)))
                                   .getResult()
                             : v;
          mapping.map(body.getArgument(input->getOperandNumber()), scalar);
        }
        Value seed = tensor::ExtractOp::create(nb, nl, g, at(op.getIndexingMapsArray().back()));
        mapping.map(body.getArgument(op.getNumDpsInputs()), seed); // read only by out + e
        auto grads = differentiateBody(nb, body, mapping, root, seed, ivs);
        Value acc = iter[0];
        if (failed(grads)) {
          status = failure();
          return {acc};
        }
        for (Operation *user : captured.getUsers()) {
          auto read = dyn_cast<tensor::ExtractOp>(user);
          if (!read || !op->isProperAncestor(read))
            continue;
          Value gi = grads->lookup(read.getResult());
          if (!gi)
            continue;
          auto indices = llvm::map_to_vector(read.getIndices(),
                                             [&](Value v) { return mapping.lookupOrDefault(v); });
          Value old = tensor::ExtractOp::create(nb, nl, acc, indices);
          Value sum = arith::AddFOp::create(nb, nl, old, gi);
          acc = tensor::InsertOp::create(nb, nl, sum, acc, indices);
        }
        return {acc};
      });
  if (failed(status))
    return failure();
  adjoint[captured] = nest.results.front();
  return success();
}

//===----------------------------------------------------------------------===//
// Activity analysis and the pass
//===----------------------------------------------------------------------===//

/// Values that depend on `seed` (through operands or values captured by
/// regions) and reach `result`.
DenseSet<Value> activeValues(Block &block, Value seed, Value result) {
  DenseSet<Value> varied{seed};
  for (Operation &op : block) {
    llvm::SetVector<Value> used(op.operand_begin(), op.operand_end());
    for (Region &region : op.getRegions())
      getUsedValuesDefinedAbove(region, used);
    if (llvm::any_of(used, [&](Value v) { return varied.contains(v); }))
      varied.insert(op.result_begin(), op.result_end());
  }
  DenseSet<Value> useful{result};
  for (Operation &op : llvm::reverse(block)) {
    if (llvm::none_of(op.getResults(), [&](Value v) { return useful.contains(v); }))
      continue;
    llvm::SetVector<Value> used(op.operand_begin(), op.operand_end());
    for (Region &region : op.getRegions())
      getUsedValuesDefinedAbove(region, used);
    useful.insert(used.begin(), used.end());
  }
  DenseSet<Value> active;
  for (Value v : varied)
    if (useful.contains(v))
      active.insert(v);
  return active;
}

/// Named structured ops on the active path become linalg.generic, so that
/// one rule covers them all.
LogicalResult generalizeActive(func::FuncOp func, const DenseSet<Value> &active) {
  SmallVector<linalg::LinalgOp> named;
  func.walk([&](linalg::LinalgOp op) {
    if (!isa<linalg::GenericOp>(op) && op->getNumResults() == 1 &&
        active.contains(op->getResult(0)))
      named.push_back(op);
  });
  IRRewriter rewriter(func.getContext());
  for (linalg::LinalgOp op : named) {
    rewriter.setInsertionPoint(op);
    if (failed(linalg::generalizeNamedOp(rewriter, op)))
      return op->emitOpError("stde-param-grad: cannot generalize this op to linalg.generic");
  }
  return success();
}

bool isScalarLoss(func::FuncOp func, unsigned wrt) {
  auto type = func.getFunctionType();
  return !func.isDeclaration() && type.getNumResults() == 1 &&
         isa<FloatType>(type.getResult(0)) && wrt < type.getNumInputs() &&
         isa<RankedTensorType>(type.getInput(wrt)) &&
         isa<FloatType>(cast<RankedTensorType>(type.getInput(wrt)).getElementType());
}

struct StdeParamGradPass : stde::impl::StdeParamGradBase<StdeParamGradPass> {
  using StdeParamGradBase::StdeParamGradBase;

  LogicalResult differentiate(func::FuncOp func);
  void runOnOperation() override;
};

LogicalResult StdeParamGradPass::differentiate(func::FuncOp original) {
  OpBuilder b(original);
  b.setInsertionPointAfter(original);
  auto func = cast<func::FuncOp>(b.clone(*original));
  func.setSymName((original.getSymName() + suffix).str());
  Block &block = func.getBody().front();
  if (!llvm::hasSingleElement(func.getBody()))
    return original.emitOpError("stde-param-grad: only single-block functions are supported");
  auto ret = cast<func::ReturnOp>(block.getTerminator());
  Value params = block.getArgument(wrt), loss = ret.getOperand(0);

  DenseSet<Value> active = activeValues(block, params, loss);
  if (failed(generalizeActive(func, active)))
    return failure();
  active = activeValues(block, params, loss); // generalized ops have new results

  b.setInsertionPoint(ret);
  ReverseSweep sweep(b);
  sweep.accumulate(ret.getLoc(), loss, constantLike(b, ret.getLoc(), loss.getType(), 1.0));
  SmallVector<Operation *> ops;
  for (Operation &op : block.without_terminator())
    if (op.getNumResults() > 0 && active.contains(op.getResult(0)))
      ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (failed(sweep.visit(op, active)))
      return failure();

  Value grad = sweep.adjointOf(params);
  if (!grad)
    grad = zerosLike(b, ret.getLoc(), params.getType());
  func::ReturnOp::create(b, ret.getLoc(), ValueRange{loss, grad});
  ret.erase();
  auto type = func.getFunctionType();
  SmallVector<Type> results{type.getResult(0), params.getType()};
  func.setFunctionType(FunctionType::get(func.getContext(), type.getInputs(), results));
  return success();
}

void StdeParamGradPass::runOnOperation() {
  ModuleOp module = getOperation();
  SmallVector<func::FuncOp> selected;
  if (functions.empty()) {
    for (auto func : module.getOps<func::FuncOp>())
      if (isScalarLoss(func, wrt))
        selected.push_back(func);
  } else {
    SmallVector<StringRef> names;
    StringRef(functions).split(names, ',', -1, false);
    for (StringRef name : names) {
      auto func = module.lookupSymbol<func::FuncOp>(name.trim());
      if (!func) {
        module.emitError("stde-param-grad: no function named '") << name.trim() << "'";
        return signalPassFailure();
      }
      if (!isScalarLoss(func, wrt)) {
        func.emitOpError("stde-param-grad: needs one float scalar result and a float tensor "
                         "argument #")
            << wrt << " (the parameters)";
        return signalPassFailure();
      }
      selected.push_back(func);
    }
  }
  for (func::FuncOp func : selected) {
    if (module.lookupSymbol((func.getSymName() + suffix).str())) {
      func.emitOpError("stde-param-grad: a function named '")
          << func.getSymName() << suffix << "' already exists";
      return signalPassFailure();
    }
    if (failed(differentiate(func)))
      return signalPassFailure();
  }
}

} // namespace
