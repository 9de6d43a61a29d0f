//===- CollapseTopCoefficients.cpp - collapsed Taylor mode ----------------===//
//
// A Laplacian estimate is sum_r w u_2(v_r): only the sum over directions of
// the top coefficient is consumed. Every Taylor rule is linear in the top
// coefficient with factors that depend on the primal only, so that sum can be
// pushed through the network as ONE vector per point: the hidden layers then
// carry 1 + (K-1) R + 1 vectors instead of 1 + K R (docs/MATH.md section 3).
//
//===----------------------------------------------------------------------===//
#include "JetSimplify.h"

#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using CK = mlir::jet::CoefficientKind;

namespace {

/// The common weight w of `init + w^T C` when the weights are one splat.
std::optional<FloatAttr> splatWeight(linalg::VecmatOp sum) {
  DenseFPElementsAttr weights;
  if (!matchPattern(sum.getInputs()[0], m_Constant(&weights)) || !weights.isSplat())
    return std::nullopt;
  return weights.getSplatValue<FloatAttr>();
}

/// Whether every use of the top coefficient is a splat-weighted direction sum.
bool onlySummed(jet::CoefficientOp top) {
  return !top->use_empty() && llvm::all_of(top->getUses(), [&](OpOperand &use) {
    auto sum = dyn_cast<linalg::VecmatOp>(use.getOwner());
    return sum && use.getOperandNumber() == 1 && splatWeight(sum) &&
           sum.getResult(0).getType() == cast<jet::JetType>(top.getJet().getType()).getBase();
  });
}

jet::JetType withSummedTop(jet::JetType type) {
  SmallVector<CK> structure(type.getStructure());
  structure.back() = CK::summed;
  return type.with(type.getBase(), structure);
}

/// init + w^T C with C the direction-summed coefficient S: init + w * S.
void replaceWeightedSum(linalg::VecmatOp sum, Value summed) {
  OpBuilder b(sum);
  Location loc = sum.getLoc();
  auto type = cast<RankedTensorType>(summed.getType());
  Value weight = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, ArrayRef<Attribute>{*splatWeight(sum)}));
  Value scaled = arith::MulFOp::create(b, loc, weight, summed);
  Value result = arith::AddFOp::create(b, loc, sum.getOutputs()[0], scaled);
  sum.getResult(0).replaceAllUsesWith(result);
  sum->erase();
}

bool collapse(jet::PushforwardOp push) {
  auto type = cast<jet::JetType>(push.getType());
  TypedValue<jet::JetType> points = push.getPoints();
  int64_t order = type.getOrder();
  if (!points || type.getKind(order) == CK::summed || type.getKind(order) == CK::zero ||
      points.getType().getKind(order) == CK::summed)
    return false;
  // One direction has nothing to sum: collapsing would only store a one-hot
  // top coefficient (u_t along e_t) as a dense vector, an N x d product in
  // the first layer where a column gather does.
  if (type.getDirections() == 1)
    return false;
  SmallVector<jet::CoefficientOp> tops;
  for (Operation *user : push->getUsers()) {
    auto coefficient = dyn_cast<jet::CoefficientOp>(user);
    if (!coefficient)
      return false;
    if (coefficient.getIndex() == static_cast<uint64_t>(order)) {
      if (!onlySummed(coefficient))
        return false;
      tops.push_back(coefficient);
    }
  }
  if (tops.empty())
    return false;
  OpBuilder b(push);
  Value collapsed = jet::CollapseOp::create(b, push.getLoc(), withSummedTop(points.getType()),
                                            points);
  push->setOperand(push->getNumOperands() - 1, collapsed);
  push.getResult().setType(withSummedTop(type));
  for (jet::CoefficientOp top : tops) {
    top.getResult().setType(type.getBase());
    for (Operation *user : llvm::make_early_inc_range(top->getUsers()))
      replaceWeightedSum(cast<linalg::VecmatOp>(user), top.getResult());
  }
  return true;
}

} // namespace

unsigned stde::jetsimplify::collapseTopCoefficients(Block &block) {
  unsigned collapsed = 0;
  for (auto push : block.getOps<jet::PushforwardOp>())
    collapsed += collapse(push);
  return collapsed;
}
