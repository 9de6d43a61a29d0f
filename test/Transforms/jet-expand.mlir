// RUN: stde-opt %s -split-input-file --jet-expand | FileCheck %s

// Each case pushes a 2-jet (onehot v1, dense v2) of 4 points with 3 directions
// through a network made of one rule; the structure of every jet is checked.

!pts = !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [onehot, zero]>
!out = !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, dense]>

// stde.dense -> jet.dense (onehot becomes dense: a column of W); stde.sum -> jet.sum.
stde.network @dense(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %s = stde.sum %h : tensor<3xf64> -> f64
  stde.return %s : f64
}
// CHECK-LABEL: func.func @push_dense
// CHECK-SAME: (%[[T:.*]]: tensor<9xf64>, %[[J:.*]]: !jet.jet
// CHECK: %[[H:.*]] = jet.dense %[[J]], %[[T]][0] : ({{.*}}[onehot, zero]>, tensor<9xf64>) -> <order = 2, dirs = 3, tensor<4x3xf64>, [dense, zero]>
// CHECK: %[[S:.*]] = jet.sum %[[H]] : <order = 2, dirs = 3, tensor<4x3xf64>, [dense, zero]>
// The network gives [dense, zero]; the declared [dense, dense] is reached by a widen.
// CHECK: %[[W:.*]] = jet.widen %[[S]] : <order = 2, dirs = 3, tensor<4xf64>, [dense, zero]> -> <order = 2, dirs = 3, tensor<4xf64>, [dense, dense]>
// CHECK: return %[[W]]
// CHECK-NOT: jet.pushforward
func.func @push_dense(%theta: tensor<9xf64>, %j: !pts) -> !out {
  %y = jet.pushforward @dense(%theta, %j) : (tensor<9xf64>, !pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [dense, zero]>
!out = !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, dense]>

// Every activation maps to jet.elementwise (identity passes the jet through);
// the second coefficient becomes nonzero through phi''(x) v1^2.
stde.network @acts(%x: tensor<2xf64>) -> f64 {
  %a = stde.activation tanh %x : tensor<2xf64>
  %b = stde.activation sin %a : tensor<2xf64>
  %c = stde.activation cos %b : tensor<2xf64>
  %d = stde.activation exp %c : tensor<2xf64>
  %e = stde.activation sigmoid %d : tensor<2xf64>
  %f = stde.activation softplus %e : tensor<2xf64>
  %g = stde.activation identity %f : tensor<2xf64>
  %s = stde.sum %g : tensor<2xf64> -> f64
  stde.return %s : f64
}
// CHECK-LABEL: func.func @push_activations
// CHECK: %[[A:.*]] = jet.elementwise tanh %{{.*}} : <order = 2, dirs = 3, tensor<4x2xf64>, [dense, zero]>
// CHECK: %[[B:.*]] = jet.elementwise sin %[[A]] : <order = 2, dirs = 3, tensor<4x2xf64>, [dense, dense]>
// CHECK: %[[C:.*]] = jet.elementwise cos %[[B]]
// CHECK: %[[D:.*]] = jet.elementwise exp %[[C]]
// CHECK: %[[E:.*]] = jet.elementwise sigmoid %[[D]]
// CHECK: %[[F:.*]] = jet.elementwise softplus %[[E]]
// CHECK-NEXT: %[[S:.*]] = jet.sum %[[F]]
// CHECK-NEXT: return %[[S]]
func.func @push_activations(%j: !pts) -> !out {
  %y = jet.pushforward @acts(%j) : (!pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [shared, zero]>
!out = !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [shared, shared]>

// arith and math rules, and constants as jets with zero coefficients. With a
// tangent shared by all directions, everything stays shared.
stde.network @arith(%x: tensor<2xf64>) -> f64 {
  %c = arith.constant dense<[2.0, 3.0]> : tensor<2xf64>
  %a = arith.addf %x, %c : tensor<2xf64>
  %b = arith.subf %a, %x : tensor<2xf64>
  %m = arith.mulf %a, %b : tensor<2xf64>
  %d = arith.divf %m, %a : tensor<2xf64>
  %n = arith.negf %d : tensor<2xf64>
  %l = math.log %a : tensor<2xf64>
  %r = math.sqrt %a : tensor<2xf64>
  %t = math.tanh %n : tensor<2xf64>
  %s = math.sin %l : tensor<2xf64>
  %k = math.cos %r : tensor<2xf64>
  %e = math.exp %t : tensor<2xf64>
  %three = arith.constant dense<3> : tensor<2xi32>
  %p = math.fpowi %e, %three : tensor<2xf64>, tensor<2xi32>
  %two = arith.constant dense<-2.0> : tensor<2xf64>
  %q = math.powf %s, %two : tensor<2xf64>
  %u = arith.addf %p, %q : tensor<2xf64>
  %v = arith.addf %u, %k : tensor<2xf64>
  %sum = stde.sum %v : tensor<2xf64> -> f64
  stde.return %sum : f64
}
// CHECK-LABEL: func.func @push_arith
// CHECK: %[[CST:.*]] = linalg.broadcast ins(%{{.*}} : tensor<2xf64>) outs(%{{.*}} : tensor<4x2xf64>) dimensions = [0]
// CHECK: %[[C:.*]] = jet.seed %[[CST]] : (tensor<4x2xf64>) -> !jet.jet<order = 2, dirs = 3, tensor<4x2xf64>, [zero, zero]>
// CHECK: %[[A:.*]] = jet.add %[[J:.*]], %[[C]] : <{{.*}}[shared, zero]>, <{{.*}}[zero, zero]>
// CHECK: %[[B:.*]] = jet.sub %[[A]], %[[J]]
// CHECK: %[[M:.*]] = jet.mul %[[A]], %[[B]] : {{.*}}[shared, zero]>, {{.*}}[shared, zero]>
// CHECK: %[[D:.*]] = jet.div %[[M]], %[[A]] : {{.*}}[shared, shared]>, {{.*}}[shared, zero]>
// CHECK: %[[N:.*]] = jet.neg %[[D]]
// CHECK: jet.elementwise log %[[A]]
// CHECK: jet.elementwise sqrt %[[A]]
// CHECK: jet.elementwise tanh %[[N]]
// CHECK: jet.elementwise sin
// CHECK: jet.elementwise cos
// CHECK: %[[E:.*]] = jet.elementwise exp
// CHECK: jet.powi %[[E]], 3 : <order = 2, dirs = 3, tensor<4x2xf64>, [shared, shared]>
// CHECK: jet.powi %{{.*}}, -2
// CHECK-NOT: jet.widen
func.func @push_arith(%j: !pts) -> !out {
  %y = jet.pushforward @arith(%j) : (!pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
!out = !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>

// Linear tensor ops: a slice, one entry, a splat (broadcast), |x|^2.
stde.network @tensors(%x: tensor<3xf64>) -> f64 {
  %head = tensor.extract_slice %x[1] [2] [1] : tensor<3xf64> to tensor<2xf64>
  %c0 = arith.constant 0 : index
  %x0 = tensor.extract %x[%c0] : tensor<3xf64>
  %sp = tensor.splat %x0 : tensor<2xf64>
  %m = arith.mulf %head, %sp : tensor<2xf64>
  %r2 = stde.sqnorm %m : tensor<2xf64> -> f64
  stde.return %r2 : f64
}
// CHECK-LABEL: func.func @push_tensors
// CHECK: %[[H:.*]] = jet.slice %[[J:.*]][1, 2] : <order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
// CHECK: %[[E:.*]] = jet.slice %[[J]][0, 1]
// CHECK: %[[X0:.*]] = jet.sum %[[E]] : <order = 1, dirs = 2, tensor<4x1xf64>, [dense]>
// CHECK: %[[SP:.*]] = jet.broadcast %[[X0]] : <order = 1, dirs = 2, tensor<4xf64>, [dense]> -> <order = 1, dirs = 2, tensor<4x2xf64>, [dense]>
// CHECK: %[[M:.*]] = jet.mul %[[H]], %[[SP]]
// CHECK: jet.dot %[[M]], %[[M]]
func.func @push_tensors(%j: !pts) -> !out {
  %y = jet.pushforward @tensors(%j) : (!pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 2, dirs = 1, tensor<4x3xf32>, [dense, dense]>
!out = !jet.jet<order = 2, dirs = 1, tensor<4xf32>, [dense, dense]>

// Constants the body draws (in f64, rounded to f32) do not depend on the
// point: they are copied out once, broadcast over the batch and seeded with
// zero coefficients; no Taylor rule is asked for them.
stde.network @drawn(%x: tensor<3xf32>) -> f32 {
  %seed = arith.constant 7 : i64
  %step = arith.constant 0 : i64
  %c64 = rng.draw gaussian %seed, %step stream 2147221504 : tensor<3xf64>
  %c = arith.truncf %c64 : tensor<3xf64> to tensor<3xf32>
  %m = arith.mulf %c, %x : tensor<3xf32>
  %s = stde.sum %m : tensor<3xf32> -> f32
  stde.return %s : f32
}
// CHECK-LABEL: func.func @push_drawn
// CHECK-DAG: %[[SEED:.*]] = arith.constant 7 : i64
// CHECK-DAG: %[[STEP:.*]] = arith.constant 0 : i64
// CHECK: %[[D:.*]] = rng.draw gaussian %[[SEED]], %[[STEP]] stream 2147221504 : tensor<3xf64>
// CHECK: %[[T:.*]] = arith.truncf %[[D]] : tensor<3xf64> to tensor<3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: %[[B:.*]] = linalg.broadcast ins(%[[T]] : tensor<3xf32>) outs(%[[E]] : tensor<4x3xf32>) dimensions = [0]
// CHECK: %[[C:.*]] = jet.seed %[[B]] : (tensor<4x3xf32>) -> !jet.jet<order = 2, dirs = 1, tensor<4x3xf32>, [zero, zero]>
// CHECK: %[[M:.*]] = jet.mul %[[C]], %{{.*}}
// CHECK: jet.sum %[[M]]
// CHECK-NOT: rng.draw
func.func @push_drawn(%j: !pts) -> !out {
  %y = jet.pushforward @drawn(%j) : (!pts) -> !out
  return %y : !out
}

// -----

// stde.fold_blocks -> jet.fold_blocks, the one-hot tangent still one-hot, so
// the shared first layer gathers a column of its 3 x 2 block.
!pts = !jet.jet<order = 2, dirs = 3, tensor<4x6xf64>, [onehot, zero]>
!out = !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, dense]>
stde.network @shared(%theta: tensor<9xf64>, %x: tensor<6xf64>) -> f64 {
  %f = stde.fold_blocks %x : tensor<6xf64> -> tensor<2xf64>
  %h = stde.dense %f, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %s = stde.sum %h : tensor<3xf64> -> f64
  stde.return %s : f64
}
// CHECK-LABEL: func.func @push_shared
// CHECK: %[[F:.*]] = jet.fold_blocks %{{.*}} : <order = 2, dirs = 3, tensor<4x6xf64>, [onehot, zero]> -> <order = 2, dirs = 3, tensor<4x2xf64>, [onehot, zero]>
// CHECK: jet.dense %[[F]], %{{.*}}[0] : (<order = 2, dirs = 3, tensor<4x2xf64>, [onehot, zero]>, tensor<9xf64>)
func.func @push_shared(%theta: tensor<9xf64>, %j: !pts) -> !out {
  %y = jet.pushforward @shared(%theta, %j) : (tensor<9xf64>, !pts) -> !out
  return %y : !out
}

// -----

// x * c with c = (1, 1, 7), the network of a space-time problem with a time
// scale. A one-hot tangent that can only select coordinates where c is 1
// (rng.sample of population 2: indices 0 and 1) stays one-hot, its primal
// multiplied by c, so the dense layer still gathers columns; a collapsed seed
// is collapsed again. The time coordinate's e_2 (a constant index) becomes
// 7 e_2: a one-hot seed with scale 7. Where a basis vector may meet both 1
// and 7 (population 3) the product is jet.mul and the tangents are dense.
!pts = !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
!sum = !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, summed]>
!one = !jet.jet<order = 1, dirs = 1, tensor<4x3xf64>, [onehot]>
!out = !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]>
!outsum = !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, summed]>
!outone = !jet.jet<order = 1, dirs = 1, tensor<4xf64>, [dense]>
stde.network @scaled(%theta: tensor<12xf64>, %x: tensor<3xf64>) -> f64 {
  %c = arith.constant dense<[1.0, 1.0, 7.0]> : tensor<3xf64>
  %s = arith.mulf %x, %c : tensor<3xf64>
  %h = stde.dense %s, %theta[0] : (tensor<3xf64>, tensor<12xf64>) -> tensor<3xf64>
  %y = stde.sum %h : tensor<3xf64> -> f64
  stde.return %y : f64
}
// CHECK-LABEL: func.func @push_scaled_space
// CHECK-SAME: (%[[T:.*]]: tensor<12xf64>, %[[X:.*]]: tensor<4x3xf64>
// CHECK: %[[I:.*]] = rng.sample %{{.*}}, %{{.*}} stream 1 population 2 : tensor<2xindex>
// CHECK: %[[C:.*]] = jet.seed %{{.*}} : (tensor<4x3xf64>) -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [zero, zero]>
// CHECK: %[[C0:.*]] = jet.coefficient %[[C]][0]
// CHECK: %[[P:.*]] = arith.mulf %[[X]], %[[C0]] : tensor<4x3xf64>
// CHECK: %[[S:.*]] = jet.seed %[[P]], %[[I]] : (tensor<4x3xf64>, tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
// CHECK-NOT: jet.mul
// CHECK: jet.dense %[[S]], %[[T]][0] : (<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>, tensor<12xf64>)
func.func @push_scaled_space(%theta: tensor<12xf64>, %x: tensor<4x3xf64>, %seed: i64, %step: i64) -> !out {
  %i = rng.sample %seed, %step stream 1 population 2 : tensor<2xindex>
  %j = jet.seed %x, %i : (tensor<4x3xf64>, tensor<2xindex>) -> !pts
  %y = jet.pushforward @scaled(%theta, %j) : (tensor<12xf64>, !pts) -> !out
  return %y : !out
}
// CHECK-LABEL: func.func @push_scaled_collapsed
// CHECK: %[[I:.*]] = arith.constant dense<[0, 1]> : tensor<2xindex>
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: %[[S:.*]] = jet.seed %[[P]], %[[I]]
// CHECK: %[[K:.*]] = jet.collapse %[[S]] : <order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]> -> <order = 2, dirs = 2, tensor<4x3xf64>, [onehot, summed]>
// CHECK: jet.dense %[[K]], %{{.*}}[0] : (<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, summed]>
func.func @push_scaled_collapsed(%theta: tensor<12xf64>, %x: tensor<4x3xf64>) -> !outsum {
  %i = arith.constant dense<[0, 1]> : tensor<2xindex>
  %j = jet.seed %x, %i : (tensor<4x3xf64>, tensor<2xindex>) -> !pts
  %k = jet.collapse %j : !pts -> !sum
  %y = jet.pushforward @scaled(%theta, %k) : (tensor<12xf64>, !sum) -> !outsum
  return %y : !outsum
}
// CHECK-LABEL: func.func @push_scaled_all
// CHECK: %[[M:.*]] = jet.mul %{{.*}}, %{{.*}} : <order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>, <order = 2, dirs = 2, tensor<4x3xf64>, [zero, zero]>
// CHECK: jet.dense %[[M]], %{{.*}}[0] : (<order = 2, dirs = 2, tensor<4x3xf64>, [dense, zero]>
func.func @push_scaled_all(%theta: tensor<12xf64>, %x: tensor<4x3xf64>, %seed: i64, %step: i64) -> !out {
  %i = rng.sample %seed, %step stream 1 population 3 : tensor<2xindex>
  %j = jet.seed %x, %i : (tensor<4x3xf64>, tensor<2xindex>) -> !pts
  %y = jet.pushforward @scaled(%theta, %j) : (tensor<12xf64>, !pts) -> !out
  return %y : !out
}
// CHECK-LABEL: func.func @push_scaled_time
// CHECK: %[[I:.*]] = arith.constant dense<2> : tensor<1xindex>
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: %[[S:.*]] = jet.seed %[[P]], %[[I]] {scales = array<f64: 7.000000e+00>} : (tensor<4x3xf64>, tensor<1xindex>) -> !jet.jet<order = 1, dirs = 1, tensor<4x3xf64>, [onehot]>
// CHECK-NOT: jet.mul
// CHECK: jet.dense %[[S]], %{{.*}}[0] : (<order = 1, dirs = 1, tensor<4x3xf64>, [onehot]>
func.func @push_scaled_time(%theta: tensor<12xf64>, %x: tensor<4x3xf64>) -> !outone {
  %i = arith.constant dense<2> : tensor<1xindex>
  %j = jet.seed %x, %i : (tensor<4x3xf64>, tensor<1xindex>) -> !one
  %y = jet.pushforward @scaled(%theta, %j) : (tensor<12xf64>, !one) -> !outone
  return %y : !outone
}
