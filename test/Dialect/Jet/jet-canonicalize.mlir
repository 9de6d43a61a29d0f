// RUN: stde-opt %s --canonicalize --split-input-file | FileCheck %s

// A seed's primal and its stored dense and summed coefficients are read
// back directly; the onehot coefficient (stored as indices) is not.
// CHECK-LABEL: func.func @seed_coefficients(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<4x3xf64>, %[[IDX:[a-z0-9]+]]: tensor<2xindex>, %[[D:[a-z0-9]+]]: tensor<2x4x3xf64>, %[[S:[a-z0-9]+]]: tensor<4x3xf64>)
// CHECK: %[[J:.*]] = jet.seed %[[X]], %[[IDX]], %[[D]], %[[S]]
// CHECK: %[[C1:.*]] = jet.coefficient %[[J]][1]
// CHECK: return %[[X]], %[[C1]], %[[D]], %[[S]]
func.func @seed_coefficients(%x: tensor<4x3xf64>, %idx: tensor<2xindex>, %d: tensor<2x4x3xf64>,
                             %s: tensor<4x3xf64>)
    -> (tensor<4x3xf64>, tensor<2x4x3xf64>, tensor<2x4x3xf64>, tensor<4x3xf64>) {
  %j = jet.seed %x, %idx, %d, %s : (tensor<4x3xf64>, tensor<2xindex>, tensor<2x4x3xf64>, tensor<4x3xf64>) -> !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, dense, summed]>
  %c0 = jet.coefficient %j[0] : !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, dense, summed]> -> tensor<4x3xf64>
  %c1 = jet.coefficient %j[1] : !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, dense, summed]> -> tensor<2x4x3xf64>
  %c2 = jet.coefficient %j[2] : !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, dense, summed]> -> tensor<2x4x3xf64>
  %c3 = jet.coefficient %j[3] : !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, dense, summed]> -> tensor<4x3xf64>
  return %c0, %c1, %c2, %c3 : tensor<4x3xf64>, tensor<2x4x3xf64>, tensor<2x4x3xf64>, tensor<4x3xf64>
}

// -----

// A zero coefficient is a zero constant; widening is looked through (twice
// widened is widened once, widened to itself is the input); -(-x) is x.
// CHECK-LABEL: func.func @zeros_widen_neg(
// CHECK-SAME: %[[J:[a-z0-9]+]]: !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2x4xf64>
// CHECK-DAG: %[[W:.*]] = jet.widen %[[J]] : <order = 2, dirs = 2, tensor<4xf64>, [dense, zero]> -> <order = 2, dirs = 2, tensor<4xf64>, [dense, dense]>
// CHECK-NOT: jet.widen
// CHECK-NOT: jet.neg
// CHECK-DAG: %[[D1:.*]] = jet.coefficient %[[J]][1]
// CHECK: return %[[ZERO]], %[[D1]], %[[W]], %[[J]]
func.func @zeros_widen_neg(%j: !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>)
    -> (tensor<2x4xf64>, tensor<2x4xf64>, !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]>,
        !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>) {
  %z = jet.coefficient %j[2] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]> -> tensor<2x4xf64>
  %same = jet.widen %j : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]> -> !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>
  %w1 = jet.widen %same : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]> -> !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, shared]>
  %w2 = jet.widen %w1 : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, shared]> -> !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]>
  %d1 = jet.coefficient %w2[1] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]> -> tensor<2x4xf64>
  %n1 = jet.neg %j : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>
  %n2 = jet.neg %n1 : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>
  return %z, %d1, %w2, %n2 : tensor<2x4xf64>, tensor<2x4xf64>, !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]>, !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>
}

// -----

// A sum of a product used nowhere else is one jet.dot; a product with
// another use stays a product.
// CHECK-LABEL: func.func @sum_of_product(
// CHECK-SAME: %[[A:[a-z0-9]+]]: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>, %[[B:[a-z0-9]+]]: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>)
// CHECK: %[[D:.*]] = jet.dot %[[A]], %[[B]] : <order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>, <order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
// CHECK: %[[M:.*]] = jet.mul %[[B]], %[[B]]
// CHECK: %[[S:.*]] = jet.sum %[[M]]
// CHECK: return %[[D]], %[[S]], %[[M]]
func.func @sum_of_product(%a: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>,
                          %b: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>)
    -> (!jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>, !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>,
        !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) {
  %m = jet.mul %a, %b : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>, !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  %s = jet.sum %m : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  %m2 = jet.mul %b, %b : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>, !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  %s2 = jet.sum %m2 : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  return %s, %s2, %m2 : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>, !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>, !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
}
