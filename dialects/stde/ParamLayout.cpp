//===- ParamLayout.cpp - where each layer's parameters live ---------------===//
#include "dialects/stde/ParamLayout.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace stde;

FailureOr<ParamLayout> stde::getParamLayout(NetworkOp network) {
  ParamLayout layout;
  layout.numParams = network.getNumParams();
  BlockArgument params = network.getParamsArgument();

  WalkResult walk = network.getBody().walk([&](DenseOp dense) {
    if (!params || dense.getParams() != params) {
      dense.emitOpError("must read the parameter argument of its network @")
          << network.getSymName()
          << (params ? "" : " (which has none: give the network a parameter "
                            "argument tensor<P x T> before the point)");
      return WalkResult::interrupt();
    }
    layout.layers.push_back({dense, static_cast<int64_t>(dense.getOffset()), dense.getInFeatures(),
                             dense.getOutFeatures()});
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();

  // Overlaps and gaps are found on the layers sorted by offset.
  SmallVector<LayerSlot *> byOffset;
  for (LayerSlot &slot : layout.layers)
    byOffset.push_back(&slot);
  llvm::stable_sort(byOffset, [](LayerSlot *a, LayerSlot *b) {
    return a->offset < b->offset;
  });
  int64_t covered = 0;
  for (LayerSlot *slot : byOffset) {
    if (slot->offset < covered) {
      slot->op.emitOpError("parameter range [")
                                << slot->offset << ", " << slot->end()
                                << ") overlaps the range of another layer, "
                                   "which ends at "
                                << covered;
      return failure();
    }
    if (slot->offset > covered) {
      network.emitOpError("parameters [")
                                << covered << ", " << slot->offset
                                << ") belong to no dense layer: place the "
                                   "layers back to back";
      return failure();
    }
    covered = slot->end();
  }
  if (covered != layout.numParams) {
    network.emitOpError("declares ")
                              << layout.numParams << " parameters but its dense layers use "
                              << covered << ": make the parameter argument tensor<"
                              << covered << " x T>";
    return failure();
  }
  return layout;
}
