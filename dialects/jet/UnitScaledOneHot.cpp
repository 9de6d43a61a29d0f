//===- UnitScaledOneHot.cpp - one-hot tangents through x * c --------------===//
#include "dialects/jet/UnitScaledOneHot.h"
#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"

using namespace mlir;
using namespace mlir::jet;

std::optional<std::pair<int64_t, int64_t>> mlir::jet::indexBounds(Value indices) {
  auto infer = indices.getDefiningOp<InferIntRangeInterface>();
  if (!infer)
    return std::nullopt;
  // Operands are taken as unknown: only ranges an op states on its own
  // (a constant's values, a draw's population) bound the result.
  SmallVector<ConstantIntRanges> operands;
  for (Value operand : infer->getOperands()) {
    Type type = getElementTypeOrSelf(operand.getType());
    if (!type.isIntOrIndex())
      return std::nullopt;
    unsigned width = type.isIndex() ? IndexType::kInternalStorageBitWidth
                                    : type.getIntOrFloatBitWidth();
    operands.push_back(ConstantIntRanges::maxRange(width));
  }
  std::optional<ConstantIntRanges> bounds;
  infer.inferResultRanges(operands, [&](Value result, const ConstantIntRanges &range) {
    if (result == indices)
      bounds = range;
  });
  if (!bounds || bounds->smin().getBitWidth() > 64)
    return std::nullopt;
  return std::make_pair(bounds->smin().getSExtValue(), bounds->smax().getSExtValue());
}

/// Whether c is exactly 1 at every index in [lo, hi] (all inside c).
static bool isOneOn(DenseElementsAttr c, int64_t lo, int64_t hi) {
  if (lo < 0 || hi < lo || hi >= c.getNumElements())
    return false;
  auto values = c.getValues<APFloat>();
  for (int64_t i = lo; i <= hi; ++i)
    if (!values[i].isExactlyValue(1.0))
      return false;
  return true;
}

Value mlir::jet::mulOneHotByUnitConstant(OpBuilder &builder, Location loc, Value xJet,
                                         Value cJet, DenseElementsAttr c) {
  // Collapsing the top coefficient (jet-simplify) commutes with the product
  // by a constant: look through it and collapse the new seed the same way.
  auto collapse = xJet.getDefiningOp<CollapseOp>();
  auto seed = (collapse ? collapse.getInput() : xJet).getDefiningOp<SeedOp>();
  auto cType = dyn_cast<RankedTensorType>(c.getType());
  if (!seed || !cType || cType.getRank() != 1 || !isa<FloatType>(cType.getElementType()))
    return {};
  JetType type = seed.getType();
  if (type.getBase().getShape().back() != cType.getDimSize(0))
    return {};
  bool anyOneHot = false;
  for (CoefficientKind kind : type.getStructure()) {
    if (kind != CoefficientKind::zero && kind != CoefficientKind::onehot)
      return {};
    anyOneHot |= kind == CoefficientKind::onehot;
  }
  if (!anyOneHot)
    return {};
  // The seed stores exactly its one-hot coefficients' indices.
  for (Value indices : seed.getCoefficients()) {
    std::optional<std::pair<int64_t, int64_t>> bounds = indexBounds(indices);
    if (!bounds || !isOneOn(c, bounds->first, bounds->second))
      return {};
  }
  Value cPrimal = CoefficientOp::create(builder, loc, type.getBase(), cJet, 0);
  Value primal = arith::MulFOp::create(builder, loc, seed.getPrimal(), cPrimal);
  Value kept = SeedOp::create(builder, loc, type, primal, seed.getCoefficients());
  if (collapse)
    kept = CollapseOp::create(builder, loc, collapse.getType(), kept);
  return kept;
}
