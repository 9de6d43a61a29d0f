//===- LossOp.cpp - stde.loss ---------------------------------------------===//
#include "dialects/stde/StdeOps.h"

#include <cmath>

using namespace mlir;
using namespace stde;

double LossOp::getWeight(unsigned i) {
  std::optional<ArrayRef<double>> weights = getWeights();
  return weights ? (*weights)[i] : 1.0;
}

double LossOp::getGradientWeight(unsigned i) {
  std::optional<ArrayRef<double>> weights = getGradientWeights();
  return weights ? (*weights)[i] : 0.0;
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
  return verifyGradientTerms();
}

LogicalResult LossOp::verifyGradientTerms() {
  std::optional<ArrayRef<double>> weights = getGradientWeights();
  std::optional<int64_t> samples = getGradientSamples();
  if (!weights) {
    if (samples)
      return emitOpError("gradient_samples ")
             << *samples << " without gradient_weights: give one gradient weight per residual "
                           "(gradient_weights [0.1]) or drop gradient_samples";
    if (getGradientTime())
      return emitOpError("gradient_time without gradient_weights: give one gradient weight per "
                         "residual (gradient_weights [0.1]) or drop gradient_time");
    return success();
  }
  if (weights->size() != getResiduals().size())
    return emitOpError("has ")
           << getResiduals().size() << " residual(s) but " << weights->size()
           << " gradient weight(s): give one per residual (0 leaves a residual's gradient out)";
  for (double g : *weights)
    if (!std::isfinite(g) || g < 0)
      return emitOpError("gradient weights must be finite and >= 0, got ") << g;
  if (samples && *samples < 1)
    return emitOpError("gradient_samples must be >= 1 (coordinates sampled per step), got ")
           << *samples;
  return success();
}
