// RUN: stde-opt %s -split-input-file --convert-jet-to-tensor | FileCheck %s

// A dense layer reads W (O x I) then b from the parameters and uses W in
// place (products index it as (o, i): no transposed copy). The primal gets
// the bias; a onehot coefficient is a column gather of W (no product); all
// directions of a dense coefficient go through ONE product of (R*N) x I.
// CHECK-DAG: #[[MW:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[T:.*]]: tensor<14xf64>, %[[X:.*]]: tensor<2x3xf64>, %[[I:.*]]: tensor<4xindex>, %[[V:.*]]: tensor<4x2x3xf64>)
// CHECK: %[[WF:.*]] = tensor.extract_slice %[[T]][0] [9] [1] : tensor<14xf64> to tensor<9xf64>
// CHECK: %[[W:.*]] = tensor.expand_shape %[[WF]] {{\[}}[0, 1]] output_shape [3, 3]
// CHECK-NOT: linalg.transpose
// CHECK: %[[B:.*]] = tensor.extract_slice %[[T]][9] [3] [1]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[MW]], #{{.*}}], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]], %[[W]] : tensor<2x3xf64>, tensor<3x3xf64>)
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<4xindex>) outs(%{{.*}} : tensor<4x2x3xf64>)
// CHECK:   %[[COL:.*]] = linalg.index 2 : index
// CHECK:   tensor.extract %[[W]][%[[COL]], %{{.*}}] : tensor<3x3xf64>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<4x2x3xf64> into tensor<8x3xf64>
// CHECK: %[[PROD:.*]] = linalg.generic {{.*}} ins(%[[FLAT]], %[[W]] : tensor<8x3xf64>, tensor<3x3xf64>)
// CHECK: tensor.expand_shape %[[PROD]] {{\[}}[0, 1], [2]] output_shape [4, 2, 3] : tensor<8x3xf64> into tensor<4x2x3xf64>
func.func @dense(%theta: tensor<14xf64>, %x: tensor<2x3xf64>, %i: tensor<4xindex>, %v: tensor<4x2x3xf64>)
    -> (tensor<2x3xf64>, tensor<4x2x3xf64>, tensor<4x2x3xf64>) {
  %j = jet.seed %x, %i, %v : (tensor<2x3xf64>, tensor<4xindex>, tensor<4x2x3xf64>) -> !jet.jet<order = 2, dirs = 4, tensor<2x3xf64>, [onehot, dense]>
  %h = jet.dense %j, %theta[0] : (!jet.jet<order = 2, dirs = 4, tensor<2x3xf64>, [onehot, dense]>, tensor<14xf64>) -> !jet.jet<order = 2, dirs = 4, tensor<2x3xf64>, [dense, dense]>
  %c0 = jet.coefficient %h[0] : !jet.jet<order = 2, dirs = 4, tensor<2x3xf64>, [dense, dense]> -> tensor<2x3xf64>
  %c1 = jet.coefficient %h[1] : !jet.jet<order = 2, dirs = 4, tensor<2x3xf64>, [dense, dense]> -> tensor<4x2x3xf64>
  %c2 = jet.coefficient %h[2] : !jet.jet<order = 2, dirs = 4, tensor<2x3xf64>, [dense, dense]> -> tensor<4x2x3xf64>
  return %c0, %c1, %c2 : tensor<2x3xf64>, tensor<4x2x3xf64>, tensor<4x2x3xf64>
}

// -----

// sum, slice and broadcast act on the last axis of every stored coefficient;
// the direction axis comes first in dense ones.
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf64>, %[[V:.*]]: tensor<5x2x3xf64>)
// CHECK: tensor.extract_slice %[[X]][0, 1] [2, 2] [1, 1] : tensor<2x3xf64> to tensor<2x2xf64>
// CHECK: %[[VS:.*]] = tensor.extract_slice %[[V]][0, 0, 1] [5, 2, 2] [1, 1, 1] : tensor<5x2x3xf64> to tensor<5x2x2xf64>
// CHECK: %[[R:.*]] = linalg.reduce ins(%[[VS]] : tensor<5x2x2xf64>) outs(%{{.*}} : tensor<5x2xf64>) dimensions = [2]
// CHECK: linalg.broadcast ins(%[[R]] : tensor<5x2xf64>) outs(%{{.*}} : tensor<5x2x7xf64>) dimensions = [2]
func.func @linear(%x: tensor<2x3xf64>, %v: tensor<5x2x3xf64>) -> tensor<5x2x7xf64> {
  %j = jet.seed %x, %v : (tensor<2x3xf64>, tensor<5x2x3xf64>) -> !jet.jet<order = 1, dirs = 5, tensor<2x3xf64>, [dense]>
  %s = jet.slice %j[1, 2] : !jet.jet<order = 1, dirs = 5, tensor<2x3xf64>, [dense]>
  %r = jet.sum %s : !jet.jet<order = 1, dirs = 5, tensor<2x2xf64>, [dense]>
  %b = jet.broadcast %r : !jet.jet<order = 1, dirs = 5, tensor<2xf64>, [dense]> -> !jet.jet<order = 1, dirs = 5, tensor<2x7xf64>, [dense]>
  %c = jet.coefficient %b[1] : !jet.jet<order = 1, dirs = 5, tensor<2x7xf64>, [dense]> -> tensor<5x2x7xf64>
  return %c : tensor<5x2x7xf64>
}

// -----

// widen stores a zero coefficient as shared zeros (a splat-zero constant,
// which every later pattern reads back as a known zero: coefficient 2 comes
// out as zeros, not 2! * broadcast(0)) and a shared one densely.
// CHECK-LABEL: func.func @widen
// CHECK-SAME: (%[[X:.*]]: tensor<2xf64>, %[[S:.*]]: tensor<2xf64>)
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[S]] : tensor<2xf64>) outs(%{{.*}} : tensor<3x2xf64>)
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<3x2xf64>
// CHECK-NOT: arith.mulf
// CHECK: return %[[B]], %[[Z]]
func.func @widen(%x: tensor<2xf64>, %s: tensor<2xf64>) -> (tensor<3x2xf64>, tensor<3x2xf64>) {
  %j = jet.seed %x, %s : (tensor<2xf64>, tensor<2xf64>) -> !jet.jet<order = 2, dirs = 3, tensor<2xf64>, [shared, zero]>
  %w = jet.widen %j : !jet.jet<order = 2, dirs = 3, tensor<2xf64>, [shared, zero]> -> !jet.jet<order = 2, dirs = 3, tensor<2xf64>, [dense, shared]>
  %c1 = jet.coefficient %w[1] : !jet.jet<order = 2, dirs = 3, tensor<2xf64>, [dense, shared]> -> tensor<3x2xf64>
  %c2 = jet.coefficient %w[2] : !jet.jet<order = 2, dirs = 3, tensor<2xf64>, [dense, shared]> -> tensor<3x2xf64>
  return %c1, %c2 : tensor<3x2xf64>, tensor<3x2xf64>
}

// -----

// jet.fold_blocks keeps every structure: a one-hot index folds modulo the
// block (e_i -> e_{i mod 2}), stored values are summed block by block
// (tensor<4x6> seen as 4 x 3 blocks of 2, the middle axis summed).
// CHECK-LABEL: func.func @fold_blocks
// CHECK-SAME: (%[[X:.*]]: tensor<4x6xf64>, %[[I:.*]]: tensor<3xindex>, %[[S:.*]]: tensor<4x6xf64>)
// CHECK: %[[SH:.*]] = arith.mulf %[[S]], %{{.*}} : tensor<4x6xf64>
// CHECK: %[[XB:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [4, 3, 2] : tensor<4x6xf64> into tensor<4x3x2xf64>
// CHECK: %[[XF:.*]] = linalg.reduce ins(%[[XB]] : tensor<4x3x2xf64>) {{.*}} dimensions = [1]
// CHECK: %[[TWO:.*]] = arith.constant dense<2> : tensor<3xindex>
// CHECK: %[[IF:.*]] = arith.remui %[[I]], %[[TWO]] : tensor<3xindex>
// CHECK: %[[SB:.*]] = tensor.expand_shape %[[SH]]
// CHECK: %[[SF:.*]] = linalg.reduce ins(%[[SB]] : tensor<4x3x2xf64>)
// CHECK: linalg.generic {{.*}} ins(%[[IF]] : tensor<3xindex>)
// CHECK: return %[[XF]], %{{.*}}, %{{.*}}
func.func @fold_blocks(%x: tensor<4x6xf64>, %i: tensor<3xindex>, %s: tensor<4x6xf64>) -> (tensor<4x2xf64>, tensor<3x4x2xf64>, tensor<4x2xf64>) {
  %j = jet.seed %x, %i, %s : (tensor<4x6xf64>, tensor<3xindex>, tensor<4x6xf64>) -> !jet.jet<order = 2, dirs = 3, tensor<4x6xf64>, [onehot, summed]>
  %f = jet.fold_blocks %j : !jet.jet<order = 2, dirs = 3, tensor<4x6xf64>, [onehot, summed]> -> !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [onehot, summed]>
  %c0 = jet.coefficient %f[0] : !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [onehot, summed]> -> tensor<4x2xf64>
  %c1 = jet.coefficient %f[1] : !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [onehot, summed]> -> tensor<3x4x2xf64>
  %c2 = jet.coefficient %f[2] : !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [onehot, summed]> -> tensor<4x2xf64>
  return %c0, %c1, %c2 : tensor<4x2xf64>, tensor<3x4x2xf64>, tensor<4x2xf64>
}

// -----

// A one-hot seed with scale 7 (the time coordinate of a network that reads
// 7 t): the dense layer still gathers column idx[r] of W, times 7.
// CHECK-LABEL: func.func @scaled_gather
// CHECK-SAME: (%[[T:.*]]: tensor<14xf64>, %[[X:.*]]: tensor<2x3xf64>, %[[I:.*]]: tensor<1xindex>)
// CHECK: %[[W:.*]] = tensor.expand_shape
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<1xindex>) outs(%{{.*}} : tensor<1x2x3xf64>)
// CHECK:   %[[COL:.*]] = linalg.index 2 : index
// CHECK:   %[[E:.*]] = tensor.extract %[[W]][%[[COL]], %{{.*}}] : tensor<3x3xf64>
// CHECK:   %[[S:.*]] = arith.constant 7.000000e+00 : f64
// CHECK:   arith.mulf %[[E]], %[[S]] : f64
// CHECK-NOT: linalg.matmul
func.func @scaled_gather(%theta: tensor<14xf64>, %x: tensor<2x3xf64>, %i: tensor<1xindex>) -> tensor<1x2x3xf64> {
  %j = jet.seed %x, %i {scales = array<f64: 7.0>} : (tensor<2x3xf64>, tensor<1xindex>) -> !jet.jet<order = 1, dirs = 1, tensor<2x3xf64>, [onehot]>
  %h = jet.dense %j, %theta[0] : (!jet.jet<order = 1, dirs = 1, tensor<2x3xf64>, [onehot]>, tensor<14xf64>) -> !jet.jet<order = 1, dirs = 1, tensor<2x3xf64>, [dense]>
  %c1 = jet.coefficient %h[1] : !jet.jet<order = 1, dirs = 1, tensor<2x3xf64>, [dense]> -> tensor<1x2x3xf64>
  return %c1 : tensor<1x2x3xf64>
}
