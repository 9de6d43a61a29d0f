// RUN: stde-opt %s | FileCheck %s
// RUN: stde-opt %s | stde-opt | FileCheck %s
// RUN: stde-opt %s --mlir-print-op-generic | stde-opt | FileCheck %s

// CHECK-LABEL: stde.network @mlp(%theta: tensor<29xf64>, %x: tensor<3xf64>) -> f64 {
// CHECK-NEXT:    %[[H0:.*]] = stde.dense %x, %theta[13] : (tensor<3xf64>, tensor<29xf64>) -> tensor<4xf64>
// CHECK-NEXT:    %[[A0:.*]] = stde.activation tanh %[[H0]] : tensor<4xf64>
// CHECK-NEXT:    %[[H1:.*]] = stde.dense %[[A0]], %theta[0] : (tensor<4xf64>, tensor<29xf64>) -> tensor<2xf64>
// CHECK-NEXT:    %[[A1:.*]] = stde.activation softplus %[[H1]] : tensor<2xf64>
// CHECK-NEXT:    %[[H2:.*]] = stde.dense %[[A1]], %theta[10] : (tensor<2xf64>, tensor<29xf64>) -> tensor<1xf64>
// CHECK-NEXT:    %[[U:.*]] = stde.sum %[[H2]] : tensor<1xf64> -> f64
// CHECK-NEXT:    stde.return %[[U]] : f64
stde.network @mlp(%theta: tensor<29xf64>, %x: tensor<3xf64>) -> f64 {
  %h0 = stde.dense %x, %theta[13] : (tensor<3xf64>, tensor<29xf64>) -> tensor<4xf64>
  %a0 = stde.activation tanh %h0 : tensor<4xf64>
  %h1 = stde.dense %a0, %theta[0] : (tensor<4xf64>, tensor<29xf64>) -> tensor<2xf64>
  %a1 = stde.activation softplus %h1 : tensor<2xf64>
  %h2 = stde.dense %a1, %theta[10] : (tensor<2xf64>, tensor<29xf64>) -> tensor<1xf64>
  %u = stde.sum %h2 : tensor<1xf64> -> f64
  stde.return %u : f64
}

// The ansatz factor (1 - |x|^2) and arith/math on the point, in f32.
// CHECK-LABEL: stde.network @ansatz(%theta: tensor<4xf32>, %x: tensor<3xf32>) -> f32 {
// CHECK:         stde.sqnorm %x : tensor<3xf32> -> f32
// CHECK:         math.sin
// CHECK:         stde.return %{{.*}} : f32
stde.network @ansatz(%theta: tensor<4xf32>, %x: tensor<3xf32>) -> f32 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf32>, tensor<4xf32>) -> tensor<1xf32>
  %mlp = stde.sum %h : tensor<1xf32> -> f32
  %r2 = stde.sqnorm %x : tensor<3xf32> -> f32
  %one = arith.constant 1.0 : f32
  %factor = arith.subf %one, %r2 : f32
  %s = math.sin %mlp : f32
  %u = arith.mulf %factor, %s : f32
  stde.return %u : f32
}

// A fixed field (no parameters), space-time.
// CHECK-LABEL: stde.network @field(%x: tensor<2xf64>) -> f64 attributes {space_time} {
// CHECK-NEXT:    stde.sqnorm %x
stde.network @field(%x: tensor<2xf64>) -> f64 attributes {space_time} {
  %r2 = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %r2 : f64
}

// A first layer shared across blocks of 2 input coordinates.
// CHECK-LABEL: stde.network @shared(%theta: tensor<9xf64>, %x: tensor<6xf64>) -> f64 {
// CHECK-NEXT:    %[[F:.*]] = stde.fold_blocks %x : tensor<6xf64> -> tensor<2xf64>
// CHECK-NEXT:    stde.dense %[[F]], %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
stde.network @shared(%theta: tensor<9xf64>, %x: tensor<6xf64>) -> f64 {
  %f = stde.fold_blocks %x : tensor<6xf64> -> tensor<2xf64>
  %h = stde.dense %f, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}

// The largest entry and arctan: the terminal data arctan(max_i x_i).
// CHECK-LABEL: stde.network @terminal(%x: tensor<6xf64>) -> f64 {
// CHECK-NEXT:    %[[M:.*]] = stde.max %x : tensor<6xf64> -> f64
// CHECK-NEXT:    %[[A:.*]] = math.atan %[[M]] : f64
// CHECK-NEXT:    stde.return %[[A]] : f64
stde.network @terminal(%x: tensor<6xf64>) -> f64 {
  %m = stde.max %x : tensor<6xf64> -> f64
  %a = math.atan %m : f64
  stde.return %a : f64
}
