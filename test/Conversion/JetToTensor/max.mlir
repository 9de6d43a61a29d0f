// RUN: stde-opt %s -split-input-file --convert-jet-to-tensor --canonicalize --cse | FileCheck %s

// jet.max: the first argmax of each row of the primal (a reduction with
// two outputs, the running maximum from -inf and its position), then every
// coefficient read there. A dense tangent is gathered per direction.
// CHECK-LABEL: func.func @max_dense
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf64>, %[[V:.*]]: tensor<2x4x3xf64>)
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant dense<0xFFF0000000000000> : tensor<4xf64>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0> : tensor<4xindex>
// CHECK: %[[ARG:.*]]:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[X]] : tensor<4x3xf64>) outs(%[[NEGINF]], %[[ZERO]] : tensor<4xf64>, tensor<4xindex>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 1
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ARG]]#1 : tensor<4xindex>)
// CHECK: tensor.extract %[[V]]
// CHECK: return
func.func @max_dense(%x: tensor<4x3xf64>, %v: tensor<2x4x3xf64>) -> tensor<2x4xf64> {
  %j = jet.seed %x, %v : (tensor<4x3xf64>, tensor<2x4x3xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  %m = jet.max %j : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  %c = jet.coefficient %m[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}

// -----

// A one-hot tangent e_idx[r] is never made dense: its coefficient reads 1
// where idx[r] is the row's argmax and 0 elsewhere.
// CHECK-LABEL: func.func @max_onehot
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf64>, %[[I:.*]]: tensor<2xindex>)
// CHECK: %[[ARG:.*]]:2 = linalg.generic
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[I]], %[[ARG]]#1 : tensor<2xindex>, tensor<4xindex>)
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK-NOT: tensor<2x4x3xf64>
// CHECK: return
func.func @max_onehot(%x: tensor<4x3xf64>, %i: tensor<2xindex>) -> tensor<2x4xf64> {
  %j = jet.seed %x, %i : (tensor<4x3xf64>, tensor<2xindex>) -> !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>
  %m = jet.max %j : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>
  %c = jet.coefficient %m[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}

// -----

// atan: a' = u' / (1 + u^2); the first derivative is v / (1 + x^2).
// CHECK-LABEL: func.func @atan
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[V:.*]]: tensor<2x4xf64>)
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf64>
// CHECK: %[[A:.*]] = math.atan %[[X]] : tensor<4xf64>
// CHECK: %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : tensor<4xf64>
// CHECK: %[[DEN:.*]] = arith.addf %[[SQ]], %[[ONE]] : tensor<4xf64>
// CHECK: %[[G:.*]] = arith.divf %[[ONE]], %[[DEN]] : tensor<4xf64>
// CHECK: %[[GB:.*]] = linalg.broadcast ins(%[[G]] : tensor<4xf64>)
// CHECK: %[[D1:.*]] = arith.mulf %[[V]], %[[GB]] : tensor<2x4xf64>
// CHECK: return %[[A]], %[[D1]]
func.func @atan(%x: tensor<4xf64>, %v: tensor<2x4xf64>) -> (tensor<4xf64>, tensor<2x4xf64>) {
  %j = jet.seed %x, %v : (tensor<4xf64>, tensor<2x4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %a = jet.elementwise atan %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %c0 = jet.coefficient %a[0] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<4xf64>
  %c1 = jet.coefficient %a[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return %c0, %c1 : tensor<4xf64>, tensor<2x4xf64>
}
