//===- IRBuild.h - small builders the library's IR is composed of -*- C++ -*-===//
#ifndef STDE_LIB_API_IRBUILD_H
#define STDE_LIB_API_IRBUILD_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace stde::ir {

/// A scalar float constant of type `type`.
inline mlir::Value constant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, double v) {
  return mlir::arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
}

/// A float tensor constant with the given values (row-major) or one splat value.
inline mlir::Value tensorConstant(mlir::OpBuilder &b, mlir::Location loc,
                                  mlir::RankedTensorType type, llvm::ArrayRef<double> values) {
  auto element = mlir::cast<mlir::FloatType>(type.getElementType());
  llvm::SmallVector<llvm::APFloat> floats;
  for (double v : values) {
    llvm::APFloat f(v);
    bool lost = false;
    f.convert(element.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven, &lost);
    floats.push_back(f);
  }
  auto attr = values.size() == 1 ? mlir::DenseElementsAttr::get(type, floats.front())
                                 : mlir::DenseElementsAttr::get(type, floats);
  return mlir::arith::ConstantOp::create(b, loc, attr);
}

/// sum_i a_i * c_i of two vectors, as a scalar (linalg.dot into a zero).
inline mlir::Value dotProduct(mlir::OpBuilder &b, mlir::Location loc, mlir::Value a,
                              mlir::Value c) {
  mlir::Type element = mlir::cast<mlir::RankedTensorType>(a.getType()).getElementType();
  auto scalar = mlir::RankedTensorType::get({}, element);
  mlir::Value init = mlir::tensor::EmptyOp::create(b, loc, llvm::ArrayRef<int64_t>{}, element);
  mlir::Value zero = constant(b, loc, element, 0.0);
  mlir::Value filled = mlir::linalg::FillOp::create(b, loc, zero, init).getResult(0);
  mlir::Value dot = mlir::linalg::DotOp::create(b, loc, mlir::TypeRange{scalar},
                                                mlir::ValueRange{a, c}, mlir::ValueRange{filled})
                        .getResult(0);
  return mlir::tensor::ExtractOp::create(b, loc, dot, mlir::ValueRange{});
}

/// func.call of `callee` (looked up in the module of the insertion point).
inline mlir::func::CallOp call(mlir::OpBuilder &b, mlir::Location loc, mlir::func::FuncOp callee,
                               mlir::ValueRange operands) {
  return mlir::func::CallOp::create(b, loc, callee, operands);
}

/// A private func.func @name of `type` at the end of `module`, its entry
/// block ready for the body.
inline mlir::func::FuncOp privateFunction(mlir::OpBuilder &b, mlir::ModuleOp module,
                                          llvm::StringRef name, mlir::FunctionType type) {
  b.setInsertionPointToEnd(module.getBody());
  auto func = mlir::func::FuncOp::create(b, module.getLoc(), name, type);
  func.setPrivate();
  b.setInsertionPointToStart(func.addEntryBlock());
  return func;
}

} // namespace stde::ir

#endif // STDE_LIB_API_IRBUILD_H
