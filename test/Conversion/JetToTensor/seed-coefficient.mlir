// RUN: stde-opt %s --convert-jet-to-tensor | FileCheck %s

// Derivatives go in, normalized coefficients live inside: seed divides v_k by
// k!, coefficient multiplies back; zero coefficients need no operand and
// materialize as zeros, shared ones are broadcast along the directions.

// CHECK-LABEL: func.func @round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[V2:.*]]: tensor<3x4xf64>)
func.func @round_trip(%x: tensor<4xf64>, %v2: tensor<3x4xf64>)
    -> (tensor<4xf64>, tensor<3x4xf64>, tensor<3x4xf64>) {
  // CHECK: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : tensor<3x4xf64>
  // CHECK: %[[A2:.*]] = arith.mulf %[[V2]], %[[HALF]]
  // CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<3x4xf64>
  // CHECK: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : tensor<3x4xf64>
  // CHECK: %[[D2:.*]] = arith.mulf %[[A2]], %[[TWO]]
  // CHECK-NOT: jet.
  // CHECK: return %[[X]], %[[ZERO]], %[[D2]]
  %j = jet.seed %x, %v2 : (tensor<4xf64>, tensor<3x4xf64>) -> !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [zero, dense]>
  %c0 = jet.coefficient %j[0] : !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [zero, dense]> -> tensor<4xf64>
  %c1 = jet.coefficient %j[1] : !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [zero, dense]> -> tensor<3x4xf64>
  %c2 = jet.coefficient %j[2] : !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [zero, dense]> -> tensor<3x4xf64>
  return %c0, %c1, %c2 : tensor<4xf64>, tensor<3x4xf64>, tensor<3x4xf64>
}

// A onehot coefficient materializes as scale * (d == idx[r]).
// CHECK-LABEL: func.func @onehot
// CHECK-SAME: (%[[X:.*]]: tensor<2x5xf64>, %[[I:.*]]: tensor<3xindex>)
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<3xindex>) outs(%{{.*}} : tensor<3x2x5xf64>)
// CHECK:   %[[POS:.*]] = linalg.index 2 : index
// CHECK:   %[[HIT:.*]] = arith.cmpi eq, %[[POS]], %{{.*}} : index
// CHECK:   arith.select %[[HIT]], %{{.*}}, %{{.*}} : f64
func.func @onehot(%x: tensor<2x5xf64>, %i: tensor<3xindex>) -> tensor<3x2x5xf64> {
  %j = jet.seed %x, %i : (tensor<2x5xf64>, tensor<3xindex>) -> !jet.jet<order = 1, dirs = 3, tensor<2x5xf64>, [onehot]>
  %c = jet.coefficient %j[1] : !jet.jet<order = 1, dirs = 3, tensor<2x5xf64>, [onehot]> -> tensor<3x2x5xf64>
  return %c : tensor<3x2x5xf64>
}

// CHECK-LABEL: func.func @shared
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[S:.*]]: tensor<4xf64>)
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[S]] : tensor<4xf64>) outs(%{{.*}} : tensor<3x4xf64>) dimensions = [0]
// CHECK: return %[[B]]
func.func @shared(%x: tensor<4xf64>, %s: tensor<4xf64>) -> tensor<3x4xf64> {
  %j = jet.seed %x, %s : (tensor<4xf64>, tensor<4xf64>) -> !jet.jet<order = 1, dirs = 3, tensor<4xf64>, [shared]>
  %c = jet.coefficient %j[1] : !jet.jet<order = 1, dirs = 3, tensor<4xf64>, [shared]> -> tensor<3x4xf64>
  return %c : tensor<3x4xf64>
}
