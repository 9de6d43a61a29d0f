// RUN: stde-opt %s | FileCheck %s
// RUN: stde-opt %s | stde-opt | FileCheck %s
// RUN: stde-opt --mlir-print-op-generic %s | stde-opt | FileCheck %s

!pts = !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, shared, zero]>
!vec = !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, shared, zero]>
!sca = !jet.jet<order = 3, dirs = 2, tensor<4xf64>, [dense, dense, dense]>

stde.network @u(%theta: tensor<20xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<20xf64>) -> tensor<5xf64>
  %s = stde.sum %h : tensor<5xf64> -> f64
  stde.return %s : f64
}

// CHECK-LABEL: func.func @construct
func.func @construct(%x: tensor<4x3xf64>, %i: tensor<2xindex>, %v2: tensor<4x3xf64>)
    -> (tensor<4x3xf64>, tensor<2x4x3xf64>) {
  // CHECK: jet.seed %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<2xindex>, tensor<4x3xf64>) -> !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, shared, zero]>
  %j = jet.seed %x, %i, %v2 : (tensor<4x3xf64>, tensor<2xindex>, tensor<4x3xf64>) -> !pts
  // CHECK: jet.coefficient %{{.*}}[0] : <order = 3, dirs = 2, tensor<4x3xf64>, [onehot, shared, zero]> -> tensor<4x3xf64>
  %c0 = jet.coefficient %j[0] : !pts -> tensor<4x3xf64>
  // CHECK: jet.coefficient %{{.*}}[3]
  %c3 = jet.coefficient %j[3] : !pts -> tensor<2x4x3xf64>
  return %c0, %c3 : tensor<4x3xf64>, tensor<2x4x3xf64>
}

// CHECK-LABEL: func.func @propagate
func.func @propagate(%theta: tensor<20xf64>, %j: !pts) -> !sca {
  // CHECK: jet.dense %{{.*}}, %{{.*}}[0] : (<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, shared, zero]>, tensor<20xf64>) -> <order = 3, dirs = 2, tensor<4x5xf64>, [dense, shared, zero]>
  %h = jet.dense %j, %theta[0] : (!pts, tensor<20xf64>) -> !vec
  // CHECK: jet.elementwise tanh %{{.*}} : <order = 3, dirs = 2, tensor<4x5xf64>, [dense, shared, zero]>
  %t = jet.elementwise tanh %h : !vec
  // CHECK: jet.mul %{{.*}}, %{{.*}} : <order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>, <order = 3, dirs = 2, tensor<4x5xf64>, [dense, shared, zero]>
  %m = jet.mul %t, %h : !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>, !vec
  // CHECK: jet.add
  %a = jet.add %m, %m : !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>, !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>
  // CHECK: jet.sub
  %s = jet.sub %a, %h : !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>, !vec
  // CHECK: jet.div
  %d = jet.div %s, %t : !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>, !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>
  // CHECK: jet.neg
  %n = jet.neg %d : !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>
  // CHECK: jet.powi %{{.*}}, -2 : <order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>
  %p = jet.powi %n, -2 : !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>
  // CHECK: jet.slice %{{.*}}[1, 3] : <order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>
  %sl = jet.slice %p[1, 3] : !jet.jet<order = 3, dirs = 2, tensor<4x5xf64>, [dense, dense, dense]>
  // CHECK: jet.sum %{{.*}} : <order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>
  %r = jet.sum %sl : !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>
  // CHECK: jet.max %{{.*}} : <order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>
  %mx = jet.max %sl : !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>
  // CHECK: jet.elementwise atan %{{.*}} : <order = 3, dirs = 2, tensor<4xf64>, [dense, dense, dense]>
  %at = jet.elementwise atan %mx : !sca
  // CHECK: jet.dot %{{.*}}, %{{.*}} : <order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>, <order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>
  %q = jet.dot %sl, %sl : !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>, !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [dense, dense, dense]>
  %rq = jet.add %r, %q : !sca, !sca
  %rqa = jet.add %rq, %at : !sca, !sca
  return %rqa : !sca
}

// CHECK-LABEL: func.func @reshape
func.func @reshape(%j: !jet.jet<order = 2, dirs = 3, tensor<4xf32>, [zero, shared]>)
    -> !jet.jet<order = 2, dirs = 3, tensor<4x6xf32>, [dense, dense]> {
  // CHECK: jet.broadcast %{{.*}} : <order = 2, dirs = 3, tensor<4xf32>, [zero, shared]> -> <order = 2, dirs = 3, tensor<4x6xf32>, [zero, shared]>
  %b = jet.broadcast %j : !jet.jet<order = 2, dirs = 3, tensor<4xf32>, [zero, shared]> -> !jet.jet<order = 2, dirs = 3, tensor<4x6xf32>, [zero, shared]>
  // CHECK: jet.widen %{{.*}} : <order = 2, dirs = 3, tensor<4x6xf32>, [zero, shared]> -> <order = 2, dirs = 3, tensor<4x6xf32>, [dense, dense]>
  %w = jet.widen %b : !jet.jet<order = 2, dirs = 3, tensor<4x6xf32>, [zero, shared]> -> !jet.jet<order = 2, dirs = 3, tensor<4x6xf32>, [dense, dense]>
  return %w : !jet.jet<order = 2, dirs = 3, tensor<4x6xf32>, [dense, dense]>
}

// CHECK-LABEL: func.func @network
func.func @network(%theta: tensor<20xf64>, %j: !pts) -> !sca {
  // CHECK: jet.pushforward @u(%{{.*}}, %{{.*}}) : (tensor<20xf64>, !jet.jet<order = 3, dirs = 2, tensor<4x3xf64>, [onehot, shared, zero]>) -> !jet.jet<order = 3, dirs = 2, tensor<4xf64>, [dense, dense, dense]>
  %y = jet.pushforward @u(%theta, %j) : (tensor<20xf64>, !pts) -> !sca
  return %y : !sca
}

// A summed top coefficient: jet.collapse makes it, ops keep it summed, and
// jet.coefficient gives it without the direction axis.
// CHECK-LABEL: func.func @collapsed
func.func @collapsed(%j: !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, zero]>) -> tensor<3x2xf64> {
  // CHECK: jet.collapse %{{.*}} : <order = 2, dirs = 4, tensor<3x2xf64>, [onehot, zero]> -> <order = 2, dirs = 4, tensor<3x2xf64>, [onehot, summed]>
  %c = jet.collapse %j : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, zero]> -> !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, summed]>
  // CHECK: jet.mul
  %m = jet.mul %c, %c : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, summed]>, !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, summed]>
  // CHECK: jet.coefficient %{{.*}}[2] : <order = 2, dirs = 4, tensor<3x2xf64>, [dense, summed]> -> tensor<3x2xf64>
  %s = jet.coefficient %m[2] : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [dense, summed]> -> tensor<3x2xf64>
  return %s : tensor<3x2xf64>
}

// jet.linear: a matrix value on every coefficient, weight-major (O x I) or
// input-major (I x O), with an optional bias on the primal; the result's
// structure is the input's under a linear map (one-hot becomes dense).
// CHECK-LABEL: func.func @linear
// CHECK: %[[U:.*]] = jet.linear %{{.*}}, %{{.*}} input_major : <order = 2, dirs = 2, tensor<5x3xf64>, [onehot, zero]>, tensor<3x2xf64>
// CHECK: jet.linear %[[U]], %{{.*}} bias %{{.*}} : <order = 2, dirs = 2, tensor<5x2xf64>, [dense, zero]>, tensor<4x2xf64>, tensor<4xf64>
func.func @linear(%x: !jet.jet<order = 2, dirs = 2, tensor<5x3xf64>, [onehot, zero]>,
                  %b: tensor<3x2xf64>, %a: tensor<4x2xf64>, %db: tensor<4xf64>)
    -> !jet.jet<order = 2, dirs = 2, tensor<5x4xf64>, [dense, zero]> {
  %u = jet.linear %x, %b input_major : !jet.jet<order = 2, dirs = 2, tensor<5x3xf64>, [onehot, zero]>, tensor<3x2xf64>
  %y = jet.linear %u, %a bias %db : !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [dense, zero]>, tensor<4x2xf64>, tensor<4xf64>
  return %y : !jet.jet<order = 2, dirs = 2, tensor<5x4xf64>, [dense, zero]>
}

// CHECK-LABEL: func.func @fold_blocks
func.func @fold_blocks(%j: !jet.jet<order = 2, dirs = 3, tensor<4x6xf32>, [onehot, summed]>)
    -> !jet.jet<order = 2, dirs = 3, tensor<4x2xf32>, [onehot, summed]> {
  // CHECK: jet.fold_blocks %{{.*}} : <order = 2, dirs = 3, tensor<4x6xf32>, [onehot, summed]> -> <order = 2, dirs = 3, tensor<4x2xf32>, [onehot, summed]>
  %f = jet.fold_blocks %j : !jet.jet<order = 2, dirs = 3, tensor<4x6xf32>, [onehot, summed]> -> !jet.jet<order = 2, dirs = 3, tensor<4x2xf32>, [onehot, summed]>
  return %f : !jet.jet<order = 2, dirs = 3, tensor<4x2xf32>, [onehot, summed]>
}

// jet.max keeps the structure as jet.sum does: a one-hot coefficient becomes
// dense, a shared one stays shared (the coefficient's type says so).
// CHECK-LABEL: func.func @max_structure
// CHECK: %[[M:.*]] = jet.max %{{.*}} : <order = 3, dirs = 2, tensor<4x3xf64>, [onehot, shared, zero]>
// CHECK: jet.coefficient %[[M]][1] : <order = 3, dirs = 2, tensor<4xf64>, [dense, shared, zero]> -> tensor<2x4xf64>
func.func @max_structure(%j: !pts) -> tensor<2x4xf64> {
  %m = jet.max %j : !pts
  %c = jet.coefficient %m[1] : !jet.jet<order = 3, dirs = 2, tensor<4xf64>, [dense, shared, zero]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}
