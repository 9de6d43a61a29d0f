// RUN: stde-opt %s -split-input-file --jet-simplify | FileCheck %s
// RUN: stde-opt %s -split-input-file --jet-simplify=collapse=false | FileCheck %s --check-prefix=NOCOLLAPSE
// RUN: stde-opt %s -split-input-file --jet-simplify=merge=false | FileCheck %s --check-prefix=NOMERGE
// RUN: stde-opt %s -split-input-file --jet-simplify="one-hot=false zero=false" | FileCheck %s --check-prefix=DENSE

// A sparse Laplacian as stde-lower-operators writes it, plus u itself:
//   (d/|J|) sum_r u_2(e_{j_r})  and  u(x) from a second, primal-only pushforward.
// collapse: the points go through jet.collapse, the top coefficient is a
// tensor<N>, and the weighted sum becomes init + w * sum.
// merge: u(x) is coefficient 0 of the Laplacian's pushforward.
stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %0 = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<2xf64>
  %1 = stde.activation tanh %0 : tensor<2xf64>
  %2 = stde.dense %1, %theta[6] : (tensor<2xf64>, tensor<9xf64>) -> tensor<1xf64>
  %3 = stde.sum %2 : tensor<1xf64> -> f64
  stde.return %3 : f64
}
// CHECK-LABEL: func.func @laplacian_and_value
// CHECK: %[[SEED:.*]] = jet.seed
// CHECK: %[[C:.*]] = jet.collapse %[[SEED]] : <order = 2, dirs = 2, tensor<5x2xf64>, [onehot, zero]> -> <order = 2, dirs = 2, tensor<5x2xf64>, [onehot, summed]>
// CHECK: %[[P:.*]] = jet.pushforward @u(%{{.*}}, %[[C]]) {{.*}} -> !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, summed]>
// CHECK: %[[TOP:.*]] = jet.coefficient %[[P]][2] : <order = 2, dirs = 2, tensor<5xf64>, [dense, summed]> -> tensor<5xf64>
// CHECK: %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<5xf64>
// CHECK: %[[SCALED:.*]] = arith.mulf %[[W]], %[[TOP]] : tensor<5xf64>
// CHECK: %[[LAP:.*]] = arith.addf %{{.*}}, %[[SCALED]] : tensor<5xf64>
// CHECK-NOT: linalg.vecmat
// CHECK-NOT: jet.pushforward
// CHECK: %[[U:.*]] = jet.coefficient %[[P]][0]
// CHECK: arith.addf %[[LAP]], %[[U]]
// NOCOLLAPSE-LABEL: func.func @laplacian_and_value
// NOCOLLAPSE-NOT: jet.collapse
// NOCOLLAPSE: jet.pushforward {{.*}} -> !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]>
// NOCOLLAPSE: linalg.vecmat
// NOCOLLAPSE-NOT: jet.pushforward
// NOMERGE-LABEL: func.func @laplacian_and_value
// NOMERGE: jet.collapse
// NOMERGE-COUNT-2: jet.pushforward
// DENSE-LABEL: func.func @laplacian_and_value
// DENSE: jet.widen %{{.*}} : <order = 2, dirs = 2, tensor<5x2xf64>, [onehot, zero]> -> <order = 2, dirs = 2, tensor<5x2xf64>, [dense, dense]>
// DENSE: jet.collapse %{{.*}} : <order = 2, dirs = 2, tensor<5x2xf64>, [dense, dense]> -> <order = 2, dirs = 2, tensor<5x2xf64>, [dense, summed]>
func.func @laplacian_and_value(%theta: tensor<9xf64>, %x: tensor<5x2xf64>, %idx: tensor<2xindex>) -> tensor<5xf64> {
  %w = arith.constant dense<1.0> : tensor<2xf64>
  %zero = arith.constant 0.0 : f64
  %j = jet.seed %x, %idx : (tensor<5x2xf64>, tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [onehot, zero]>
  %p = jet.pushforward @u(%theta, %j) : (tensor<9xf64>, !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [onehot, zero]>) -> !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]>
  %d2 = jet.coefficient %p[2] : !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]> -> tensor<2x5xf64>
  %e = tensor.empty() : tensor<5xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<5xf64>) -> tensor<5xf64>
  %lap = linalg.vecmat ins(%w, %d2 : tensor<2xf64>, tensor<2x5xf64>) outs(%init : tensor<5xf64>) -> tensor<5xf64>
  %j0 = jet.seed %x : (tensor<5x2xf64>) -> !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [zero]>
  %p0 = jet.pushforward @u(%theta, %j0) : (tensor<9xf64>, !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [zero]>) -> !jet.jet<order = 1, dirs = 1, tensor<5xf64>, [dense]>
  %u = jet.coefficient %p0[0] : !jet.jet<order = 1, dirs = 1, tensor<5xf64>, [dense]> -> tensor<5xf64>
  %r = arith.addf %lap, %u : tensor<5xf64>
  return %r : tensor<5xf64>
}

// -----

// Not collapsed: weights that differ between directions, and a top
// coefficient also read per direction. Not merged: other points.
stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %0 = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<2xf64>
  %1 = stde.activation tanh %0 : tensor<2xf64>
  %2 = stde.dense %1, %theta[6] : (tensor<2xf64>, tensor<9xf64>) -> tensor<1xf64>
  %3 = stde.sum %2 : tensor<1xf64> -> f64
  stde.return %3 : f64
}
// NOCOLLAPSE-LABEL: func.func @kept
// NOMERGE-LABEL: func.func @kept
// DENSE-LABEL: func.func @kept
// CHECK-LABEL: func.func @kept
// CHECK-NOT: jet.collapse
// CHECK: linalg.vecmat
// CHECK-NOT: jet.collapse
// CHECK: linalg.vecmat
// CHECK-COUNT-1: jet.pushforward @u(%{{.*}}, %{{.*}}) : (tensor<9xf64>, !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [zero]>)
func.func @kept(%theta: tensor<9xf64>, %x: tensor<5x2xf64>, %y: tensor<5x2xf64>, %idx: tensor<2xindex>)
    -> (tensor<5xf64>, tensor<5xf64>, tensor<2x5xf64>, tensor<5xf64>) {
  %w = arith.constant dense<[1.0, 2.0]> : tensor<2xf64>
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<5xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<5xf64>) -> tensor<5xf64>
  %j = jet.seed %x, %idx : (tensor<5x2xf64>, tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [onehot, zero]>
  %p = jet.pushforward @u(%theta, %j) : (tensor<9xf64>, !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [onehot, zero]>) -> !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]>
  %d2 = jet.coefficient %p[2] : !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]> -> tensor<2x5xf64>
  %a = linalg.vecmat ins(%w, %d2 : tensor<2xf64>, tensor<2x5xf64>) outs(%init : tensor<5xf64>) -> tensor<5xf64>
  %q = jet.pushforward @u(%theta, %j) : (tensor<9xf64>, !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [onehot, zero]>) -> !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]>
  %q2 = jet.coefficient %q[2] : !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]> -> tensor<2x5xf64>
  %ones = arith.constant dense<1.0> : tensor<2xf64>
  %b = linalg.vecmat ins(%ones, %q2 : tensor<2xf64>, tensor<2x5xf64>) outs(%init : tensor<5xf64>) -> tensor<5xf64>
  %k = jet.seed %y : (tensor<5x2xf64>) -> !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [zero]>
  %pk = jet.pushforward @u(%theta, %k) : (tensor<9xf64>, !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [zero]>) -> !jet.jet<order = 1, dirs = 1, tensor<5xf64>, [dense]>
  %u = jet.coefficient %pk[0] : !jet.jet<order = 1, dirs = 1, tensor<5xf64>, [dense]> -> tensor<5xf64>
  return %a, %b, %q2, %u : tensor<5xf64>, tensor<5xf64>, tensor<2x5xf64>, tensor<5xf64>
}

// -----

// Not collapsed: a time derivative u_t, one direction e_t. Its sum over the
// directions is the coefficient itself; collapsing would only store the
// one-hot e_t as a dense vector at the first layer (a product, not a gather).
stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %0 = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<2xf64>
  %1 = stde.activation tanh %0 : tensor<2xf64>
  %2 = stde.dense %1, %theta[6] : (tensor<2xf64>, tensor<9xf64>) -> tensor<1xf64>
  %3 = stde.sum %2 : tensor<1xf64> -> f64
  stde.return %3 : f64
}
// NOCOLLAPSE-LABEL: func.func @one_direction
// NOMERGE-LABEL: func.func @one_direction
// DENSE-LABEL: func.func @one_direction
// CHECK-LABEL: func.func @one_direction
// CHECK-NOT: jet.collapse
// CHECK: jet.pushforward @u(%{{.*}}, %{{.*}}) : (tensor<9xf64>, !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [onehot]>) -> !jet.jet<order = 1, dirs = 1, tensor<5xf64>, [dense]>
// CHECK: linalg.vecmat
func.func @one_direction(%theta: tensor<9xf64>, %x: tensor<5x2xf64>) -> tensor<5xf64> {
  %t = arith.constant dense<1> : tensor<1xindex>
  %w = arith.constant dense<1.0> : tensor<1xf64>
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<5xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<5xf64>) -> tensor<5xf64>
  %j = jet.seed %x, %t : (tensor<5x2xf64>, tensor<1xindex>) -> !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [onehot]>
  %p = jet.pushforward @u(%theta, %j) : (tensor<9xf64>, !jet.jet<order = 1, dirs = 1, tensor<5x2xf64>, [onehot]>) -> !jet.jet<order = 1, dirs = 1, tensor<5xf64>, [dense]>
  %d1 = jet.coefficient %p[1] : !jet.jet<order = 1, dirs = 1, tensor<5xf64>, [dense]> -> tensor<1x5xf64>
  %ut = linalg.vecmat ins(%w, %d1 : tensor<1xf64>, tensor<1x5xf64>) outs(%init : tensor<5xf64>) -> tensor<5xf64>
  return %ut : tensor<5xf64>
}
