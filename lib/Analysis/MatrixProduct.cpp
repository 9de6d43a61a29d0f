//===- MatrixProduct.cpp - matrix products read off linalg ops ------------===//
//
// Shared by the conversions that hand matrix products to something better
// than loops: the CPU runtime's BLAS calls (convert-linalg-to-runtime) and
// the GPU's tiled kernels (convert-matmul-to-gpu).
//
//===----------------------------------------------------------------------===//
#include "stde/Analysis/MatrixProduct.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

namespace {

/// The input operand whose block argument is `v`, if any.
OpOperand *inputOf(linalg::LinalgOp op, Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg || arg.getOwner() != op.getBlock())
    return nullptr;
  for (OpOperand *input : op.getDpsInputOperands())
    if (op.getMatchingBlockArgument(input) == arg)
      return input;
  return nullptr;
}

/// The two inputs of a body yield(out + x * y) (either order of both
/// operations), if that is the body.
FailureOr<std::pair<OpOperand *, OpOperand *>> multipliedInputs(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1 || body->getOperations().size() != 3)
    return failure();
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return failure();
  Value out = op.getMatchingBlockArgument(op.getDpsInitOperand(0));
  Value product = add.getLhs() == out ? add.getRhs() : add.getRhs() == out ? add.getLhs() : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : arith::MulFOp();
  if (!mul)
    return failure();
  OpOperand *x = inputOf(op, mul.getLhs()), *y = inputOf(op, mul.getRhs());
  if (!x || !y || x == y)
    return failure();
  return std::make_pair(x, y);
}

/// Loop dimensions of a map that is a plain permutation of some of them.
std::optional<SmallVector<unsigned>> dimsOf(AffineMap map) {
  if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
    return std::nullopt;
  SmallVector<unsigned> dims;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    dims.push_back(map.getDimPosition(i));
  return dims;
}

} // namespace

FailureOr<stde::MatrixProduct> stde::matchMatrixProduct(linalg::LinalgOp op) {
  if (!(op.hasPureBufferSemantics() || op.hasPureTensorSemantics()) || op.getNumDpsInits() != 1)
    return failure();
  auto inputs = multipliedInputs(op);
  if (failed(inputs))
    return failure();
  auto [x, y] = *inputs;
  auto cDims = dimsOf(op.getMatchingIndexingMap(op.getDpsInitOperand(0)));
  auto xDims = dimsOf(op.getMatchingIndexingMap(x));
  auto yDims = dimsOf(op.getMatchingIndexingMap(y));
  if (!cDims || !xDims || !yDims)
    return failure();
  auto in = [](ArrayRef<unsigned> dims, unsigned d) { return llvm::is_contained(dims, d); };
  // A is the operand that indexes C's rows, so C is never read transposed.
  if (!cDims->empty() && in(*yDims, cDims->front())) {
    std::swap(x, y);
    std::swap(xDims, yDims);
  }
  stde::MatrixProduct p{x, y, {}, {}, {}};
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < op.getNumLoops(); ++d) {
    bool inC = in(*cDims, d), inX = in(*xDims, d), inY = in(*yDims, d);
    bool reduction = iterators[d] == utils::IteratorType::reduction;
    if (inC && inX && !inY && !reduction)
      continue; // an M dimension, ordered below
    if (inC && inY && !inX && !reduction)
      continue; // an N dimension
    if (!inC && inX && inY && reduction)
      continue; // a K dimension
    return failure(); // batch, broadcast or unused dimensions: not a matrix product
  }
  for (unsigned d : *cDims)
    (in(*xDims, d) ? p.m : p.n).push_back(d);
  for (unsigned d : *xDims)
    if (!in(*cDims, d))
      p.k.push_back(d);
  if (p.m.empty() || p.n.empty() || p.k.empty())
    return failure();
  return p;
}

/// The operand's dimensions in (rows..., cols...) order, as positions in its
/// type.
static SmallVector<unsigned> matrixPermutation(linalg::LinalgOp op, OpOperand *operand,
                                               ArrayRef<unsigned> rows, ArrayRef<unsigned> cols) {
  SmallVector<unsigned> loopDims = *dimsOf(op.getMatchingIndexingMap(operand));
  SmallVector<unsigned> permutation;
  for (ArrayRef<unsigned> group : {rows, cols})
    for (unsigned d : group)
      permutation.push_back(llvm::find(loopDims, d) - loopDims.begin());
  return permutation;
}

/// The two groups (rows, then columns) of a permuted operand's dimensions.
static SmallVector<ReassociationIndices> rowColumnGroups(size_t dims, size_t rows) {
  SmallVector<ReassociationIndices> groups(2);
  for (unsigned i = 0; i < dims; ++i)
    groups[i < rows ? 0 : 1].push_back(i);
  return groups;
}

mlir::MemRefType stde::dynamicMatrixType(Type element) {
  int64_t dyn = ShapedType::kDynamic;
  return MemRefType::get(
      {dyn, dyn}, element,
      StridedLayoutAttr::get(element.getContext(), dyn, ArrayRef<int64_t>{dyn, dyn}));
}

/// The memref of `operand` as a matrix: its dimensions permuted to (rows...,
/// cols...) (a memref.transpose view) and each group collapsed into one, cast
/// to a fully dynamic strided layout. Fails when a group cannot be collapsed
/// without a copy.
FailureOr<Value> stde::matrixView(OpBuilder &b, Location loc, linalg::LinalgOp op,
                                  OpOperand *operand,
                            ArrayRef<unsigned> rows, ArrayRef<unsigned> cols) {
  SmallVector<unsigned> permutation = matrixPermutation(op, operand, rows, cols);
  Value value = operand->get();
  if (!llvm::equal(permutation, llvm::seq<unsigned>(0, permutation.size()))) {
    AffineMap map = AffineMap::getPermutationMap(permutation, b.getContext());
    value = memref::TransposeOp::create(b, loc, value, AffineMapAttr::get(map));
  }
  if (permutation.size() > 2) {
    SmallVector<ReassociationIndices> groups = rowColumnGroups(permutation.size(), rows.size());
    auto type = cast<MemRefType>(value.getType());
    if (!memref::CollapseShapeOp::isGuaranteedCollapsible(type, groups))
      return failure();
    value = memref::CollapseShapeOp::create(b, loc, value, groups);
  }
  Type element = cast<MemRefType>(value.getType()).getElementType();
  return Value(memref::CastOp::create(b, loc, dynamicMatrixType(element), value));
}

bool stde::canViewAsMatrix(linalg::LinalgOp op, OpOperand *operand, ArrayRef<unsigned> rows,
                           ArrayRef<unsigned> cols) {
  auto type = dyn_cast<MemRefType>(operand->get().getType());
  if (!type)
    return false;
  SmallVector<unsigned> permutation = matrixPermutation(op, operand, rows, cols);
  if (permutation.size() <= 2)
    return true;
  // The transposed view's type: shape and strides permuted, same offset.
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  SmallVector<int64_t> shape, permutedStrides;
  for (unsigned i : permutation) {
    shape.push_back(type.getDimSize(i));
    permutedStrides.push_back(strides[i]);
  }
  auto permuted = MemRefType::get(
      shape, type.getElementType(),
      StridedLayoutAttr::get(type.getContext(), offset, permutedStrides));
  return memref::CollapseShapeOp::isGuaranteedCollapsible(
      permuted, rowColumnGroups(permutation.size(), rows.size()));
}

bool stde::canViewAsMatrices(linalg::LinalgOp op, const MatrixProduct &p) {
  return canViewAsMatrix(op, p.a, p.m, p.k) && canViewAsMatrix(op, p.b, p.k, p.n) &&
         canViewAsMatrix(op, op.getDpsInitOperand(0), p.m, p.n);
}

FailureOr<stde::MatrixViews> stde::matrixViews(OpBuilder &b, Location loc, linalg::LinalgOp op,
                                               const MatrixProduct &p) {
  FailureOr<Value> a = matrixView(b, loc, op, p.a, p.m, p.k);
  FailureOr<Value> bv = matrixView(b, loc, op, p.b, p.k, p.n);
  FailureOr<Value> c = matrixView(b, loc, op, op.getDpsInitOperand(0), p.m, p.n);
  if (failed(a) || failed(bv) || failed(c))
    return failure();
  return MatrixViews{*a, *bv, *c};
}

int64_t stde::multiplyAdds(linalg::LinalgOp op) {
  int64_t total = 1;
  for (int64_t size : op.getStaticLoopRanges())
    total = ShapedType::isDynamic(size) ? INT64_MAX / 4 : total * size;
  return total;
}

