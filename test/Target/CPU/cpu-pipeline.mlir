// RUN: stde-opt %s --stde-cpu-pipeline | FileCheck %s --implicit-check-not=jet. --implicit-check-not=linalg. --implicit-check-not=tensor. --implicit-check-not=stde.
// RUN: stde-translate --stde-to-llvmir %s | FileCheck %s --check-prefix=LLVMIR

// A jet pushforward through a tanh network down to the LLVM dialect: the
// network is inlined and dropped, tanh becomes a libm call (accurate in f64),
// and nothing of stde, jet, tensor or linalg remains.

stde.network @u(%theta: tensor<17xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<17xf64>) -> tensor<4xf64>
  %a = stde.activation tanh %h : tensor<4xf64>
  %o = stde.dense %a, %theta[12] : (tensor<4xf64>, tensor<17xf64>) -> tensor<1xf64>
  %m = stde.sum %o : tensor<1xf64> -> f64
  stde.return %m : f64
}

func.func @second(%theta: tensor<17xf64>, %x: tensor<3x2xf64>, %v: tensor<5x3x2xf64>) -> tensor<5x3xf64>
    attributes {llvm.emit_c_interface} {
  %j = jet.seed %x, %v : (tensor<3x2xf64>, tensor<5x3x2xf64>) -> !jet.jet<order = 2, dirs = 5, tensor<3x2xf64>, [dense, zero]>
  %y = jet.pushforward @u(%theta, %j) : (tensor<17xf64>, !jet.jet<order = 2, dirs = 5, tensor<3x2xf64>, [dense, zero]>) -> !jet.jet<order = 2, dirs = 5, tensor<3xf64>, [dense, dense]>
  %d2 = jet.coefficient %y[2] : !jet.jet<order = 2, dirs = 5, tensor<3xf64>, [dense, dense]> -> tensor<5x3xf64>
  return %d2 : tensor<5x3xf64>
}

// CHECK: llvm.func @tanh(f64) -> f64
// CHECK: llvm.func @second(
// CHECK: llvm.call @tanh
// CHECK: llvm.func @_mlir_ciface_second(

// LLVMIR: declare double @tanh(double)
// LLVMIR: define { ptr, ptr, i64, [2 x i64], [2 x i64] } @second(
// LLVMIR: call double @tanh(double
// LLVMIR: define void @_mlir_ciface_second(
