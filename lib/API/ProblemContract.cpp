//===- ProblemContract.cpp - reading a problem module's contract ----------===//
//
// readProblem (TrainingModule.h): the network @u, the loss @loss(%theta, %xs
// [, %xb]) and the error metric (@u_exact, or a reference point) checked
// against include/stde/API/Problems.h, and what the entry points need read
// off them.
//
//===----------------------------------------------------------------------===//
#include "TrainingModule.h"
#include "Domain.h"
#include "IRBuild.h"
#include "ProblemModule.h"

#include "dialects/rng/RngLimits.h"
#include "dialects/stde/ParamLayout.h"
#include "dialects/stde/StdeOps.h"
#include "runtime/Philox.h"
#include "stde/Target/CpuPipeline.h"
#include "stde/Conversion/Passes.h"
#include "stde/Target/GpuPipeline.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <cmath>
#include <cstdio>
#include <sstream>

using namespace mlir;
using namespace stde;

namespace {

/// Checks @loss(%theta, %xs[, %xb]) -> T against the network.
LogicalResult readLossSignature(func::FuncOp loss, NetworkOp network, TrainingModuleInfo &info) {
  Type element = network.getElementType();
  FunctionType type = loss.getFunctionType();
  auto batch = [&](unsigned i) -> RankedTensorType {
    auto xs = i < type.getNumInputs() ? dyn_cast<RankedTensorType>(type.getInput(i)) : nullptr;
    if (!xs || xs.getRank() != 2 || xs.getDimSize(1) != info.dim || xs.getElementType() != element ||
        xs.isDynamicDim(0))
      return nullptr;
    return xs;
  };
  unsigned inputs = type.getNumInputs();
  RankedTensorType xs = batch(1), xb = inputs == 3 ? batch(2) : nullptr;
  if ((inputs != 2 && inputs != 3) || type.getInput(0) != network.getArgumentTypes()[0] || !xs ||
      (inputs == 3 && !xb) || type.getNumResults() != 1 || type.getResult(0) != element)
    return loss.emitError("@loss must have the signature (")
           << network.getArgumentTypes()[0] << ", tensor<N x " << info.dim << " x " << element
           << ">[, tensor<M x " << info.dim << " x " << element << ">]) -> " << element
           << " (parameters of @u, the residual points, optionally boundary points; the loss)";
  info.points = xs.getDimSize(0);
  info.boundaryPoints = xb ? xb.getDimSize(0) : 0;
  return success();
}

/// How the error is measured: @u_exact on test points, or a reference value
/// at one point (`stde.reference = {value = v, point = array<f64: ...>}`,
/// the point defaulting to the origin).
LogicalResult readErrorMetric(ModuleOp module, NetworkOp network, TrainingModuleInfo &info) {
  Type element = network.getElementType();
  auto exact = module.lookupSymbol<NetworkOp>("u_exact");
  auto reference = module->getAttrOfType<DictionaryAttr>("stde.reference");
  if (exact && reference)
    return module.emitError("give either @u_exact or stde.reference, not both: the error is "
                            "measured one way");
  if (exact) {
    if (exact.hasParams() || exact.getInputDim() != info.dim || exact.getElementType() != element ||
        exact.getSpaceTime() != network.getSpaceTime())
      return exact.emitError("@u_exact must be a fixed field of the same points as @u: (tensor<")
             << info.dim << "x" << element << ">) -> " << element
             << (network.getSpaceTime() ? ", marked space_time" : "");
    info.errorMetric = ErrorMetric::testPoints;
    return success();
  }
  if (!module->hasAttr("stde.reference"))
    return success();
  auto value = reference ? reference.getAs<FloatAttr>("value") : nullptr;
  if (!value)
    return module.emitError("`stde.reference` must be a dictionary with a float `value` (and "
                            "optionally `point = array<f64: ...>`), e.g. {value = 0.47006 : f64}");
  info.referenceValue = value.getValueAsDouble();
  if (info.referenceValue == 0.0 || !std::isfinite(info.referenceValue))
    return module.emitError("the reference value must be finite and nonzero (the error is "
                            "relative to it)");
  info.referencePoint.assign(info.dim, 0.0);
  if (Attribute point = reference.get("point")) {
    auto array = dyn_cast<DenseF64ArrayAttr>(point);
    if (!array || int64_t(array.size()) != info.dim)
      return module.emitError("the reference point must be `array<f64: ...>` with ")
             << info.dim << " entries (the coordinates of @u)";
    info.referencePoint.assign(array.asArrayRef().begin(), array.asArrayRef().end());
  }
  info.errorMetric = ErrorMetric::referencePoint;
  return success();
}

} // namespace

FailureOr<TrainingModuleInfo> stde::readProblem(ModuleOp module, const TrainingSpec &spec) {
  TrainingModuleInfo info;
  auto network = module.lookupSymbol<NetworkOp>("u");
  if (!module->hasAttr("stde.domain") && !network)
    return module.emitError("the problem module names no domain: write `module attributes "
                            "{stde.domain = \"unit_ball\"} { ... }`");
  if (!network || !network.hasParams())
    return module.emitError("the problem needs `stde.network @u(%theta: tensor<P x T>, %x: "
                            "tensor<D x T>)`, the ansatz being trained");
  FailureOr<Domain> domain = readDomain(module, network);
  if (failed(domain))
    return failure();
  info.domain = *domain;
  auto loss = module.lookupSymbol<func::FuncOp>("loss");
  if (!loss)
    return module.emitError("the problem needs `func.func @loss(%theta: tensor<P x T>, %xs: "
                            "tensor<N x D x T>) -> T` (its residual points are drawn per step)");
  info.numParams = network.getNumParams();
  info.dim = network.getInputDim();
  info.spatialDim = network.getSpatialDim();
  info.dtype = network.getElementType().isF32() ? DType::f32 : DType::f64;
  if (failed(readLossSignature(loss, network, info)) ||
      failed(readErrorMetric(module, network, info)))
    return failure();
  FailureOr<ParamLayout> layout = getParamLayout(network);
  if (failed(layout))
    return failure();
  for (const LayerSlot &slot : layout->layers)
    info.layers.push_back({slot.offset, slot.inFeatures, slot.outFeatures});
  info.share = {spec.parallel.rank, spec.parallel.ranks};
  info.testBatch = spec.testBatch > 0 ? spec.testBatch : automaticTestBatch(info.dim);
  if (info.errorMetric == ErrorMetric::referencePoint)
    info.testBatch = 1;
  return info;
}
