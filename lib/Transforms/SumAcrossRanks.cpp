//===- SumAcrossRanks.cpp - partial sums of a step summed over the ranks --===//
//
// Data-parallel training gives each rank a share of every point batch
// (stde/Transforms/RankShare.h). What a share computes (the loss, its
// parameter gradient, the zeroth-order pair losses) is a sum over points,
// so the one-process value is the sum of the ranks' values: one MPI_SUM
// allreduce per result, placed right where a whole-step function calls the
// share, and so before anything (the optimizer, the zeroth-order update)
// reads it. Every rank then applies the same update to the same parameters.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"
#include "stde/Transforms/RankShare.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace stde {
#define GEN_PASS_DEF_STDESUMACROSSRANKS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;
using namespace stde;

namespace {

/// The DLTI key the upstream conversion reads to pick the MPI ABI.
constexpr const char *kMpiImplementation = "MPI:Implementation";

/// A share's result that is summed: a float scalar or a static float tensor.
bool isSummable(Type type) {
  if (isa<FloatType>(type))
    return true;
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && isa<FloatType>(tensor.getElementType());
}

/// `value` summed over the ranks of MPI_COMM_WORLD.
Value sumOverRanks(OpBuilder &b, Location loc, Value value) {
  Type type = value.getType();
  bool scalar = isa<FloatType>(type);
  auto tensorType = scalar ? RankedTensorType::get({1}, type) : cast<RankedTensorType>(type);
  Value tensor = scalar ? Value(tensor::FromElementsOp::create(b, loc, tensorType, value)) : value;
  // One dimension: the upstream lowering counts a buffer's elements by its
  // first dimension only.
  auto flatType = RankedTensorType::get({tensorType.getNumElements()}, tensorType.getElementType());
  SmallVector<ReassociationIndices> all(1);
  for (int64_t i = 0; i < tensorType.getRank(); ++i)
    all[0].push_back(i);
  if (tensorType.getRank() != 1)
    tensor = tensor::CollapseShapeOp::create(b, loc, flatType, tensor, all);
  auto bufferType = MemRefType::get(flatType.getShape(), flatType.getElementType());
  // MPI_Allreduce may not read and write one buffer (MPI_IN_PLACE is not in
  // the mpi dialect): a send and a receive buffer, both freed by the buffer
  // deallocation pipeline.
  Value send = memref::AllocOp::create(b, loc, bufferType);
  bufferization::MaterializeInDestinationOp::create(b, loc, Type(), tensor, send,
                                                    /*restrict=*/true, /*writable=*/true);
  Value receive = memref::AllocOp::create(b, loc, bufferType);
  Value world = mpi::CommWorldOp::create(b, loc, mpi::CommType::get(b.getContext()));
  mpi::AllReduceOp::create(b, loc, TypeRange{}, send, receive, mpi::MPI_ReductionOpEnum::MPI_SUM,
                           world);
  Value sum = bufferization::ToTensorOp::create(b, loc, flatType, receive, /*restrict=*/true,
                                                /*writable=*/false);
  if (tensorType.getRank() != 1)
    sum = tensor::ExpandShapeOp::create(b, loc, tensorType, sum, all);
  if (!scalar)
    return sum;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  return tensor::ExtractOp::create(b, loc, sum, ValueRange{zero});
}

struct SumAcrossRanks : stde::impl::StdeSumAcrossRanksBase<SumAcrossRanks> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (implementation != "OpenMPI" && implementation != "MPICH") {
      module.emitError("stde-sum-across-ranks: unknown MPI implementation '")
          << implementation << "': use OpenMPI or MPICH";
      return signalPassFailure();
    }
    SmallVector<func::CallOp> calls;
    module.walk([&](func::CallOp call) {
      auto caller = call->getParentOfType<func::FuncOp>();
      auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
      if (callee && rankShareOf(callee).partial() && !rankShareOf(caller).partial())
        calls.push_back(call);
    });
    if (calls.empty())
      return;
    if (failed(markImplementation(module)))
      return signalPassFailure();
    for (func::CallOp call : calls)
      if (failed(sumResults(call)))
        return signalPassFailure();
  }

  LogicalResult sumResults(func::CallOp call) {
    OpBuilder b(call->getContext());
    b.setInsertionPointAfter(call);
    for (OpResult result : call->getResults()) {
      if (result.use_empty())
        continue;
      if (!isSummable(result.getType()))
        return call.emitOpError("stde-sum-across-ranks: result ")
               << result.getResultNumber() << " of a rank's share has type " << result.getType()
               << ", which is not a sum over points (a float or a static float tensor)";
      // The uses before the collective's own ops exist: they read the sum.
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : result.getUses())
        uses.push_back(&use);
      Value sum = sumOverRanks(b, call.getLoc(), result);
      for (OpOperand *use : uses)
        use->set(sum);
    }
    return success();
  }

  /// Marks the module with the ABI to target, or checks the one it names
  /// (the upstream conversion would fall back to MPICH with a warning).
  LogicalResult markImplementation(ModuleOp module) {
    FailureOr<Attribute> named = dlti::query(module, {kMpiImplementation}, /*emitError=*/false);
    if (succeeded(named)) {
      auto name = dyn_cast<StringAttr>(*named);
      if (name && (name.getValue() == "OpenMPI" || name.getValue() == "MPICH"))
        return success();
      return module.emitError("the module names the MPI implementation ")
             << *named << ": stde's collectives lower for \"OpenMPI\" or \"MPICH\"";
    }
    MLIRContext *context = module.getContext();
    Builder b(context);
    auto entry = DataLayoutEntryAttr::get(b.getStringAttr(kMpiImplementation),
                                          b.getStringAttr(implementation));
    module->setAttr(MapAttr::name, MapAttr::get(context, {entry}));
    return success();
  }
};

} // namespace
