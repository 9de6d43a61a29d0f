//===- VectorizableMathReductions.cpp - transcendental sums in vector lanes ===//
//
// The lean-memory step fuses the source term's math into the sums that read
// it (stde-fuse-elementwise{into-reductions}): per point, a sum over d of
// sin / cos / exp of the coordinates. As one scalar accumulation per output
// that loop cannot vectorize (LLVM keeps the order of floating-point adds),
// so its f32 polynomials run one lane at a time: at d = 10^5 the zeroth-
// order step spends most of its time there. This pass gives each such sum C
// accumulators: the reduction dimension R is viewed as [S, C] (the first
// S C terms; memref.expand_shape), a first op adds term s C + c into lane c
// of a zeroed [outputs..., C] buffer, with the lane loop innermost and
// parallel, so it vectorizes; a second op adds the C lanes to the output in
// order, and the R - S C remaining terms follow as the original op on the
// tail. The summation order changes (deterministically: the same on every
// run and thread count); f32 only, since f64 math stays library calls that
// do not vectorize.
//
//===----------------------------------------------------------------------===//
#include "SplitDimension.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace stde {
#define GEN_PASS_DEF_VECTORIZABLEMATHREDUCTIONS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// Math whose polynomial is worth vector lanes (sqrt, abs, fma are single
/// instructions already).
bool isTranscendental(Operation *op) {
  return isa<math::SinOp, math::CosOp, math::ExpOp, math::Exp2Op, math::ExpM1Op, math::LogOp,
             math::Log1pOp, math::Log2Op, math::TanhOp, math::PowFOp, math::AtanOp,
             math::Atan2Op, math::ErfOp>(op);
}

/// Every output is `out + term` (or `term + out`) with `out` read nowhere
/// else: the op is a plain sum of terms that do not depend on the outputs.
bool isSumOfTerms(linalg::GenericOp op) {
  Operation *yield = op.getBody()->getTerminator();
  for (auto [i, acc] : llvm::enumerate(op.getRegionOutputArgs())) {
    // `out` flows only through its add into the yield: no term sees it.
    auto add = yield->getOperand(i).getDefiningOp<arith::AddFOp>();
    if (!add || !acc.hasOneUse() || (add.getLhs() != acc && add.getRhs() != acc) ||
        !add->hasOneUse())
      return false;
  }
  return op.getBody()->getOps<linalg::IndexOp>().empty();
}

/// The one reduction dimension of a static f32 sum of transcendental terms
/// over buffers, every map a projected permutation and every output indexed
/// by all the other dimensions.
std::optional<unsigned> matchMathSum(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() == 0 || !isSumOfTerms(op))
    return std::nullopt;
  bool math = false;
  op.getBody()->walk([&](Operation *inner) { math |= isTranscendental(inner); });
  if (!math)
    return std::nullopt;
  std::optional<unsigned> reduction;
  for (auto [i, type] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (type != utils::IteratorType::reduction)
      continue;
    if (reduction)
      return std::nullopt;
    reduction = i;
  }
  if (!reduction)
    return std::nullopt;
  for (int64_t extent : op.getStaticLoopRanges())
    if (ShapedType::isDynamic(extent))
      return std::nullopt;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !type.hasStaticShape() || !op.getMatchingIndexingMap(&operand).isProjectedPermutation())
      return std::nullopt;
  }
  for (OpOperand &init : op.getDpsInitsMutable()) {
    auto type = cast<MemRefType>(init.get().getType());
    if (!type.getElementType().isF32() ||
        op.getMatchingIndexingMap(&init).getNumResults() != op.getNumLoops() - 1)
      return std::nullopt;
  }
  return reduction;
}

/// The result position at which `map` reads dimension `dim`, if it does.
std::optional<unsigned> positionOf(AffineMap map, unsigned dim) {
  for (auto [i, result] : llvm::enumerate(map.getResults()))
    if (result == getAffineDimExpr(dim, map.getContext()))
      return i;
  return std::nullopt;
}

/// `input` restricted to [offset, offset + size) along `position`.
Value sliceAlong(OpBuilder &b, Location loc, Value input, unsigned position, int64_t offset,
                 int64_t size) {
  auto type = cast<MemRefType>(input.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0)), sizes;
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t extent : type.getShape())
    sizes.push_back(b.getIndexAttr(extent));
  offsets[position] = b.getIndexAttr(offset);
  sizes[position] = b.getIndexAttr(size);
  return memref::SubViewOp::create(b, loc, input, offsets, sizes, strides);
}

class VectorizableMathReductions
    : public stde::impl::VectorizableMathReductionsBase<VectorizableMathReductions> {
public:
  using VectorizableMathReductionsBase::VectorizableMathReductionsBase;

  void runOnOperation() override {
    if (lanes < 2 || minTerms < 1) {
      getOperation()->emitError("stde-vectorizable-math-reductions: lanes must be at least 2 and "
                                "min-terms at least 1");
      return signalPassFailure();
    }
    SmallVector<std::pair<linalg::GenericOp, unsigned>> sums;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (std::optional<unsigned> dim = matchMathSum(op);
          dim && op.getStaticLoopRanges()[*dim] >= minLanesTerms())
        sums.push_back({op, *dim});
    });
    for (auto [op, dim] : sums)
      split(op, dim);
  }

private:
  /// Long sums only: a short one (a layer's product with its activation
  /// fused in) would need a lane buffer many times its output.
  int64_t minLanesTerms() const { return std::max<int64_t>(2 * lanes, minTerms); }

  void split(linalg::GenericOp op, unsigned dim) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    unsigned n = op.getNumLoops();
    int64_t terms = op.getStaticLoopRanges()[dim];
    int64_t head = terms / lanes * lanes;
    // The lane op's loops: the original ones (dimension `dim` now the chunk
    // s, still a reduction) and the lane c appended, innermost.
    AffineExpr chunk = getAffineDimExpr(dim, context), lane = getAffineDimExpr(n, context);
    SmallVector<Value> inputs, tails;
    SmallVector<AffineMap> maps;
    SmallVector<Operation *> views; // erased again if one input cannot be split
    auto giveUp = [&] {
      for (Operation *view : llvm::reverse(views))
        view->erase();
    };
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      Value value = input->get(), tail = value;
      SmallVector<AffineExpr> results(map.getResults());
      if (std::optional<unsigned> position = positionOf(map, dim)) {
        if (head < terms) {
          value = sliceAlong(b, loc, value, *position, 0, head);
          tail = sliceAlong(b, loc, input->get(), *position, head, terms - head);
          views.append({value.getDefiningOp(), tail.getDefiningOp()});
        }
        value = stde::splitDimension(b, loc, value, *position, lanes);
        if (!value)
          return giveUp();
        views.push_back(value.getDefiningOp());
        results.insert(results.begin() + *position + 1, lane);
      }
      inputs.push_back(value);
      tails.push_back(tail);
      maps.push_back(AffineMap::get(n + 1, 0, results, context));
    }
    SmallVector<Value> partials;
    SmallVector<AffineMap> partialMaps;
    for (OpOperand &init : op.getDpsInitsMutable()) {
      auto type = cast<MemRefType>(init.get().getType());
      SmallVector<int64_t> shape(type.getShape());
      shape.push_back(lanes);
      AffineMap outMap = op.getMatchingIndexingMap(&init);
      SmallVector<AffineExpr> results(outMap.getResults());
      results.push_back(lane);
      maps.push_back(AffineMap::get(n + 1, 0, results, context));
      // For the merge: the lane index is the reduction dimension's.
      results.back() = chunk;
      partialMaps.push_back(AffineMap::get(n, 0, results, context));
      Type element = type.getElementType();
      // Aligned like bufferization's buffers, for the lanes' vector stores.
      Value partial = memref::AllocOp::create(b, loc, MemRefType::get(shape, element),
                                              b.getI64IntegerAttr(64));
      Value zero = arith::ConstantOp::create(b, loc, element, b.getZeroAttr(element));
      linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{partial});
      partials.push_back(partial);
    }
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    iterators.push_back(utils::IteratorType::parallel);
    auto laneSums =
        linalg::GenericOp::create(b, loc, TypeRange{}, inputs, partials, maps, iterators);
    IRRewriter rewriter(b);
    rewriter.cloneRegionBefore(op.getRegion(), laneSums.getRegion(), laneSums.getRegion().end());

    // out += lane 0 + ... + lane C-1, in order; then the tail's terms.
    for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
      Value out = init.get();
      auto mergeRange = op.getIteratorTypesArray();
      linalg::GenericOp::create(
          b, loc, TypeRange{}, ValueRange{partials[i]}, ValueRange{out},
          {partialMaps[i], op.getMatchingIndexingMap(&init)}, mergeRange,
          [](OpBuilder &nested, Location at, ValueRange args) {
            linalg::YieldOp::create(nested, at, arith::AddFOp::create(nested, at, args[1], args[0]).getResult());
          });
      memref::DeallocOp::create(b, loc, partials[i]);
    }
    if (head < terms) {
      auto tail = linalg::GenericOp::create(b, loc, TypeRange{}, tails, op.getDpsInits(),
                                            op.getIndexingMapsArray(), op.getIteratorTypesArray());
      rewriter.cloneRegionBefore(op.getRegion(), tail.getRegion(), tail.getRegion().end());
    }
    op.erase();
  }
};

} // namespace
