//===- ParamLayout.h - where each layer's parameters live -------*- C++ -*-===//
//
// A network's parameters are one flat buffer; each stde.dense layer owns the
// range [offset, offset + O*I + O): its weights (O x I, row-major), then its
// bias. The layout is what the runtime uses to initialize parameters per layer
// and what checkpoints record.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_DIALECTS_STDE_PARAMLAYOUT_H
#define STDE_DIALECTS_STDE_PARAMLAYOUT_H

#include "dialects/stde/StdeOps.h"
#include "llvm/ADT/SmallVector.h"

namespace stde {

/// One dense layer's slice of the parameter buffer.
struct LayerSlot {
  DenseOp op;
  int64_t offset = 0;
  int64_t inFeatures = 0;
  int64_t outFeatures = 0;

  int64_t size() const { return outFeatures * (inFeatures + 1); }
  int64_t weightOffset() const { return offset; }
  int64_t biasOffset() const { return offset + outFeatures * inFeatures; }
  int64_t end() const { return offset + size(); }
};

struct ParamLayout {
  int64_t numParams = 0;
  /// The layers in the order the network evaluates them.
  llvm::SmallVector<LayerSlot> layers;
};

/// Reads the parameter layout of `network`. Fails, with a diagnostic on the
/// offending op, when a dense layer reads something other than the network's
/// parameter argument, when two layers' ranges overlap, or when some
/// parameters belong to no layer.
mlir::FailureOr<ParamLayout> getParamLayout(NetworkOp network);

} // namespace stde

#endif // STDE_DIALECTS_STDE_PARAMLAYOUT_H
