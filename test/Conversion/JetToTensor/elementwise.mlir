// RUN: stde-opt %s -split-input-file --convert-jet-to-tensor --canonicalize --cse | FileCheck %s

// tanh by t' = (1 - t^2) u': with u = (x, v, 0),
//   w0 = 1 - t0^2, t1 = v w0, w1 = -(t0 t1 + t1 t0), t2 = (1/2) v w1,
// and the derivative 2! t2 = -2 t0 (1 - t0^2) v^2.
// CHECK-LABEL: func.func @tanh
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[V:.*]]: tensor<2x4xf64>)
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : tensor<2x4xf64>
// CHECK-DAG: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : tensor<2x4xf64>
// CHECK-DAG: %[[M1:.*]] = arith.constant dense<-1.000000e+00> : tensor<2x4xf64>
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<4xf64>
// CHECK: %[[T0:.*]] = math.tanh %[[X]] : tensor<4xf64>
// CHECK: %[[SQ:.*]] = arith.mulf %[[T0]], %[[T0]] : tensor<4xf64>
// CHECK: %[[W0:.*]] = arith.subf %[[ONE]], %[[SQ]] : tensor<4xf64>
// CHECK: %[[W0B:.*]] = linalg.broadcast ins(%[[W0]] : tensor<4xf64>)
// CHECK: %[[T1:.*]] = arith.mulf %[[V]], %[[W0B]] : tensor<2x4xf64>
// CHECK: %[[T0B:.*]] = linalg.broadcast ins(%[[T0]] : tensor<4xf64>)
// CHECK: %[[P:.*]] = arith.mulf %[[T0B]], %[[T1]]
// CHECK: %[[S:.*]] = arith.addf %[[P]], %[[P]]
// CHECK: %[[W1:.*]] = arith.mulf %[[S]], %[[M1]]
// CHECK: %[[VW1:.*]] = arith.mulf %[[V]], %[[W1]]
// CHECK: %[[T2:.*]] = arith.mulf %[[VW1]], %[[HALF]]
// CHECK: %[[D2:.*]] = arith.mulf %[[T2]], %[[TWO]]
// CHECK: return %[[D2]]
func.func @tanh(%x: tensor<4xf64>, %v: tensor<2x4xf64>) -> tensor<2x4xf64> {
  %j = jet.seed %x, %v : (tensor<4xf64>, tensor<2x4xf64>) -> !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>
  %t = jet.elementwise tanh %j : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>
  %c = jet.coefficient %t[2] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}

// -----

// exp: e1 = u1 e0. A shared tangent keeps every coefficient shared: no
// broadcast until the coefficient is read.
// CHECK-LABEL: func.func @exp_shared
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[S:.*]]: tensor<4xf64>)
// CHECK: %[[E0:.*]] = math.exp %[[X]] : tensor<4xf64>
// CHECK: %[[E1:.*]] = arith.mulf %[[S]], %[[E0]] : tensor<4xf64>
// CHECK: linalg.broadcast ins(%[[E1]] : tensor<4xf64>)
func.func @exp_shared(%x: tensor<4xf64>, %s: tensor<4xf64>) -> tensor<2x4xf64> {
  %j = jet.seed %x, %s : (tensor<4xf64>, tensor<4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [shared]>
  %e = jet.elementwise exp %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [shared]>
  %c = jet.coefficient %e[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [shared]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}

// -----

// sin and cos are propagated together: s1 = u1 c0 (the unused sin primal is
// removed by canonicalize).
// CHECK-LABEL: func.func @sin
// CHECK: %[[C0:.*]] = math.cos
// CHECK: %[[C0B:.*]] = linalg.broadcast ins(%[[C0]]
// CHECK: arith.mulf %{{.*}}, %[[C0B]] : tensor<2x4xf64>
func.func @sin(%x: tensor<4xf64>, %v: tensor<2x4xf64>) -> tensor<2x4xf64> {
  %j = jet.seed %x, %v : (tensor<4xf64>, tensor<2x4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %e = jet.elementwise sin %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %c = jet.coefficient %e[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}

// -----

// log: l1 = u1 / u0; sqrt: r1 = u1 / (2 r0).
// CHECK-LABEL: func.func @log_sqrt
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[V:.*]]: tensor<2x4xf64>)
// CHECK: %[[XB:.*]] = linalg.broadcast ins(%[[X]]
// CHECK: arith.divf %[[V]], %[[XB]] : tensor<2x4xf64>
// CHECK: %[[R0:.*]] = math.sqrt %[[X]]
// CHECK: %[[TWICE:.*]] = arith.mulf %[[R0]], %{{.*}} : tensor<4xf64>
// CHECK: %[[TB:.*]] = linalg.broadcast ins(%[[TWICE]]
// CHECK: arith.divf %[[V]], %[[TB]] : tensor<2x4xf64>
func.func @log_sqrt(%x: tensor<4xf64>, %v: tensor<2x4xf64>) -> (tensor<2x4xf64>, tensor<2x4xf64>) {
  %j = jet.seed %x, %v : (tensor<4xf64>, tensor<2x4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %l = jet.elementwise log %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %r = jet.elementwise sqrt %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %cl = jet.coefficient %l[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  %cr = jet.coefficient %r[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return %cl, %cr : tensor<2x4xf64>, tensor<2x4xf64>
}

// -----

// sigmoid's primal 1 / (1 + exp(-x)); softplus's max(x, 0) + log1p(exp(-|x|)).
// CHECK-LABEL: func.func @sigmoid_softplus
// CHECK: %[[N:.*]] = arith.negf %[[X:.*]] : tensor<4xf64>
// CHECK: %[[E:.*]] = math.exp %[[N]]
// CHECK: %[[D:.*]] = arith.addf {{.*}}%[[E]]
// CHECK: arith.divf %{{.*}}, %[[D]] : tensor<4xf64>
// CHECK: %[[A:.*]] = math.absf %[[X]]
// CHECK: %[[NA:.*]] = arith.negf %[[A]]
// CHECK: %[[EA:.*]] = math.exp %[[NA]]
// CHECK: %[[L:.*]] = math.log1p %[[EA]]
// CHECK: %[[R:.*]] = arith.maximumf %[[X]], %{{.*}}
// CHECK: arith.addf %[[R]], %[[L]]
func.func @sigmoid_softplus(%x: tensor<4xf64>, %v: tensor<2x4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %j = jet.seed %x, %v : (tensor<4xf64>, tensor<2x4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %s = jet.elementwise sigmoid %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %p = jet.elementwise softplus %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %cs = jet.coefficient %s[0] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<4xf64>
  %cp = jet.coefficient %p[0] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<4xf64>
  return %cs, %cp : tensor<4xf64>, tensor<4xf64>
}

// -----

// x^2 by a Cauchy square (exact at x = 0): p1 = 2 x0 x1, so d1 = 2 x v.
// CHECK-LABEL: func.func @square
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[V:.*]]: tensor<2x4xf64>)
// CHECK: %[[XB:.*]] = linalg.broadcast ins(%[[X]]
// CHECK: %[[XV:.*]] = arith.mulf %[[XB]], %[[V]]
// CHECK: %[[P1:.*]] = arith.addf %[[XV]], %[[XV]]
// CHECK: return %[[P1]]
func.func @square(%x: tensor<4xf64>, %v: tensor<2x4xf64>) -> tensor<2x4xf64> {
  %j = jet.seed %x, %v : (tensor<4xf64>, tensor<2x4xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %p = jet.powi %j, 2 : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  %c = jet.coefficient %p[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return %c : tensor<2x4xf64>
}
