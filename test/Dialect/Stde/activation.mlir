// RUN: stde-opt %s | FileCheck %s
// RUN: stde-opt %s | stde-opt | FileCheck %s

// Every activation, on vectors, batches and scalars.
// CHECK-LABEL: func.func @all
// CHECK: stde.activation identity %{{.*}} : tensor<4xf64>
// CHECK: stde.activation tanh %{{.*}} : tensor<4xf64>
// CHECK: stde.activation sin %{{.*}} : tensor<4xf64>
// CHECK: stde.activation cos %{{.*}} : tensor<4xf64>
// CHECK: stde.activation exp %{{.*}} : tensor<4xf64>
// CHECK: stde.activation sigmoid %{{.*}} : tensor<4xf64>
// CHECK: stde.activation softplus %{{.*}} : tensor<4x2xf32>
// CHECK: stde.activation tanh %{{.*}} : f32
func.func @all(%v: tensor<4xf64>, %m: tensor<4x2xf32>, %s: f32) {
  %0 = stde.activation identity %v : tensor<4xf64>
  %1 = stde.activation tanh %0 : tensor<4xf64>
  %2 = stde.activation sin %1 : tensor<4xf64>
  %3 = stde.activation cos %2 : tensor<4xf64>
  %4 = stde.activation exp %3 : tensor<4xf64>
  %5 = stde.activation sigmoid %4 : tensor<4xf64>
  %6 = stde.activation softplus %m : tensor<4x2xf32>
  %7 = stde.activation tanh %s : f32
  return
}
