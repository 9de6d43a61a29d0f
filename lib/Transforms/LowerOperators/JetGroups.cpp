//===- JetGroups.cpp - emit batched jet pushforwards and their read-out ---===//
#include "JetGroups.h"

#include "dialects/jet/JetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <map>

using namespace mlir;
using namespace stde;
using namespace stde::lowering;
using jet::CoefficientKind;

GroupEmitter::GroupEmitter(OpBuilder &builder, Location loc, NetworkOp network,
                           Value params, Value pointsValue)
    : b(builder), loc(loc), network(network), params(params), pointsValue(pointsValue) {
  auto type = cast<RankedTensorType>(pointsValue.getType());
  points = type.getDimSize(0);
  dim = type.getDimSize(1);
  element = type.getElementType();
}

/// Pushes the group's jet through the network.
static Value pushforward(OpBuilder &b, Location loc, NetworkOp network, Value params,
                         Value points, const JetGroup &group, Type element,
                         int64_t numPoints) {
  SmallVector<CoefficientKind> kinds;
  SmallVector<Value> stored;
  for (const SlotTangent &slot : group.slots) {
    kinds.push_back(slot.kind);
    if (slot.kind != CoefficientKind::zero)
      stored.push_back(slot.value);
  }
  auto seedType =
      jet::JetType::get(cast<RankedTensorType>(points.getType()), group.directions, kinds);
  Value seed = jet::SeedOp::create(b, loc, seedType, points, stored);
  // Declared dense: jet-expand narrows nothing, it widens what the rules
  // prove zero, and coefficients we read are materialized anyway.
  SmallVector<CoefficientKind> dense(group.order, CoefficientKind::dense);
  auto resultType = jet::JetType::get(RankedTensorType::get({numPoints}, element),
                                      group.directions, dense);
  SmallVector<Value> operands;
  if (params)
    operands.push_back(params);
  operands.push_back(seed);
  return jet::PushforwardOp::create(b, loc, resultType, network.getSymName(), operands);
}

SmallVector<Value> GroupEmitter::emitCoefficients(const JetGroup &group) {
  Value pushed =
      pushforward(b, loc, network, params, pointsValue, group, element, points);
  auto type = cast<jet::JetType>(pushed.getType());
  SmallVector<Value> coefficients;
  for (int64_t k = 0; k <= group.order; ++k)
    coefficients.push_back(jet::CoefficientOp::create(b, loc, type.getMaterializedType(k),
                                                      pushed, b.getI64IntegerAttr(k)));
  return coefficients;
}

Value GroupEmitter::emit(const JetGroup &group) {
  Value pushed =
      pushforward(b, loc, network, params, pointsValue, group, element, points);
  auto type = cast<jet::JetType>(pushed.getType());
  Value sum;
  for (const auto &[k, weights] : group.reads) {
    Value c = jet::CoefficientOp::create(b, loc, type.getMaterializedType(k), pushed,
                                         b.getI64IntegerAttr(k));
    sum = add(sum, contract(weights, c));
  }
  return sum;
}

Value GroupEmitter::emitPerBlock(const JetGroup &group, int64_t blocks) {
  Value pushed =
      pushforward(b, loc, network, params, pointsValue, group, element, points);
  auto type = cast<jet::JetType>(pushed.getType());
  int64_t size = group.directions / blocks;
  auto outType = RankedTensorType::get({blocks, points}, element);
  MLIRContext *ctx = b.getContext();
  AffineExpr ji, si, ni;
  bindDims(ctx, ji, si, ni);
  SmallVector<AffineMap> maps{AffineMap::get(3, 0, {ji, si}, ctx),
                              AffineMap::get(3, 0, {ji, si, ni}, ctx),
                              AffineMap::get(3, 0, {ji, ni}, ctx)};
  SmallVector<utils::IteratorType> iterators{utils::IteratorType::parallel,
                                             utils::IteratorType::reduction,
                                             utils::IteratorType::parallel};
  SmallVector<ReassociationIndices> byBlock{{0, 1}, {2}};
  Value sum;
  for (const auto &[k, weights] : group.reads) {
    Value c = jet::CoefficientOp::create(b, loc, type.getMaterializedType(k), pushed,
                                         b.getI64IntegerAttr(k));
    // c: R x N -> m x S x N; weights: R -> m x S.
    Value blocked = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({blocks, size, points}, element), c, byBlock);
    Value w = tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get({blocks, size}, element),
                                            weights, SmallVector<ReassociationIndices>{{0, 1}});
    Value out = splat(outType, 0.0);
    Value term = linalg::GenericOp::create(
                     b, loc, TypeRange{outType}, ValueRange{w, blocked}, ValueRange{out}, maps,
                     iterators,
                     [](OpBuilder &b, Location loc, ValueRange args) {
                       Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
                       Value total = arith::AddFOp::create(b, loc, args[2], product);
                       linalg::YieldOp::create(b, loc, total);
                     })
                     .getResult(0);
    sum = add(sum, term);
  }
  return sum;
}

Value GroupEmitter::primal() {
  if (cachedPrimal)
    return cachedPrimal;
  JetGroup group;
  group.slots.push_back({});
  Value pushed =
      pushforward(b, loc, network, params, pointsValue, group, element, points);
  auto type = cast<jet::JetType>(pushed.getType());
  cachedPrimal = jet::CoefficientOp::create(b, loc, type.getMaterializedType(0), pushed,
                                            b.getI64IntegerAttr(0));
  return cachedPrimal;
}

//===----------------------------------------------------------------------===//
// Exact plans
//===----------------------------------------------------------------------===//

namespace {
/// How a slot of a concrete jet is stored.
int slotShape(const planner::SparseVector &v) {
  if (v.empty())
    return 0;
  if (v.size() == 1 && v.begin()->second == planner::Rational(1))
    return 1;
  return 2;
}
} // namespace

SmallVector<JetGroup> GroupEmitter::groupsOf(const planner::Plan &plan) {
  // Shape key: order, then per slot zero / onehot / dense.
  std::map<std::vector<int64_t>, std::vector<size_t>> byShape;
  for (size_t i = 0; i < plan.jets.size(); ++i) {
    const planner::JetDirection &jet = plan.jets[i];
    std::vector<int64_t> key{jet.order};
    for (int64_t slot = 1; slot <= jet.order; ++slot) {
      auto it = jet.slots.find(slot);
      key.push_back(it == jet.slots.end() ? 0 : slotShape(it->second));
    }
    byShape[key].push_back(i);
  }

  SmallVector<JetGroup> groups;
  for (const auto &[key, members] : byShape) {
    JetGroup group;
    group.order = key[0];
    group.directions = members.size();
    for (int64_t slot = 1; slot <= group.order; ++slot) {
      SlotTangent tangent;
      if (key[slot] == 1) {
        SmallVector<int64_t> indices;
        for (size_t m : members)
          indices.push_back(plan.jets[m].slots.at(slot).begin()->first);
        tangent = {CoefficientKind::onehot, indexConstant(indices)};
      } else if (key[slot] == 2) {
        std::vector<std::vector<double>> rows;
        for (size_t m : members) {
          std::vector<double> row(dim, 0.0);
          for (const auto &[coordinate, entry] : plan.jets[m].slots.at(slot))
            row[coordinate] = planner::toDouble(entry);
          rows.push_back(row);
        }
        tangent = {CoefficientKind::dense, denseRows(rows)};
      }
      group.slots.push_back(tangent);
    }
    // One weight vector per coefficient read.
    std::map<int64_t, std::vector<double>> reads;
    for (const planner::Extraction &e : plan.extractions) {
      auto member = llvm::find(members, e.jet);
      if (member == members.end() || e.coefficient == 0)
        continue;
      std::vector<double> &w = reads[e.coefficient];
      w.resize(members.size(), 0.0);
      w[member - members.begin()] += planner::toDouble(e.weight);
    }
    for (const auto &[k, w] : reads)
      group.reads.push_back({k, weightsConstant(w)});
    if (!group.reads.empty())
      groups.push_back(std::move(group));
  }
  return groups;
}

Value GroupEmitter::emitPlan(const planner::Plan &plan) {
  Value sum;
  for (const JetGroup &group : groupsOf(plan))
    sum = add(sum, emit(group));
  // Coefficient 0 is u itself.
  double primalWeight = 0;
  for (const planner::Extraction &e : plan.extractions)
    if (e.coefficient == 0)
      primalWeight += planner::toDouble(e.weight);
  if (primalWeight != 0)
    sum = add(sum, scale(primal(), primalWeight));
  return sum;
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

Value GroupEmitter::indexConstant(ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getIndexType());
  SmallVector<Attribute> attrs;
  for (int64_t v : values)
    attrs.push_back(b.getIndexAttr(v));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, attrs));
}

Value GroupEmitter::weightsConstant(ArrayRef<double> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, element);
  SmallVector<Attribute> attrs;
  for (double v : values)
    attrs.push_back(b.getFloatAttr(element, v));
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, attrs));
}

Value GroupEmitter::splat(RankedTensorType type, double value) {
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(type.getElementType(), value)));
}

Value GroupEmitter::denseRows(ArrayRef<std::vector<double>> rows) {
  int64_t r = rows.size();
  auto rowsType = RankedTensorType::get({r, dim}, element);
  SmallVector<Attribute> attrs;
  for (const std::vector<double> &row : rows)
    for (double v : row)
      attrs.push_back(b.getFloatAttr(element, v));
  Value constant = arith::ConstantOp::create(b, loc, DenseElementsAttr::get(rowsType, attrs));
  Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{r, points, dim}, element);
  return linalg::BroadcastOp::create(b, loc, constant, init, ArrayRef<int64_t>{1})
      .getResult()[0];
}

Value GroupEmitter::padToInput(Value spatial) {
  auto type = cast<RankedTensorType>(spatial.getType());
  if (type.getDimSize(2) == dim)
    return spatial;
  auto full = RankedTensorType::get({type.getDimSize(0), points, dim}, element);
  Value zeros = splat(full, 0.0);
  SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes{b.getIndexAttr(type.getDimSize(0)),
                                  b.getIndexAttr(points), b.getIndexAttr(type.getDimSize(2))};
  SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
  return tensor::InsertSliceOp::create(b, loc, spatial, zeros, offsets, sizes, strides);
}

Value GroupEmitter::contract(Value weights, Value coefficient) {
  auto type = RankedTensorType::get({points}, element);
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0));
  Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{points}, element);
  Value filled = linalg::FillOp::create(b, loc, zero, init).getResult(0);
  return linalg::VecmatOp::create(b, loc, TypeRange{type}, ValueRange{weights, coefficient},
                                  ValueRange{filled})
      .getResult(0);
}

Value GroupEmitter::add(Value sum, Value term) {
  if (!sum)
    return term;
  if (!term)
    return sum;
  return arith::AddFOp::create(b, loc, sum, term);
}

Value GroupEmitter::scale(Value values, double factor) {
  if (factor == 1.0)
    return values;
  auto type = cast<RankedTensorType>(values.getType());
  return arith::MulFOp::create(b, loc, values, splat(type, factor));
}
