// stde.diffusion and stde.grad_norm lowered by every estimator.
// RUN: stde-opt --stde-lower-operators %s | FileCheck %s

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// Diagonal sigma, exact: the basis as one-hot directions of one 2-jet; u_ii
// weighed per point by sigma_i(x)^2 / 2 (sigma gathered at (n, i)).
// CHECK-LABEL: func.func @diagonal_exact
// CHECK-SAME: (%[[T:.*]]: tensor<31xf64>, %[[X:.*]]: tensor<4x3xf64>, %[[S:.*]]: tensor<4x3xf64>)
// CHECK: %[[IDX:.*]] = arith.constant dense<[0, 1, 2]> : tensor<3xindex>
// CHECK: %[[SEED:.*]] = jet.seed %[[X]], %[[IDX]] : (tensor<4x3xf64>, tensor<3xindex>) -> !jet.jet<order = 2, dirs = 3, tensor<4x3xf64>, [onehot, zero]>
// CHECK: %[[P:.*]] = jet.pushforward @u(%[[T]], %[[SEED]])
// CHECK: %[[D2:.*]] = jet.coefficient %[[P]][2] {{.*}} -> tensor<3x4xf64>
// CHECK: %[[G:.*]] = tensor.generate
// CHECK: %[[ID:.*]] = tensor.extract %[[IDX]][%{{.*}}] : tensor<3xindex>
// CHECK: tensor.extract %[[S]][%{{.*}}, %[[ID]]] : tensor<4x3xf64>
// CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f64
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[D2]], %[[G]] : tensor<3x4xf64>, tensor<3x4xf64>)
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.mulf %{{.*}}, %[[HALF]]
func.func @diagonal_exact(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %s: tensor<4x3xf64>) -> tensor<4xf64> {
  %g = stde.diffusion @u(%theta, %xs) sigma(%s) estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}

// Diagonal sigma, sparse: |J| = 2 of 3 without replacement, factor (3/2)/2;
// the drift is one dense order-1 jet along b, added.
// CHECK-LABEL: func.func @diagonal_sparse_drift
// CHECK: %[[J:.*]] = rng.sample %{{.*}}, %{{.*}} stream {{[0-9]+}} population 3 : tensor<2xindex>
// CHECK: jet.seed %{{.*}}, %[[J]] : {{.*}} -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
// CHECK: %[[F:.*]] = arith.constant 7.500000e-01 : f64
// CHECK: %[[PAR:.*]] = linalg.generic
// CHECK: arith.mulf %{{.*}}, %[[F]]
// CHECK: %[[B:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 4, 3] : tensor<4x3xf64> into tensor<1x4x3xf64>
// CHECK: jet.seed %{{.*}}, %[[B]] : (tensor<4x3xf64>, tensor<1x4x3xf64>) -> !jet.jet<order = 1, dirs = 1, tensor<4x3xf64>, [dense]>
// CHECK: %[[DRIFT:.*]] = linalg.vecmat
// CHECK: arith.addf %[[PAR]], %[[DRIFT]] : tensor<4xf64>
func.func @diagonal_sparse_drift(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %s: tensor<4x3xf64>, %b: tensor<4x3xf64>) -> tensor<4xf64> {
  %g = stde.diffusion @u(%theta, %xs) sigma(%s) drift(%b) estimator(#stde.sparse<samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>, tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}

// Full sigma, exact: its columns sigma(x) e_i as dense tangents, weight 1/2.
// CHECK-LABEL: func.func @full_exact
// CHECK-SAME: %[[S:[a-z0-9]+]]: tensor<4x3x3xf64>
// CHECK: %[[C:.*]] = tensor.generate
// CHECK: tensor.extract %[[S]][%{{.*}}, %{{.*}}, %{{.*}}] : tensor<4x3x3xf64>
// CHECK: %[[W:.*]] = arith.constant dense<5.000000e-01> : tensor<3xf64>
// CHECK: jet.seed %{{.*}}, %[[C]] : (tensor<4x3xf64>, tensor<3x4x3xf64>) -> !jet.jet<order = 2, dirs = 3, tensor<4x3xf64>, [dense, zero]>
// CHECK: linalg.vecmat ins(%[[W]],
func.func @full_exact(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %s: tensor<4x3x3xf64>) -> tensor<4xf64> {
  %g = stde.diffusion @u(%theta, %xs) sigma(%s) estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>, tensor<4x3x3xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}

// Dense: tangents sigma z (diagonal: z scaled per point), weight 1/(2S).
// CHECK-LABEL: func.func @diagonal_dense
// CHECK: %[[Z:.*]] = rng.draw gaussian %{{.*}}, %{{.*}} stream {{[0-9]+}} : tensor<5x4x3xf64>
// CHECK: %[[V:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[Z]] : tensor<4x3xf64>, tensor<5x4x3xf64>)
// CHECK: %[[W:.*]] = arith.constant dense<1.000000e-01> : tensor<5xf64>
// CHECK: jet.seed %{{.*}}, %[[V]] : {{.*}} -> !jet.jet<order = 2, dirs = 5, tensor<4x3xf64>, [dense, zero]>
// CHECK: linalg.vecmat ins(%[[W]],
func.func @diagonal_dense(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %s: tensor<4x3xf64>) -> tensor<4xf64> {
  %g = stde.diffusion @u(%theta, %xs) sigma(%s) estimator(#stde.dense<distribution = gaussian, samples = 5>) : (tensor<31xf64>, tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}

// Full sigma, dense: t = sigma(x) z, a product reduced over sigma's columns.
// CHECK-LABEL: func.func @full_dense
// CHECK: %[[Z:.*]] = rng.draw rademacher {{.*}} : tensor<2x4x3xf64>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[Z]] : tensor<4x3x3xf64>, tensor<2x4x3xf64>)
func.func @full_dense(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %s: tensor<4x3x3xf64>) -> tensor<4xf64> {
  %g = stde.diffusion @u(%theta, %xs) sigma(%s) estimator(#stde.dense<distribution = rademacher, samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>, tensor<4x3x3xf64>) -> tensor<4xf64>
  return %g : tensor<4xf64>
}

// Gradient norms: order-1 one-hot jets; p = 2 squares, p = 1 takes |.|,
// other p |.|^p, each scaled by Ds/|J|.
// CHECK-LABEL: func.func @grad_norms
// CHECK: jet.seed %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<3xindex>) -> !jet.jet<order = 1, dirs = 3, tensor<4x3xf64>, [onehot]>
// CHECK: %[[D1:.*]] = jet.coefficient %{{.*}}[1] {{.*}} -> tensor<3x4xf64>
// CHECK: linalg.generic {{.*}} ins(%[[D1]] : tensor<3x4xf64>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f64
// CHECK: rng.sample {{.*}} population 3 : tensor<1xindex>
// CHECK: !jet.jet<order = 1, dirs = 1, tensor<4x3xf64>, [onehot]>
// CHECK: math.absf
// CHECK: math.powf
// CHECK: rng.draw rademacher {{.*}} : tensor<6x4x3xf64>
func.func @grad_norms(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
  %a = stde.grad_norm @u(%theta, %xs) power 2.0 estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %b = stde.grad_norm @u(%theta, %xs) power 1.75 estimator(#stde.sparse<samples = 1>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %c = stde.grad_norm @u(%theta, %xs) power 2.0 estimator(#stde.dense<distribution = rademacher, samples = 6>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %a, %b, %c : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
}
