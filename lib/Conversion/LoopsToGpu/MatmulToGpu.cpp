//===- MatmulToGpu.cpp - matrix products as tiled GPU kernels -------------===//
//
// As parallel loops a matrix product is one thread per output, each reading
// a row of A and a column of B from global memory: every element is fetched
// 64 times more often than with shared-memory tiles, and an output grid as
// small as a first layer's (points x width, with K = d up to millions) leaves
// most of the GPU idle while each thread walks all of K.
//
// Here each product C += A B (stde/Analysis/MatrixProduct.h: transposed
// operands are strided views) becomes a kernel over 64 x 64 tiles of C: a
// block of 256 threads stages a 64 x 16 slice of A and a 16 x 64 slice of B
// in shared memory (loads coalesced along whichever axis the operand is
// contiguous in), and each thread accumulates 4 x 4 outputs in registers
// with fused multiply-adds. When the tiles of C alone cannot fill the GPU,
// K is split across blocks: each writes its partial tile to a workspace and
// a second kernel adds the partials to C in a fixed order (deterministic,
// no atomics).
//
//===----------------------------------------------------------------------===//
#include "stde/Analysis/MatrixProduct.h"
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTMATMULTOGPU
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

constexpr int64_t kTile = 64;          // rows and columns of C per block
constexpr int64_t kDepth = 16;         // K per shared-memory stage
constexpr int64_t kSide = 16;          // threads per side of the block (16 x 16)
constexpr int64_t kPerThread = 4;      // outputs per thread along each side
constexpr int64_t kThreads = kSide * kSide;
constexpr int64_t kStride = kTile + 1; // padded row of a shared tile: fewer bank conflicts
constexpr int64_t kLoadsPerThread = kTile * kDepth / kThreads;

/// Operands of one product: the three matrix views and their sizes.
struct Product {
  Value a, b, c;    // M x K, K x N, M x N (strided views)
  Value m, n, k;    // sizes (index)
  int64_t splits;   // blocks along K (1: accumulate into C directly)
  Value kPerSplit;  // K per split, a multiple of kDepth
  Value workspace;  // splits x M x N partial tiles when splits > 1
  Type element;
};

class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value rem(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) { return arith::SelectOp::create(b, loc, c, x, y); }
  Value stride(Value matrix, unsigned dim) {
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, matrix);
    return meta.getStrides()[dim];
  }
  /// matrix[row, col] when `inside`, else zero (no out-of-bounds load).
  Value guardedLoad(Value inside, Value matrix, Value row, Value col, Type element) {
    auto branch = scf::IfOp::create(b, loc, TypeRange{element}, inside, true, true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(branch.thenBlock());
    Value v = memref::LoadOp::create(b, loc, matrix, ValueRange{row, col});
    scf::YieldOp::create(b, loc, v);
    b.setInsertionPointToStart(branch.elseBlock());
    Value zero = arith::ConstantOp::create(b, loc, element, b.getFloatAttr(element, 0.0));
    scf::YieldOp::create(b, loc, zero);
    return branch.getResult(0);
  }

  OpBuilder &b;
  Location loc;
};

/// Stages a 16-deep, 64-wide slice of `matrix` into `tile` (laid out
/// [depth][wide]): A[origin + w, k0 + kk] (depth along dimension 1) or
/// B[k0 + kk, origin + w] (depth along dimension 0). Thread t loads elements
/// t, t + 256, ...; consecutive threads take consecutive addresses along
/// whichever axis of the matrix is contiguous (read from its strides).
void stageTile(KernelBuilder &kb, const Product &p, Value matrix, unsigned depthAxis,
               Value wideExtent, Value tile, Value tid, Value origin, Value k0, Value kEnd) {
  Value depthFastest = arith::CmpIOp::create(kb.b, kb.loc, arith::CmpIPredicate::eq,
                                             kb.stride(matrix, depthAxis), kb.index(1));
  for (int64_t e = 0; e < kLoadsPerThread; ++e) {
    Value i = kb.add(tid, kb.index(e * kThreads));
    Value w = kb.select(depthFastest, kb.div(i, kb.index(kDepth)), kb.rem(i, kb.index(kTile)));
    Value kk = kb.select(depthFastest, kb.rem(i, kb.index(kDepth)), kb.div(i, kb.index(kTile)));
    Value wide = kb.add(origin, w), k = kb.add(k0, kk);
    Value row = depthAxis == 1 ? wide : k, col = depthAxis == 1 ? k : wide;
    Value inside = kb.both(kb.lt(wide, wideExtent), kb.lt(k, kEnd));
    Value v = kb.guardedLoad(inside, matrix, row, col, p.element);
    memref::StoreOp::create(kb.b, kb.loc, v, tile, ValueRange{kk, w});
  }
}

/// acc[i][j] += sum over the staged depth of tileA[kk][ty + 16 i] *
/// tileB[kk][tx + 16 j]: reads of tileB are consecutive across a warp,
/// reads of tileA are broadcasts.
SmallVector<Value> multiplyStage(KernelBuilder &kb, const Product &p, Value tileA, Value tileB,
                                 Value tx, Value ty, ValueRange acc) {
  auto loop = scf::ForOp::create(kb.b, kb.loc, kb.index(0), kb.index(kDepth), kb.index(1), acc);
  OpBuilder::InsertionGuard guard(kb.b);
  kb.b.setInsertionPointToStart(loop.getBody());
  Value kk = loop.getInductionVar();
  SmallVector<Value> as, bs, next;
  for (int64_t i = 0; i < kPerThread; ++i) {
    Value r = kb.add(ty, kb.index(i * kSide)), c = kb.add(tx, kb.index(i * kSide));
    as.push_back(memref::LoadOp::create(kb.b, kb.loc, tileA, ValueRange{kk, r}));
    bs.push_back(memref::LoadOp::create(kb.b, kb.loc, tileB, ValueRange{kk, c}));
  }
  for (int64_t i = 0; i < kPerThread; ++i)
    for (int64_t j = 0; j < kPerThread; ++j)
      next.push_back(math::FmaOp::create(kb.b, kb.loc, as[i], bs[j],
                                         loop.getRegionIterArgs()[i * kPerThread + j]));
  scf::YieldOp::create(kb.b, kb.loc, next);
  return SmallVector<Value>(loop.getResults());
}

/// The tiled kernel's body; block (bx, by, bz) computes C's tile (by, bx)
/// over the bz-th split of K.
void buildTileKernel(OpBuilder &b, Location loc, gpu::LaunchOp launch, const Product &p) {
  KernelBuilder kb(b, loc);
  Value tileA = launch.getWorkgroupAttributions()[0];
  Value tileB = launch.getWorkgroupAttributions()[1];
  Value tid = launch.getThreadIds().x;
  Value tx = kb.rem(tid, kb.index(kSide)), ty = kb.div(tid, kb.index(kSide));
  Value row0 = kb.mul(launch.getBlockIds().y, kb.index(kTile));
  Value col0 = kb.mul(launch.getBlockIds().x, kb.index(kTile));
  Value split = launch.getBlockIds().z;
  Value kBegin = kb.mul(split, p.kPerSplit);
  Value kEnd = arith::MinUIOp::create(b, loc, p.k, kb.add(kBegin, p.kPerSplit));

  Value zero = arith::ConstantOp::create(b, loc, p.element, b.getFloatAttr(p.element, 0.0));
  SmallVector<Value> init(kPerThread * kPerThread, zero);
  // Every thread runs every stage (the barriers need all of them); a block
  // whose split starts past K runs none.
  Value kStart = arith::MinUIOp::create(b, loc, kBegin, kEnd);
  auto stages = scf::ForOp::create(b, loc, kStart, kEnd, kb.index(kDepth), init);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(stages.getBody());
    Value k0 = stages.getInductionVar();
    stageTile(kb, p, p.a, /*depthAxis=*/1, p.m, tileA, tid, row0, k0, kEnd);
    stageTile(kb, p, p.b, /*depthAxis=*/0, p.n, tileB, tid, col0, k0, kEnd);
    gpu::BarrierOp::create(b, loc);
    SmallVector<Value> acc = multiplyStage(kb, p, tileA, tileB, tx, ty, stages.getRegionIterArgs());
    gpu::BarrierOp::create(b, loc); // the next stage overwrites the tiles
    scf::YieldOp::create(b, loc, acc);
  }

  for (int64_t i = 0; i < kPerThread; ++i)
    for (int64_t j = 0; j < kPerThread; ++j) {
      Value row = kb.add(row0, kb.add(ty, kb.index(i * kSide)));
      Value col = kb.add(col0, kb.add(tx, kb.index(j * kSide)));
      auto inside = scf::IfOp::create(b, loc, kb.both(kb.lt(row, p.m), kb.lt(col, p.n)), false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(inside.thenBlock());
      Value acc = stages.getResult(i * kPerThread + j);
      if (p.splits > 1) {
        memref::StoreOp::create(b, loc, acc, p.workspace, ValueRange{split, row, col});
      } else {
        Value old = memref::LoadOp::create(b, loc, p.c, ValueRange{row, col});
        Value sum = arith::AddFOp::create(b, loc, old, acc);
        memref::StoreOp::create(b, loc, sum, p.c, ValueRange{row, col});
      }
    }
}

/// C[r, c] += sum_s workspace[s, r, c], s in order: one thread per output.
void buildSplitSum(OpBuilder &b, Location loc, const Product &p, int64_t blockSize) {
  KernelBuilder kb(b, loc);
  Value outputs = kb.mul(p.m, p.n);
  Value blocks = arith::CeilDivUIOp::create(b, loc, outputs, kb.index(blockSize));
  blocks = arith::MaxUIOp::create(b, loc, blocks, kb.index(1));
  Value one = kb.index(1);
  auto launch = gpu::LaunchOp::create(b, loc, blocks, one, one, kb.index(blockSize), one, one);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value i = kb.add(kb.mul(launch.getBlockIds().x, kb.index(blockSize)), launch.getThreadIds().x);
  auto inside = scf::IfOp::create(b, loc, kb.lt(i, outputs), false);
  b.setInsertionPointToStart(inside.thenBlock());
  Value row = kb.div(i, p.n), col = kb.rem(i, p.n);
  Value old = memref::LoadOp::create(b, loc, p.c, ValueRange{row, col});
  auto sum = scf::ForOp::create(b, loc, kb.index(0), kb.index(p.splits), one, ValueRange{old});
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(sum.getBody());
    Value part = memref::LoadOp::create(b, loc, p.workspace,
                                        ValueRange{sum.getInductionVar(), row, col});
    Value acc = arith::AddFOp::create(b, loc, sum.getRegionIterArgs()[0], part);
    scf::YieldOp::create(b, loc, acc);
  }
  memref::StoreOp::create(b, loc, sum.getResult(0), p.c, ValueRange{row, col});
}

/// How many blocks share K: enough tiles in flight to fill `targetBlocks`,
/// each split at least 4 stages deep. Dynamic sizes: no split.
int64_t chooseSplits(linalg::LinalgOp op, const stde::MatrixProduct &mp, int64_t targetBlocks) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto product = [&](ArrayRef<unsigned> dims) {
    int64_t total = 1;
    for (unsigned d : dims)
      total = ShapedType::isDynamic(ranges[d]) ? -1 : (total < 0 ? -1 : total * ranges[d]);
    return total;
  };
  int64_t m = product(mp.m), n = product(mp.n), k = product(mp.k);
  if (m < 0 || n < 0 || k < 0)
    return 1;
  int64_t tiles = ((m + kTile - 1) / kTile) * ((n + kTile - 1) / kTile);
  int64_t wanted = (targetBlocks + tiles - 1) / tiles;
  int64_t deepest = std::max<int64_t>(1, k / (4 * kDepth));
  return std::max<int64_t>(1, std::min(wanted, deepest));
}

class ConvertMatmulToGpu : public stde::impl::ConvertMatmulToGpuBase<ConvertMatmulToGpu> {
public:
  using ConvertMatmulToGpuBase::ConvertMatmulToGpuBase;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::GenericOp, linalg::MatmulOp>(op.getOperation()) &&
          op.hasPureBufferSemantics() && stde::multiplyAdds(op) >= minFlops)
        candidates.push_back(op);
    });
    for (linalg::LinalgOp op : candidates) {
      Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
      if (!element.isF32() && !element.isF64())
        continue;
      FailureOr<stde::MatrixProduct> mp = stde::matchMatrixProduct(op);
      if (failed(mp))
        continue;
      rewrite(op, *mp, element);
    }
  }

private:
  void rewrite(linalg::LinalgOp op, const stde::MatrixProduct &mp, Type element) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    FailureOr<stde::MatrixViews> views = stde::matrixViews(b, loc, op, mp);
    if (failed(views))
      return; // views already made are dead and folded away
    KernelBuilder kb(b, loc);
    Product p;
    p.a = views->a;
    p.b = views->b;
    p.c = views->c;
    p.element = element;
    p.m = memref::DimOp::create(b, loc, p.c, 0);
    p.n = memref::DimOp::create(b, loc, p.c, 1);
    p.k = memref::DimOp::create(b, loc, p.a, 1);
    p.splits = chooseSplits(op, mp, targetBlocks);
    // K per split, rounded up to whole stages.
    Value perSplit = arith::CeilDivUIOp::create(b, loc, p.k, kb.index(p.splits));
    p.kPerSplit = kb.mul(arith::CeilDivUIOp::create(b, loc, perSplit, kb.index(kDepth)),
                         kb.index(kDepth));
    if (p.splits > 1) {
      auto type = MemRefType::get({p.splits, ShapedType::kDynamic, ShapedType::kDynamic}, element);
      p.workspace = memref::AllocOp::create(b, loc, type, ValueRange{p.m, p.n});
    }

    auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
    auto tileType = MemRefType::get({kDepth, kStride}, element, MemRefLayoutAttrInterface(),
                                    workgroup);
    Value gridX = arith::CeilDivUIOp::create(b, loc, p.n, kb.index(kTile));
    Value gridY = arith::CeilDivUIOp::create(b, loc, p.m, kb.index(kTile));
    gridX = arith::MaxUIOp::create(b, loc, gridX, kb.index(1));
    gridY = arith::MaxUIOp::create(b, loc, gridY, kb.index(1));
    Value one = kb.index(1);
    auto launch = gpu::LaunchOp::create(b, loc, gridX, gridY, kb.index(p.splits),
                                        kb.index(kThreads), one, one, Value(), Type(),
                                        ValueRange{}, TypeRange{tileType, tileType});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToEnd(&launch.getBody().front());
      gpu::TerminatorOp::create(b, loc);
      b.setInsertionPointToStart(&launch.getBody().front());
      buildTileKernel(b, loc, launch, p);
    }
    if (p.splits > 1) {
      buildSplitSum(b, loc, p, kThreads);
      memref::DeallocOp::create(b, loc, p.workspace);
    }
    op->erase();
  }
};

} // namespace
