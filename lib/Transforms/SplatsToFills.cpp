//===- SplatsToFills.cpp - large splat constants as fills -----------------===//
//
// Bufferization makes every tensor constant a global with its elements
// spelled out; the JIT then expands a splat of N x w zeros into an array of
// that size at compile time. A fill of an empty tensor costs nothing until
// the step runs, and bufferizes in place of the buffer it initializes.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace stde {
#define GEN_PASS_DEF_SPLATSTOFILLS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// The splat element of a statically shaped tensor constant of at least
/// `minElements` elements, else null.
TypedAttr largeSplatElement(arith::ConstantOp op, int64_t minElements) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
  if (!type || !dense || !dense.isSplat() || !type.hasStaticShape() ||
      type.getNumElements() < minElements)
    return {};
  return dyn_cast<TypedAttr>(dense.getSplatValue<Attribute>());
}

struct SplatsToFills : stde::impl::SplatsToFillsBase<SplatsToFills> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<arith::ConstantOp, TypedAttr>> splats;
    getOperation()->walk([&](arith::ConstantOp op) {
      if (TypedAttr element = largeSplatElement(op, minElements))
        splats.push_back({op, element});
    });
    for (auto [op, element] : splats) {
      OpBuilder b(op);
      auto type = cast<RankedTensorType>(op.getType());
      Value scalar = arith::ConstantOp::create(b, op.getLoc(), element);
      Value empty = tensor::EmptyOp::create(b, op.getLoc(), type.getShape(),
                                            type.getElementType());
      Value filled =
          linalg::FillOp::create(b, op.getLoc(), ValueRange{scalar}, ValueRange{empty})
              .getResult(0);
      op.replaceAllUsesWith(filled);
      op.erase();
    }
  }
};

} // namespace
