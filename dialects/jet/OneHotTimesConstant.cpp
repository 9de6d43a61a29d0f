//===- OneHotTimesConstant.cpp - one-hot tangents through x * c -----------===//
#include "dialects/jet/OneHotTimesConstant.h"
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

/// The one value c takes on [lo, hi] (all inside c), if it is one value.
static std::optional<double> uniformOn(DenseElementsAttr c, int64_t lo, int64_t hi) {
  if (lo < 0 || hi < lo || hi >= c.getNumElements())
    return std::nullopt;
  auto values = c.getValues<APFloat>();
  APFloat first = values[lo];
  for (int64_t i = lo + 1; i <= hi; ++i)
    if (values[i].compare(first) != APFloat::cmpEqual)
      return std::nullopt;
  return first.convertToDouble();
}

Value mlir::jet::mulOneHotByConstant(OpBuilder &builder, Location loc, Value xJet, Value cJet,
                                     DenseElementsAttr c) {
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
  for (CoefficientKind kind : type.getStructure())
    if (kind != CoefficientKind::zero && kind != CoefficientKind::onehot)
      return {};
  // The seed stores exactly its one-hot coefficients' indices, in order.
  SmallVector<double> scales;
  for (auto [j, indices] : llvm::enumerate(seed.getCoefficients())) {
    std::optional<std::pair<int64_t, int64_t>> bounds = indexBounds(indices);
    std::optional<double> s =
        bounds ? uniformOn(c, bounds->first, bounds->second) : std::nullopt;
    if (!s)
      return {};
    scales.push_back(*s * (seed.getScales() ? (*seed.getScales())[j] : 1.0));
  }
  if (scales.empty())
    return {}; // no tangent to keep: the generic rule is as good
  Value cPrimal = CoefficientOp::create(builder, loc, type.getBase(), cJet, 0);
  Value primal = arith::MulFOp::create(builder, loc, seed.getPrimal(), cPrimal);
  bool unit = llvm::all_of(scales, [](double s) { return s == 1.0; });
  auto kept = SeedOp::create(builder, loc, type, primal, seed.getCoefficients(),
                             unit ? DenseF64ArrayAttr() : builder.getDenseF64ArrayAttr(scales));
  if (collapse)
    return CollapseOp::create(builder, loc, collapse.getType(), kept);
  return kept;
}
