// RUN: stde-opt %s --stde-splats-to-fills | FileCheck %s
// RUN: stde-opt %s --stde-splats-to-fills=min-elements=1000000 | FileCheck %s --check-prefix=SMALL

// A large splat (an accumulator's zeros) becomes a fill of an empty tensor;
// a small one, and a constant that is not a splat, stay constants.
// CHECK-LABEL: func.func @splats
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[EMPTY:.*]] = tensor.empty() : tensor<1000x64xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<1000x64xf32>) -> tensor<1000x64xf32>
// CHECK-DAG: arith.constant dense<1.000000e+00> : tensor<8xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00
// CHECK-NOT: dense<0.000000e+00> : tensor<1000x64xf32>
// CHECK: return %[[FILL]]
// SMALL: arith.constant dense<0.000000e+00> : tensor<1000x64xf32>
// SMALL-NOT: linalg.fill
func.func @splats() -> (tensor<1000x64xf32>, tensor<8xf32>, tensor<100xf32>) {
  %zeros = arith.constant dense<0.0> : tensor<1000x64xf32>
  %ones = arith.constant dense<1.0> : tensor<8xf32>
  %ramp = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0,
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]> : tensor<100xf32>
  return %zeros, %ones, %ramp : tensor<1000x64xf32>, tensor<8xf32>, tensor<100xf32>
}
