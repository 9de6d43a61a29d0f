//===- LinalgToRuntime.cpp - matrix products become runtime calls --------===//
//
// Naive loops run matrix products (stde/Analysis/MatrixProduct.h) 50-200x
// below the machine (docs/TOOLCHAIN.md), so each becomes a call to the runtime's
// matmul, which hands them to OpenBLAS. Transposed operands are passed as
// transposed views; the runtime reads the strides. One conversion pattern
// (populateLinalgToRuntimePatterns); the target makes exactly the products
// worth a call illegal, so nothing else is touched.
//
//===----------------------------------------------------------------------===//
#include "stde/Analysis/MatrixProduct.h"
#include "stde/Conversion/LinalgToRuntime.h"
#include "stde/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace stde {
#define GEN_PASS_DEF_CONVERTLINALGTORUNTIME
#include "stde/Conversion/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

StringRef calleeName(Type element) {
  return element.isF32() ? "stde_matmul_f32" : "stde_matmul_f64";
}

/// Declares @stde_matmul_<type> once per module (before the conversion: the
/// patterns only look it up).
func::FuncOp declareMatmul(ModuleOp module, Type element) {
  StringRef name = calleeName(element);
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  Type viewType = stde::dynamicMatrixType(element);
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto type = b.getFunctionType({viewType, viewType, viewType}, {});
  auto callee = func::FuncOp::create(b, module.getLoc(), name, type);
  callee.setPrivate();
  callee->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  return callee;
}

/// The product `op` computes, when it should become a runtime call: on
/// buffers, f32 or f64, at least `minFlops` multiply-adds, and operands that
/// are matrices up to a transpose and a free collapse.
std::optional<stde::MatrixProduct> offloadable(Operation *operation, int64_t minFlops) {
  auto op = dyn_cast<linalg::LinalgOp>(operation);
  if (!op || !isa<linalg::GenericOp, linalg::MatmulOp>(operation) ||
      !op.hasPureBufferSemantics())
    return std::nullopt;
  Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
  if ((!element.isF32() && !element.isF64()) || stde::multiplyAdds(op) < minFlops)
    return std::nullopt;
  FailureOr<stde::MatrixProduct> product = stde::matchMatrixProduct(op);
  if (failed(product) || !stde::canViewAsMatrices(op, *product))
    return std::nullopt;
  return *product;
}

/// A matrix product -> func.call @stde_matmul_<type>(A', B', C).
struct MatrixProductToCall : OpInterfaceConversionPattern<linalg::LinalgOp> {
  MatrixProductToCall(MLIRContext *context, int64_t minFlops)
      : OpInterfaceConversionPattern(context), minFlops(minFlops) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op, ArrayRef<Value>,
                                ConversionPatternRewriter &rewriter) const override {
    std::optional<stde::MatrixProduct> product = offloadable(op, minFlops);
    if (!product)
      return rewriter.notifyMatchFailure(op, "not a matrix product to offload");
    Location loc = op.getLoc();
    FailureOr<stde::MatrixViews> views = stde::matrixViews(rewriter, loc, op, *product);
    if (failed(views))
      return rewriter.notifyMatchFailure(op, "operands are not matrix views");
    Type element = getElementTypeOrSelf(views->c.getType());
    auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        op, StringAttr::get(op->getContext(), calleeName(element)));
    if (!callee)
      return rewriter.notifyMatchFailure(op, "@stde_matmul_* is not declared");
    func::CallOp::create(rewriter, loc, callee, ValueRange{views->a, views->b, views->c});
    rewriter.eraseOp(op);
    return success();
  }

  int64_t minFlops;
};

} // namespace

void stde::populateLinalgToRuntimePatterns(RewritePatternSet &patterns, int64_t minFlops) {
  patterns.add<MatrixProductToCall>(patterns.getContext(), minFlops);
}

void stde::addLinalgToRuntimeLegality(ConversionTarget &target, int64_t minFlops) {
  // Products worth a call are illegal; every other op stays as it is.
  target.markUnknownOpDynamicallyLegal(
      [minFlops](Operation *op) { return !offloadable(op, minFlops).has_value(); });
  target.addLegalDialect<func::FuncDialect, memref::MemRefDialect>();
}

namespace {

struct ConvertLinalgToRuntime
    : stde::impl::ConvertLinalgToRuntimeBase<ConvertLinalgToRuntime> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    module.walk([&](Operation *op) {
      if (offloadable(op, minFlops))
        declareMatmul(module, getElementTypeOrSelf(
                                  cast<linalg::LinalgOp>(op).getDpsInitOperand(0)->get().getType()));
    });
    ConversionTarget target(getContext());
    stde::addLinalgToRuntimeLegality(target, minFlops);
    RewritePatternSet patterns(&getContext());
    stde::populateLinalgToRuntimePatterns(patterns, minFlops);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
