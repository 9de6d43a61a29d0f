// RUN: stde-opt %s --stde-cpu-pipeline | FileCheck %s --implicit-check-not=jet. --implicit-check-not=linalg. --implicit-check-not=tensor. --implicit-check-not=stde.
// RUN: stde-translate --stde-to-llvmir %s | FileCheck %s --check-prefix=LLVMIR

// A jet pushforward through a tanh network down to the LLVM dialect: the
// network is inlined and dropped, f64 tanh becomes the llvm.tanh intrinsic
// (code generation calls libm's tanh: accurate in f64), f32 tanh a
// polynomial (no call, so its loop vectorizes), and nothing of stde, jet,
// tensor or linalg remains.

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

stde.network @v(%theta: tensor<17xf32>, %x: tensor<2xf32>) -> f32 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf32>, tensor<17xf32>) -> tensor<4xf32>
  %a = stde.activation tanh %h : tensor<4xf32>
  %o = stde.dense %a, %theta[12] : (tensor<4xf32>, tensor<17xf32>) -> tensor<1xf32>
  %m = stde.sum %o : tensor<1xf32> -> f32
  stde.return %m : f32
}

func.func @second_f32(%theta: tensor<17xf32>, %x: tensor<3x2xf32>, %v: tensor<5x3x2xf32>) -> tensor<5x3xf32>
    attributes {llvm.emit_c_interface} {
  %j = jet.seed %x, %v : (tensor<3x2xf32>, tensor<5x3x2xf32>) -> !jet.jet<order = 2, dirs = 5, tensor<3x2xf32>, [dense, zero]>
  %y = jet.pushforward @v(%theta, %j) : (tensor<17xf32>, !jet.jet<order = 2, dirs = 5, tensor<3x2xf32>, [dense, zero]>) -> !jet.jet<order = 2, dirs = 5, tensor<3xf32>, [dense, dense]>
  %d2 = jet.coefficient %y[2] : !jet.jet<order = 2, dirs = 5, tensor<3xf32>, [dense, dense]> -> tensor<5x3xf32>
  return %d2 : tensor<5x3xf32>
}

// CHECK: llvm.func @second(
// CHECK: llvm.intr.tanh
// CHECK: llvm.func @_mlir_ciface_second(
// CHECK: llvm.func @second_f32(
// CHECK-NOT: tanh
// CHECK: llvm.intr.fma
// CHECK-NOT: tanh
// CHECK: llvm.func @_mlir_ciface_second_f32(

// LLVMIR: define { ptr, ptr, i64, [2 x i64], [2 x i64] } @second(
// LLVMIR: call double @llvm.tanh.f64(double
// LLVMIR: define void @_mlir_ciface_second(
// LLVMIR: declare double @llvm.tanh.f64(double)
