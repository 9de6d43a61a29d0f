// RUN: stde-opt %s -split-input-file --convert-jet-to-tensor | FileCheck %s

// Leibniz as a Cauchy product of normalized coefficients. With
// a = (x, v, 0) dense and b = (y, s, 0) shared: c1 = x s + v y, c2 = v s, and
// the derivative d2 = 2! c2 = 2 v s. Terms with a zero coefficient are not
// emitted; shared terms are computed once, then broadcast.
// CHECK-LABEL: func.func @mul
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[V:.*]]: tensor<3x4xf64>, %[[Y:.*]]: tensor<4xf64>, %[[S:.*]]: tensor<4xf64>)
// CHECK: %[[P0:.*]] = arith.mulf %[[X]], %[[Y]] : tensor<4xf64>
// CHECK: %[[XS:.*]] = arith.mulf %[[X]], %[[S]] : tensor<4xf64>
// CHECK: %[[YB:.*]] = linalg.broadcast ins(%[[Y]] : tensor<4xf64>) outs({{.*}}) dimensions = [0]
// CHECK: %[[VY:.*]] = arith.mulf %[[V]], %[[YB]] : tensor<3x4xf64>
// CHECK: %[[XSB:.*]] = linalg.broadcast ins(%[[XS]] : tensor<4xf64>)
// CHECK: %[[C1:.*]] = arith.addf %[[XSB]], %[[VY]] : tensor<3x4xf64>
// CHECK: %[[SB:.*]] = linalg.broadcast ins(%[[S]] : tensor<4xf64>)
// CHECK: %[[C2:.*]] = arith.mulf %[[V]], %[[SB]] : tensor<3x4xf64>
// CHECK: %[[TWO:.*]] = arith.constant dense<2.000000e+00>
// CHECK: %[[D2:.*]] = arith.mulf %[[C2]], %[[TWO]]
// CHECK: return %[[P0]], %[[C1]], %[[D2]]
func.func @mul(%x: tensor<4xf64>, %v: tensor<3x4xf64>, %y: tensor<4xf64>, %s: tensor<4xf64>)
    -> (tensor<4xf64>, tensor<3x4xf64>, tensor<3x4xf64>) {
  %a = jet.seed %x, %v : (tensor<4xf64>, tensor<3x4xf64>) -> !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, zero]>
  %b = jet.seed %y, %s : (tensor<4xf64>, tensor<4xf64>) -> !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [shared, zero]>
  %m = jet.mul %a, %b : !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, zero]>, !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [shared, zero]>
  %c0 = jet.coefficient %m[0] : !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, dense]> -> tensor<4xf64>
  %c1 = jet.coefficient %m[1] : !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, dense]> -> tensor<3x4xf64>
  %c2 = jet.coefficient %m[2] : !jet.jet<order = 2, dirs = 3, tensor<4xf64>, [dense, dense]> -> tensor<3x4xf64>
  return %c0, %c1, %c2 : tensor<4xf64>, tensor<3x4xf64>, tensor<3x4xf64>
}

// -----

// Quotient q = a / b with a constant numerator (zero coefficients):
// q0 = a0 / b0, q1 = (0 - q0 b1) / b0.
// CHECK-LABEL: func.func @div
// CHECK-SAME: (%[[A:.*]]: tensor<4xf64>, %[[B:.*]]: tensor<4xf64>, %[[V:.*]]: tensor<2x4xf64>)
// CHECK: %[[Q0:.*]] = arith.divf %[[A]], %[[B]] : tensor<4xf64>
// CHECK: %[[Q0B:.*]] = linalg.broadcast ins(%[[Q0]] : tensor<4xf64>)
// CHECK: %[[T:.*]] = arith.mulf %[[Q0B]], %[[V]] : tensor<2x4xf64>
// CHECK: %[[NEG:.*]] = arith.mulf %[[T]], %{{.*}} : tensor<2x4xf64>
// CHECK: %[[BB:.*]] = linalg.broadcast ins(%[[B]] : tensor<4xf64>)
// CHECK: %[[Q1:.*]] = arith.divf %[[NEG]], %[[BB]] : tensor<2x4xf64>
// CHECK: return %[[Q1]]
func.func @div(%a: tensor<4xf64>, %b: tensor<4xf64>, %v: tensor<2x4xf64>) -> tensor<2x4xf64> {
  %ja = jet.seed %a : (tensor<4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [zero]>
  %jb = jet.seed %b, %v : (tensor<4xf64>, tensor<2x4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %q = jet.div %ja, %jb : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [zero]>, !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %c = jet.coefficient %q[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}

// -----

// Sums skip zero coefficients; negation keeps a onehot coefficient onehot
// (its scale becomes -1, seen when it is materialized).
// CHECK-LABEL: func.func @add_neg
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf64>, %[[I:.*]]: tensor<2xindex>, %[[C:.*]]: tensor<2x3xf64>)
// CHECK: %[[P:.*]] = arith.addf %[[X]], %[[C]] : tensor<2x3xf64>
// CHECK: %[[M1:.*]] = arith.constant dense<-1.000000e+00> : tensor<2x3xf64>
// CHECK-NEXT: %[[N:.*]] = arith.mulf %[[P]], %[[M1]] : tensor<2x3xf64>
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<2xindex>)
// CHECK: arith.constant -1.000000e+00 : f64
// CHECK: arith.select
func.func @add_neg(%x: tensor<2x3xf64>, %i: tensor<2xindex>, %c: tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<2x2x3xf64>) {
  %j = jet.seed %x, %i : (tensor<2x3xf64>, tensor<2xindex>) -> !jet.jet<order = 1, dirs = 2, tensor<2x3xf64>, [onehot]>
  %k = jet.seed %c : (tensor<2x3xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<2x3xf64>, [zero]>
  %s = jet.add %j, %k : !jet.jet<order = 1, dirs = 2, tensor<2x3xf64>, [onehot]>, !jet.jet<order = 1, dirs = 2, tensor<2x3xf64>, [zero]>
  %n = jet.neg %s : !jet.jet<order = 1, dirs = 2, tensor<2x3xf64>, [onehot]>
  %c0 = jet.coefficient %n[0] : !jet.jet<order = 1, dirs = 2, tensor<2x3xf64>, [onehot]> -> tensor<2x3xf64>
  %c1 = jet.coefficient %n[1] : !jet.jet<order = 1, dirs = 2, tensor<2x3xf64>, [onehot]> -> tensor<2x2x3xf64>
  return %c0, %c1 : tensor<2x3xf64>, tensor<2x2x3xf64>
}

// -----

// jet.dot with one-hot tangents never forms an R x N x D product: a one-hot
// factor against the primal is the gather x[n, idx[r]] (twice for x . x:
// c1 = x0 . e + e . x0), e_i . e_i is the constant 1 (d2 = 2! * 1), and a
// jet.sum of a jet.mul used nowhere else is lowered as a dot too.
// CHECK-LABEL: func.func @dot
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf64>, %[[I:.*]]: tensor<2xindex>, %[[Y:.*]]: tensor<4x3xf64>)
// CHECK: %[[SQ:.*]] = arith.mulf %[[X]], %[[X]] : tensor<4x3xf64>
// CHECK: %[[C0:.*]] = linalg.reduce ins(%[[SQ]] : tensor<4x3xf64>) {{.*}} dimensions = [1]
// CHECK: %[[G1:.*]] = linalg.generic {{.*}} ins(%[[I]] : tensor<2xindex>)
// CHECK: tensor.extract %[[X]]
// CHECK: %[[G2:.*]] = linalg.generic {{.*}} ins(%[[I]] : tensor<2xindex>)
// CHECK: %[[C1:.*]] = arith.addf %[[G1]], %[[G2]] : tensor<2x4xf64>
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf64>
// CHECK: %[[ONES:.*]] = linalg.broadcast ins(%[[ONE]] : tensor<4xf64>)
// CHECK: %[[C2:.*]] = arith.mulf %[[ONES]], %{{.*}} : tensor<2x4xf64>
// CHECK-NOT: tensor<2x4x3xf64>
// CHECK: %[[D1:.*]] = linalg.generic {{.*}} ins(%[[I]] : tensor<2xindex>)
// CHECK: tensor.extract %[[Y]]
// CHECK: return %[[C0]], %[[C1]], %[[C2]], %[[D1]]
func.func @dot(%x: tensor<4x3xf64>, %i: tensor<2xindex>, %y: tensor<4x3xf64>) -> (tensor<4xf64>, tensor<2x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>) {
  %j = jet.seed %x, %i : (tensor<4x3xf64>, tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
  %n = jet.dot %j, %j : !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>, !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
  %c0 = jet.coefficient %n[0] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]> -> tensor<4xf64>
  %c1 = jet.coefficient %n[1] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]> -> tensor<2x4xf64>
  %c2 = jet.coefficient %n[2] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]> -> tensor<2x4xf64>
  %k = jet.seed %y : (tensor<4x3xf64>) -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [zero, zero]>
  %m = jet.mul %j, %k : !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>, !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [zero, zero]>
  %s = jet.sum %m : !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [dense, zero]>
  %d1 = jet.coefficient %s[1] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]> -> tensor<2x4xf64>
  return %c0, %c1, %c2, %d1 : tensor<4xf64>, tensor<2x4xf64>, tensor<2x4xf64>, tensor<2x4xf64>
}
