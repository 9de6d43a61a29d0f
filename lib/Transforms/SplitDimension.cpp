//===- SplitDimension.cpp - a buffer's dimension viewed as two ------------===//
#include "SplitDimension.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

Value stde::splitDimension(OpBuilder &b, Location loc, Value input, unsigned position,
                           int64_t inner) {
  auto type = cast<MemRefType>(input.getType());
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> groups;
  for (auto [i, extent] : llvm::enumerate(type.getShape())) {
    ReassociationIndices group{int64_t(shape.size())};
    if (i == position) {
      shape.push_back(extent / inner);
      group.push_back(int64_t(shape.size()));
      shape.push_back(inner);
    } else {
      shape.push_back(extent);
    }
    groups.push_back(group);
  }
  FailureOr<MemRefType> expanded = memref::ExpandShapeOp::computeExpandedType(type, shape, groups);
  if (failed(expanded))
    return nullptr;
  return memref::ExpandShapeOp::create(b, loc, *expanded, input, groups);
}
