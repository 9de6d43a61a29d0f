//===- LossOp.cpp - stde.loss ---------------------------------------------===//
#include "dialects/stde/StdeOps.h"

#include <cmath>

using namespace mlir;
using namespace stde;

double LossOp::getWeight(unsigned i) {
  std::optional<ArrayRef<double>> weights = getWeights();
  return weights ? (*weights)[i] : 1.0;
}

LogicalResult LossOp::verify() {
  if (getResiduals().empty())
    return emitOpError("needs at least one residual");
  Type element = getResult().getType();
  for (Value residual : getResiduals())
    if (cast<RankedTensorType>(residual.getType()).getElementType() != element)
      return emitOpError("residual ")
             << residual.getType() << " must have the loss's element type " << element;
  if (!getPointWeights().empty()) {
    if (getPointWeights().size() != getResiduals().size())
      return emitOpError("has ")
             << getResiduals().size() << " residual(s) but " << getPointWeights().size()
             << " point weight vector(s): give one per residual, of its shape";
    for (auto [i, pair] : llvm::enumerate(llvm::zip(getResiduals(), getPointWeights())))
      if (std::get<0>(pair).getType() != std::get<1>(pair).getType())
        return emitOpError("point weights ")
               << i << " have type " << std::get<1>(pair).getType() << ", but residual " << i
               << " is " << std::get<0>(pair).getType() << ": give one weight per point";
  }
  if (std::optional<ArrayRef<double>> weights = getWeights()) {
    if (weights->size() != getResiduals().size())
      return emitOpError("has ")
             << getResiduals().size() << " residual(s) but " << weights->size()
             << " weight(s): give one weight per residual";
    bool anyPositive = false;
    for (double w : *weights) {
      if (!std::isfinite(w) || w < 0)
        return emitOpError("weights must be finite and >= 0, got ") << w;
      anyPositive |= w > 0;
    }
    if (!anyPositive)
      return emitOpError("all weights are zero: the loss would be identically 0");
  }
  return success();
}
