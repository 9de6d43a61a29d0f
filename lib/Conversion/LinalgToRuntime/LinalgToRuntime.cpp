//===- LinalgToRuntime.cpp - matrix products become runtime calls --------===//
//
// After bufferization a matrix product is a linalg.generic (param-grad
// generalizes the named ops; its adjoints keep inputs the body does not
// read) or a linalg.matmul. Naive loops run them 50-200x below the machine
// (TOOLCHAIN.md), so each becomes a call to the runtime's matmul, which hands
// them to OpenBLAS. The match is on the body and the indexing maps, so
// transposed operands (weight gradients X^T dY, data gradients dY W) are
// recognised and passed as transposed views; the runtime reads the strides.
//
//===----------------------------------------------------------------------===//
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTLINALGTORUNTIME
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// C[M, N] += A[M, K] B[K, N] read off a linalg op, where M, N and K are
/// groups of loop dimensions (after reshape folding a (directions x points)
/// row axis is two loops): the operands the body multiplies and the groups,
/// M and N in the order C lists them, K in the order A lists them.
struct MatrixProduct {
  OpOperand *a, *b;
  SmallVector<unsigned> m, n, k;
};

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

FailureOr<MatrixProduct> matchMatrixProduct(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1)
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
  MatrixProduct p{x, y, {}, {}, {}};
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

/// The memref of `operand` as a matrix: its dimensions permuted to (rows...,
/// cols...) (a memref.transpose view) and each group collapsed into one, cast
/// to a fully dynamic strided layout. Fails when a group cannot be collapsed
/// without a copy.
FailureOr<Value> matrixView(OpBuilder &b, Location loc, linalg::LinalgOp op, OpOperand *operand,
                            ArrayRef<unsigned> rows, ArrayRef<unsigned> cols) {
  SmallVector<unsigned> loopDims = *dimsOf(op.getMatchingIndexingMap(operand));
  SmallVector<unsigned> permutation;
  for (ArrayRef<unsigned> group : {rows, cols})
    for (unsigned d : group)
      permutation.push_back(llvm::find(loopDims, d) - loopDims.begin());
  Value value = operand->get();
  if (!llvm::equal(permutation, llvm::seq<unsigned>(0, permutation.size()))) {
    AffineMap map = AffineMap::getPermutationMap(permutation, b.getContext());
    value = memref::TransposeOp::create(b, loc, value, AffineMapAttr::get(map));
  }
  if (permutation.size() > 2) {
    SmallVector<ReassociationIndices> groups(2);
    for (unsigned i = 0; i < permutation.size(); ++i)
      groups[i < rows.size() ? 0 : 1].push_back(i);
    auto type = cast<MemRefType>(value.getType());
    if (!memref::CollapseShapeOp::isGuaranteedCollapsible(type, groups))
      return failure();
    value = memref::CollapseShapeOp::create(b, loc, value, groups);
  }
  auto type = cast<MemRefType>(value.getType());
  int64_t dyn = ShapedType::kDynamic;
  auto dynamicType = MemRefType::get(
      {dyn, dyn}, type.getElementType(),
      StridedLayoutAttr::get(b.getContext(), dyn, ArrayRef<int64_t>{dyn, dyn}));
  return Value(memref::CastOp::create(b, loc, dynamicType, value));
}

/// Declares @stde_matmul_<type> once per module.
func::FuncOp matmulCallee(ModuleOp module, Type element, Type viewType) {
  std::string name = element.isF32() ? "stde_matmul_f32" : "stde_matmul_f64";
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto type = b.getFunctionType({viewType, viewType, viewType}, {});
  auto callee = func::FuncOp::create(b, module.getLoc(), name, type);
  callee.setPrivate();
  callee->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  return callee;
}

int64_t multiplyAdds(linalg::LinalgOp op) {
  int64_t total = 1;
  for (int64_t size : op.getStaticLoopRanges())
    total = ShapedType::isDynamic(size) ? INT64_MAX / 4 : total * size;
  return total;
}

struct ConvertLinalgToRuntime
    : stde::impl::ConvertLinalgToRuntimeBase<ConvertLinalgToRuntime> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::LinalgOp, MatrixProduct>> products;
    module.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::GenericOp, linalg::MatmulOp>(op.getOperation()))
        return;
      Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
      if (!element.isF32() && !element.isF64())
        return;
      if (multiplyAdds(op) < minFlops)
        return;
      if (auto product = matchMatrixProduct(op); succeeded(product))
        products.push_back({op, *product});
    });
    for (auto &[op, p] : products) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      FailureOr<Value> a = matrixView(b, loc, op, p.a, p.m, p.k);
      FailureOr<Value> bv = matrixView(b, loc, op, p.b, p.k, p.n);
      FailureOr<Value> c = matrixView(b, loc, op, op.getDpsInitOperand(0), p.m, p.n);
      if (failed(a) || failed(bv) || failed(c))
        continue; // views already made are dead and folded away
      Type element = getElementTypeOrSelf(c->getType());
      func::FuncOp callee = matmulCallee(module, element, c->getType());
      func::CallOp::create(b, loc, callee, ValueRange{*a, *bv, *c});
      op->erase();
    }
  }
};

} // namespace
