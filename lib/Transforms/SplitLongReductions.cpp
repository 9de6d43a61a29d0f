//===- SplitLongReductions.cpp - long sums over many threads --------------===//
//
// At d = 10^6 a training step sums rows of 100 x 10^6 buffers (per point,
// over the dimension): on the GPU that is 100 threads each adding a million
// terms one after the other, uncoalesced (five such kernels in an STDE step).
// Split the reduction dimension R as S x C: a first op sums, for each output
// and each c, the terms c, c + C, c + 2C, ... (adjacent threads read adjacent
// elements) into a zeroed workspace; a second adds the C partial sums to the
// output in order. Inputs that read the reduction dimension are viewed as
// [..., S, C, ...] with memref.expand_shape, so both ops keep plain
// indexing maps.
//
//===----------------------------------------------------------------------===//
#include "SplitDimension.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace stde {
#define GEN_PASS_DEF_SPLITLONGREDUCTIONS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// A sum `out += f(ins)` over one reduction dimension, on buffers of static
/// shape, that every input reads (if at all) as a plain dimension.
struct LongSum {
  unsigned dim;     ///< the reduction dimension
  int64_t terms;    ///< its extent
  int64_t outputs;  ///< the product of the parallel extents
};

bool isAccumulation(linalg::GenericOp op) {
  Block *body = op.getBody();
  BlockArgument acc = op.getRegionOutputArgs()[0];
  auto add = body->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  bool usesIndices = !body->getOps<linalg::IndexOp>().empty();
  return add && acc.hasOneUse() && (add.getLhs() == acc || add.getRhs() == acc) && !usesIndices;
}

std::optional<LongSum> matchLongSum(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 || !isAccumulation(op))
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
  LongSum sum{*reduction, 0, 1};
  for (auto [i, extent] : llvm::enumerate(op.getStaticLoopRanges())) {
    if (ShapedType::isDynamic(extent))
      return std::nullopt;
    if (i == sum.dim)
      sum.terms = extent;
    else
      sum.outputs *= extent;
  }
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto type = dyn_cast<MemRefType>(input->get().getType());
    if (!type || !type.hasStaticShape())
      return std::nullopt;
    for (AffineExpr result : op.getMatchingIndexingMap(input).getResults())
      if (result.isFunctionOfDim(sum.dim) && !isa<AffineDimExpr>(result))
        return std::nullopt;
  }
  return sum;
}

class SplitLongReductions : public stde::impl::SplitLongReductionsBase<SplitLongReductions> {
public:
  using SplitLongReductionsBase::SplitLongReductionsBase;

  void runOnOperation() override {
    if (minTerms < 2 || targetThreads < 1 || minTermsPerThread < 1) {
      getOperation()->emitError("stde-split-long-reductions: min-terms must be at least 2, "
                                "target-threads and min-terms-per-thread at least 1");
      return signalPassFailure();
    }
    // Sums over tensors' rows reach here as linalg.reduce: those long enough
    // to split become generic ops, which match like the rest.
    SmallVector<linalg::ReduceOp> reduces;
    getOperation()->walk([&](linalg::ReduceOp op) {
      if (isLongReduce(op))
        reduces.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::ReduceOp op : reduces) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    SmallVector<std::pair<linalg::GenericOp, LongSum>> sums;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (std::optional<LongSum> sum = matchLongSum(op);
          sum && sum->terms >= minTerms && sum->outputs < targetThreads)
        sums.push_back({op, *sum});
    });
    for (auto [op, sum] : sums)
      if (int64_t chunks = chunksFor(sum))
        split(op, sum, chunks);
  }

private:
  /// A linalg.reduce over one dimension of at least min-terms terms.
  bool isLongReduce(linalg::ReduceOp op) const {
    auto input = dyn_cast<MemRefType>(op.getInputs().front().getType());
    return op.getDimensions().size() == 1 && input && input.hasStaticShape() &&
           input.getDimSize(op.getDimensions().front()) >= minTerms;
  }

  /// The largest divisor C of the reduction's length with outputs x C within
  /// target-threads and at least min-terms-per-thread terms per thread; 0 if
  /// none above 1.
  int64_t chunksFor(const LongSum &sum) const {
    int64_t limit = std::min(targetThreads / sum.outputs, sum.terms / minTermsPerThread);
    for (int64_t c = limit; c >= 2; --c)
      if (sum.terms % c == 0)
        return c;
    return 0;
  }

  void split(linalg::GenericOp op, const LongSum &sum, int64_t chunks) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    unsigned n = op.getNumLoops();
    // The partial op's loops: the original ones, the reduction dimension now
    // the chunk c (parallel), and the term within the chunk appended (d_n).
    AffineExpr chunk = getAffineDimExpr(sum.dim, context), term = getAffineDimExpr(n, context);
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    SmallVector<Operation *> views; // erased again if one input cannot be split
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      SmallVector<AffineExpr> results;
      Value value = input->get();
      for (auto [position, result] : llvm::enumerate(map.getResults())) {
        if (result != chunk) {
          results.push_back(result);
          continue;
        }
        value = stde::splitDimension(b, loc, value, results.size(), chunks);
        if (!value) { // a layout expand_shape cannot split: left as it is
          for (Operation *view : llvm::reverse(views))
            view->erase();
          return;
        }
        views.push_back(value.getDefiningOp());
        results.append({term, chunk});
      }
      inputs.push_back(value);
      maps.push_back(AffineMap::get(n + 1, 0, results, context));
    }
    Value out = op.getDpsInitOperand(0)->get();
    auto outType = cast<MemRefType>(out.getType());
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    SmallVector<int64_t> partialShape(outType.getShape());
    partialShape.push_back(chunks);
    SmallVector<AffineExpr> partialResults(outMap.getResults());
    partialResults.push_back(chunk);
    maps.push_back(AffineMap::get(n + 1, 0, partialResults, context));

    Type element = outType.getElementType();
    Value partial = memref::AllocOp::create(b, loc, MemRefType::get(partialShape, element));
    Value zero = arith::ConstantOp::create(b, loc, element, b.getZeroAttr(element));
    linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{partial});

    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    iterators[sum.dim] = utils::IteratorType::parallel;
    iterators.push_back(utils::IteratorType::reduction);
    auto partialSum = linalg::GenericOp::create(b, loc, TypeRange{}, inputs, ValueRange{partial},
                                                maps, iterators);
    IRRewriter rewriter(b);
    rewriter.cloneRegionBefore(op.getRegion(), partialSum.getRegion(),
                               partialSum.getRegion().end());

    // out[...] += partial[..., c] for c = 0 .. C-1, in order.
    AffineMap partialIn = AffineMap::get(n, 0, partialResults, context);
    linalg::GenericOp::create(
        b, loc, TypeRange{}, ValueRange{partial}, ValueRange{out}, {partialIn, outMap},
        op.getIteratorTypesArray(), [](OpBuilder &nested, Location at, ValueRange args) {
          Value total = arith::AddFOp::create(nested, at, args[1], args[0]);
          linalg::YieldOp::create(nested, at, total);
        });
    memref::DeallocOp::create(b, loc, partial);
    op.erase();
  }
};

} // namespace
