//===- MergeWeightProducts.cpp - one product per weight over stacked rows -===//
//
// A dense layer's weight multiplies several row blocks: the primal and each
// jet coefficient of a layer, and in a zeroth-order step the same blocks of
// both sides of every pair (zo-pair emits them side by side). Each block as
// its own product is a separate BLAS call or kernel over the same weight;
// stacked, they are one product of sum(M_i) rows: the weight is read once,
// and the product is large enough for the library's blocking to pay.
//
// Products with the same weight value, element type and K x N are merged
// when no result is used before the last of them, other than reshaped
// (then nothing between them depends on another: the stacked product sits
// after the last one, the reshapes of the results after it, before every
// other use). Each row of the stacked product is computed exactly as the
// row of its block was (the same weight, the same reduction over K), so the
// two sides of a pair, whose rows are now blocks of one product, still see
// bit-identical arithmetic.
//
//===----------------------------------------------------------------------===//
#include "stde/Analysis/MatrixProduct.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

#include <map>

namespace stde {
#define GEN_PASS_DEF_MERGEWEIGHTPRODUCTS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// A product C[m..., n] = init + A[m..., k] W with W[k, n] or W[n, k]: rows
/// (the m dimensions, outermost, in order) that can be stacked.
struct RowProduct {
  mutable linalg::GenericOp op;
  OpOperand *a, *w;
  bool weightTransposed; // W indexed (n, k)
  int64_t rows;          // the product of the m extents
};

/// What products must share to be stacked.
struct WeightKey {
  Value weight;
  bool transposed;
  int64_t k, n;
  bool operator<(const WeightKey &o) const {
    return std::make_tuple(weight.getAsOpaquePointer(), transposed, k, n) <
           std::make_tuple(o.weight.getAsOpaquePointer(), o.transposed, o.k, o.n);
  }
};

SmallVector<unsigned> dimsOf(AffineMap map) {
  SmallVector<unsigned> dims;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    dims.push_back(map.getDimPosition(i));
  return dims;
}

std::optional<RowProduct> matchRowProduct(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op->getNumResults() != 1 || op.hasDynamicShape())
    return std::nullopt;
  FailureOr<stde::MatrixProduct> p = stde::matchMatrixProduct(op);
  if (failed(p) || p->k.size() != 1 || p->n.size() != 1)
    return std::nullopt;
  unsigned k = p->k.front(), n = p->n.front();
  // A is rows then k, C rows then n: each collapses to a matrix for free.
  SmallVector<unsigned> aDims(p->m), cDims(p->m);
  aDims.push_back(k);
  cDims.push_back(n);
  if (dimsOf(op.getMatchingIndexingMap(p->a)) != aDims ||
      dimsOf(op.getMatchingIndexingMap(op.getDpsInitOperand(0))) != cDims)
    return std::nullopt;
  SmallVector<unsigned> wDims = dimsOf(op.getMatchingIndexingMap(p->b));
  bool transposed = wDims == SmallVector<unsigned>{n, k};
  if (!transposed && wDims != SmallVector<unsigned>{k, n})
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t rows = 1;
  for (unsigned m : p->m)
    rows *= ranges[m];
  return RowProduct{op, p->a, p->b, transposed, rows};
}

WeightKey keyOf(const RowProduct &p) {
  auto type = cast<RankedTensorType>(p.w->get().getType());
  int64_t k = type.getDimSize(p.weightTransposed ? 1 : 0);
  int64_t n = type.getDimSize(p.weightTransposed ? 0 : 1);
  return {p.w->get(), p.weightTransposed, k, n};
}

/// A reshape that only views its operand: it moves along with the value.
bool isView(Operation *op) {
  return isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op) && op->getNumOperands() == 1;
}

/// The views of `value` in `block`, transitively (reshapes of reshapes).
void collectViews(Block *block, Value value, SmallVectorImpl<Operation *> &views) {
  for (Operation *user : value.getUsers())
    if (isView(user) && user->getBlock() == block) {
      views.push_back(user);
      collectViews(block, user->getResult(0), views);
    }
}

/// The first op of `block` that uses `value` other than by viewing it
/// (directly or inside a region), or null.
Operation *firstUse(Block *block, Value value) {
  Operation *first = nullptr;
  for (Operation *user : value.getUsers()) {
    Operation *use = isView(user) && user->getBlock() == block
                         ? firstUse(block, user->getResult(0))
                         : block->findAncestorOpInBlock(*user);
    if (use && (!first || use->isBeforeInBlock(first)))
      first = use;
  }
  return first;
}

/// Products of one weight that can be stacked, in block order.
struct Stack {
  SmallVector<RowProduct> members;
  Operation *firstUse = nullptr; // of any member's result
};

/// Groups the products of `block` into stacks: a product joins its weight's
/// open stack when it comes before every use of that stack's results.
SmallVector<Stack> findStacks(Block &block) {
  SmallVector<Stack> done;
  std::map<WeightKey, Stack> open;
  for (Operation &op : block) {
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (!generic)
      continue;
    std::optional<RowProduct> product = matchRowProduct(generic);
    if (!product)
      continue;
    Stack &stack = open[keyOf(*product)];
    if (!stack.members.empty() && stack.firstUse && !op.isBeforeInBlock(stack.firstUse)) {
      done.push_back(std::move(stack));
      stack = Stack();
    }
    stack.members.push_back(*product);
    Operation *use = firstUse(&block, op.getResult(0));
    if (use && (!stack.firstUse || use->isBeforeInBlock(stack.firstUse)))
      stack.firstUse = use;
  }
  for (auto &[key, stack] : open)
    done.push_back(std::move(stack));
  llvm::erase_if(done, [](const Stack &s) { return s.members.size() < 2; });
  return done;
}

/// `value` (rows..., cols) as a rows x cols matrix.
Value asMatrix(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 2)
    return value;
  ReassociationIndices rows;
  for (int64_t i = 0; i + 1 < type.getRank(); ++i)
    rows.push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, value, SmallVector<ReassociationIndices>{rows, {type.getRank() - 1}});
}

/// The splat constant every value is, if they are all the same one.
std::optional<Attribute> commonSplat(ArrayRef<Value> values) {
  std::optional<Attribute> common;
  for (Value v : values) {
    SplatElementsAttr splat;
    if (!matchPattern(v, m_Constant(&splat)))
      return std::nullopt;
    Attribute element = splat.getSplatValue<Attribute>();
    if (common && *common != element)
      return std::nullopt;
    common = element;
  }
  return common;
}

/// The values stacked along their first axis: one splat when all are the
/// same splat (zero-initialized products), else insert_slices into an empty.
Value stackRows(OpBuilder &b, Location loc, ArrayRef<Value> matrices, int64_t cols) {
  int64_t total = 0;
  for (Value m : matrices)
    total += cast<RankedTensorType>(m.getType()).getDimSize(0);
  Type element = cast<RankedTensorType>(matrices.front().getType()).getElementType();
  auto type = RankedTensorType::get({total, cols}, element);
  if (std::optional<Attribute> splat = commonSplat(matrices))
    return arith::ConstantOp::create(b, loc, SplatElementsAttr::get(type, *splat));
  Value stacked = tensor::EmptyOp::create(b, loc, type.getShape(), element);
  int64_t offset = 0;
  for (Value m : matrices) {
    int64_t rows = cast<RankedTensorType>(m.getType()).getDimSize(0);
    stacked = tensor::InsertSliceOp::create(
        b, loc, m, stacked, ArrayRef<OpFoldResult>{b.getIndexAttr(offset), b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(rows), b.getIndexAttr(cols)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    offset += rows;
  }
  return stacked;
}

/// The stacked product: loops (m, n, k), the first member's body.
linalg::GenericOp stackedProduct(OpBuilder &b, Location loc, const Stack &stack, Value a,
                                 Value init) {
  const RowProduct &first = stack.members.front();
  MLIRContext *ctx = b.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  AffineMap aMap = AffineMap::get(3, 0, {m, k}, ctx);
  AffineMap wMap = AffineMap::get(3, 0, first.weightTransposed ? ArrayRef<AffineExpr>{n, k}
                                                               : ArrayRef<AffineExpr>{k, n},
                                  ctx);
  // Inputs in the members' order, so the body is cloned argument for argument.
  bool aFirst = first.a->getOperandNumber() < first.w->getOperandNumber();
  SmallVector<Value> inputs{a, first.w->get()};
  SmallVector<AffineMap> maps{aMap, wMap};
  if (!aFirst) {
    std::swap(inputs[0], inputs[1]);
    std::swap(maps[0], maps[1]);
  }
  maps.push_back(AffineMap::get(3, 0, {m, n}, ctx));
  SmallVector<utils::IteratorType> iterators{utils::IteratorType::parallel,
                                             utils::IteratorType::parallel,
                                             utils::IteratorType::reduction};
  Block *body = first.op.getBody();
  return linalg::GenericOp::create(
      b, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location, ValueRange args) {
        IRMapping map;
        map.map(body->getArguments(), args);
        for (Operation &op : body->without_terminator())
          nb.clone(op, map);
        Operation *yield = body->getTerminator();
        nb.clone(*yield, map);
      });
}

void mergeStack(const Stack &stack) {
  Operation *last = stack.members.back().op;
  OpBuilder b(last->getContext());
  b.setInsertionPointAfter(last);
  Location loc = b.getFusedLoc(llvm::map_to_vector(
      stack.members, [](const RowProduct &p) { return p.op.getLoc(); }));
  SmallVector<Value> as, inits;
  for (const RowProduct &p : stack.members) {
    as.push_back(asMatrix(b, loc, p.a->get()));
    inits.push_back(asMatrix(b, loc, p.op.getDpsInitOperand(0)->get()));
  }
  WeightKey key = keyOf(stack.members.front());
  Value a = stackRows(b, loc, as, key.k);
  Value init = stackRows(b, loc, inits, key.n);
  Value stacked = stackedProduct(b, loc, stack, a, init)->getResult(0);
  // Reshapes of the members' results now view rows cut out below: they
  // move after them, in their order (their users come later still).
  SmallVector<Operation *> views;
  for (const RowProduct &p : stack.members)
    collectViews(p.op->getBlock(), p.op->getResult(0), views);
  llvm::sort(views, [](Operation *x, Operation *y) { return x->isBeforeInBlock(y); });
  int64_t offset = 0;
  for (const RowProduct &p : stack.members) {
    Value rows = tensor::ExtractSliceOp::create(
        b, loc, stacked, ArrayRef<OpFoldResult>{b.getIndexAttr(offset), b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(p.rows), b.getIndexAttr(key.n)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    auto type = cast<RankedTensorType>(p.op->getResult(0).getType());
    if (type.getRank() > 2) {
      ReassociationIndices rowDims;
      for (int64_t i = 0; i + 1 < type.getRank(); ++i)
        rowDims.push_back(i);
      rows = tensor::ExpandShapeOp::create(
          b, loc, type, rows, SmallVector<ReassociationIndices>{rowDims, {type.getRank() - 1}});
    }
    p.op->getResult(0).replaceAllUsesWith(rows);
    offset += p.rows;
  }
  for (Operation *view : views)
    view->moveBefore(b.getInsertionBlock(), b.getInsertionPoint());
  for (const RowProduct &p : stack.members)
    p.op->erase();
}

struct MergeWeightProductsPass : stde::impl::MergeWeightProductsBase<MergeWeightProductsPass> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation()->walk([&](Block *block) { blocks.push_back(block); });
    for (Block *block : blocks)
      for (const Stack &stack : findStacks(*block))
        mergeStack(stack);
  }
};

} // namespace
