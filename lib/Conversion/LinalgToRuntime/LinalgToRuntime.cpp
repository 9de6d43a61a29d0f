//===- LinalgToRuntime.cpp - matrix products become runtime calls --------===//
//
// Naive loops run matrix products (stde/Analysis/MatrixProduct.h) 50-200x
// below the machine (docs/TOOLCHAIN.md), so each becomes a call to the runtime's
// matmul, which hands them to OpenBLAS. Transposed operands are passed as
// transposed views; the runtime reads the strides.
//
//===----------------------------------------------------------------------===//
#include "stde/Analysis/MatrixProduct.h"
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTLINALGTORUNTIME
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

/// Declares @stde_matmul_<type> once per module.
func::FuncOp matmulCallee(ModuleOp module, Type element, Type viewType) {
  std::string name = element.isF32() ? "stde_matmul_f32" : "stde_matmul_f64";
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto type = b.getFunctionType({viewType, viewType, viewType}, {});
  auto callee = func::FuncOp::create(b, module.getLoc(), name, type);
  callee.setPrivate();
  callee->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  return callee;
}

struct ConvertLinalgToRuntime
    : stde::impl::ConvertLinalgToRuntimeBase<ConvertLinalgToRuntime> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::LinalgOp, stde::MatrixProduct>> products;
    module.walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::GenericOp, linalg::MatmulOp>(op.getOperation()) ||
          !op.hasPureBufferSemantics())
        return;
      Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
      if (!element.isF32() && !element.isF64())
        return;
      if (stde::multiplyAdds(op) < minFlops)
        return;
      if (auto product = stde::matchMatrixProduct(op); succeeded(product))
        products.push_back({op, *product});
    });
    for (auto &[op, p] : products) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      FailureOr<stde::MatrixViews> views = stde::matrixViews(b, loc, op, p);
      if (failed(views))
        continue; // views already made are dead and folded away
      Type element = getElementTypeOrSelf(views->c.getType());
      func::FuncOp callee = matmulCallee(module, element, views->c.getType());
      func::CallOp::create(b, loc, callee, ValueRange{views->a, views->b, views->c});
      op->erase();
    }
  }
};

} // namespace
