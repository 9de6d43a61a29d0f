// Every estimator's lowered IR for a small network.
// RUN: stde-opt --stde-lower-operators %s | FileCheck %s
// RUN: stde-opt --stde-lower-operators='seed=42' %s | FileCheck %s --check-prefix=FIXED

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// Exact Laplacian: the three basis vectors as one-hot directions of one 2-jet.
// CHECK-LABEL: func.func @exact_laplacian
// CHECK-SAME: (%[[T:.*]]: tensor<31xf64>, %[[X:.*]]: tensor<4x3xf64>) -> tensor<4xf64>
// CHECK-DAG: %[[IDX:.*]] = arith.constant dense<[0, 1, 2]> : tensor<3xindex>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<3xf64>
// CHECK: %[[S:.*]] = jet.seed %[[X]], %[[IDX]] : (tensor<4x3xf64>, tensor<3xindex>) -> !jet.jet<order = 2, dirs = 3, tensor<4x3xf64>, [onehot, zero]>
// CHECK: %[[P:.*]] = jet.pushforward @u(%[[T]], %[[S]])
// CHECK: %[[D2:.*]] = jet.coefficient %[[P]][2] {{.*}} -> tensor<3x4xf64>
// CHECK: linalg.vecmat ins(%[[W]], %[[D2]] : tensor<3xf64>, tensor<3x4xf64>)
func.func @exact_laplacian(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %l = stde.laplacian @u(%theta, %xs) estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %l : tensor<4xf64>
}

// Sparse Laplacian: |J| = 2 of 3 coordinates without replacement, weight 3/2;
// the function gains the seed and step arguments.
// CHECK-LABEL: func.func @sparse_laplacian
// CHECK-SAME: %[[SEED:[a-z0-9]+]]: i64 {stde.random = "seed"}, %[[STEP:[a-z0-9]+]]: i64 {stde.random = "step"}
// CHECK: %[[J:.*]] = rng.sample %[[SEED]], %[[STEP]] stream {{[0-9]+}} population 3 : tensor<2xindex>
// CHECK: %[[W:.*]] = arith.constant dense<1.500000e+00> : tensor<2xf64>
// CHECK: jet.seed %{{.*}}, %[[J]] : {{.*}} -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
// CHECK: linalg.vecmat ins(%[[W]],
// FIXED-LABEL: func.func @sparse_laplacian
// FIXED-SAME: (%{{.*}}: tensor<31xf64>, %{{.*}}: tensor<4x3xf64>) -> tensor<4xf64>
// FIXED: %[[SEED:.*]] = arith.constant 42 : i64
// FIXED: rng.sample %[[SEED]]
func.func @sparse_laplacian(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %l = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %l : tensor<4xf64>
}

// Hutchinson: Rademacher tangents per sample and point, weight 1/S.
// CHECK-LABEL: func.func @hutchinson
// CHECK: %[[V:.*]] = rng.draw rademacher %{{.*}}, %{{.*}} stream {{[0-9]+}} : tensor<4x4x3xf64>
// CHECK: %[[W:.*]] = arith.constant dense<2.500000e-01> : tensor<4xf64>
// CHECK: jet.seed %{{.*}}, %[[V]] : {{.*}} -> !jet.jet<order = 2, dirs = 4, tensor<4x3xf64>, [dense, zero]>
// CHECK: linalg.vecmat ins(%[[W]],
func.func @hutchinson(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %l = stde.laplacian @u(%theta, %xs) estimator(#stde.dense<distribution = rademacher, samples = 4>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %l : tensor<4xf64>
}

// Rank 1 of 3 (data parallel): its 4 points are rows 4..8 of a batch of 12,
// and its per-point tangents the same rows of that batch's draw; the
// sampled indices of a sparse estimator are per step, shared by every rank.
// CHECK-LABEL: func.func @hutchinson_share
// CHECK: rng.draw rademacher %{{.*}}, %{{.*}} stream {{[0-9]+}} slice [0, 4, 0] of [4, 12, 3] : tensor<4x4x3xf64>
// CHECK: rng.sample {{.*}} population 3 : tensor<2xindex>
func.func @hutchinson_share(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64>
    attributes {stde.rank_share = array<i64: 1, 3>} {
  %l = stde.laplacian @u(%theta, %xs) estimator(#stde.dense<distribution = rademacher, samples = 4>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %s = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %r = arith.addf %l, %s : tensor<4xf64>
  return %r : tensor<4xf64>
}

// Gaussian biharmonic: (1/3) E[d4u(v)], one 4-jet per sample.
// CHECK-LABEL: func.func @biharmonic_gaussian
// CHECK: rng.draw gaussian {{.*}} : tensor<2x4x3xf64>
// CHECK: arith.constant dense<0.16666666666666666> : tensor<2xf64>
// CHECK: !jet.jet<order = 4, dirs = 2, tensor<4x3xf64>, [dense, zero, zero, zero]>
// CHECK: jet.coefficient %{{.*}}[4]
// CHECK-NOT: rng.sample
func.func @biharmonic_gaussian(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %b = stde.biharmonic @u(%theta, %xs) estimator(#stde.dense<distribution = gaussian, samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %b : tensor<4xf64>
}

// Rademacher biharmonic: the same plus 2/3 sum_i u_iiii, sampled (3/2 * 2/3 = 1).
// CHECK-LABEL: func.func @biharmonic_rademacher
// CHECK: rng.draw rademacher
// CHECK: %[[J:.*]] = rng.sample {{.*}} population 3 : tensor<2xindex>
// CHECK: arith.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK: jet.seed %{{.*}}, %[[J]] : {{.*}} -> !jet.jet<order = 4, dirs = 2, tensor<4x3xf64>, [onehot, zero, zero, zero]>
func.func @biharmonic_rademacher(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %b = stde.biharmonic @u(%theta, %xs) estimator(#stde.dense<distribution = rademacher, samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %b : tensor<4xf64>
}

// Exact mixed partial u_01 by polarization: e0 - e1 and e0 + e1, weights -1/4, 1/4.
// CHECK-LABEL: func.func @mixed
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 0.000000e+00]]> : tensor<2x3xf64>
// CHECK-DAG: arith.constant dense<[-2.500000e-01, 2.500000e-01]> : tensor<2xf64>
// CHECK: !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [dense, zero]>
func.func @mixed(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %d = stde.diff @u(%theta, %xs) [1.0 * [0, 1]] estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %d : tensor<4xf64>
}

// Unequal coefficients: terms drawn by |C| through an alias table, weighted
// sign(C) Z / |J| per draw.
// CHECK-LABEL: func.func @weighted_terms
// CHECK: %[[T:.*]] = rng.choice {{.*}} weights [1.000000e+00, 2.000000e+00, 1.500000e+00] : tensor<2xindex>
// CHECK: tensor.generate
// CHECK: jet.seed %{{.*}}, %[[T]]
func.func @weighted_terms(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %d = stde.diff @u(%theta, %xs) [1.0 * [0, 0], 2.0 * [1, 1], -1.5 * [2, 2]] estimator(#stde.sparse<samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %d : tensor<4xf64>
}

// Gradient: one-hot 1-jets transposed to points x coordinates; u is coefficient 0.
// CHECK-LABEL: func.func @grad_and_value
// CHECK: !jet.jet<order = 1, dirs = 3, tensor<4x3xf64>, [onehot]>
// CHECK: linalg.transpose
// CHECK: jet.seed %{{.*}} : (tensor<4x3xf64>) -> !jet.jet<order = 1, dirs = 1, tensor<4x3xf64>, [zero]>
// CHECK: jet.coefficient %{{.*}}[0]
func.func @grad_and_value(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> (tensor<4x3xf64>, tensor<4xf64>) {
  %g = stde.grad @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4x3xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %g, %u : tensor<4x3xf64>, tensor<4xf64>
}

// Unbiased loss: the random residual is computed twice on distinct streams,
// the deterministic one once; sum_i w_i mean(r_i r_i').
// CHECK-LABEL: func.func @unbiased
// CHECK: rng.sample %{{.*}}, %{{.*}} stream [[S1:[0-9]+]]
// CHECK: rng.sample %{{.*}}, %{{.*}} stream [[S2:[0-9]+]]
// CHECK-NOT: stream [[S1]]
// CHECK: linalg.dot
// CHECK: linalg.dot
// CHECK-NOT: stde.loss
func.func @unbiased(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %f: tensor<4xf64>) -> f64 {
  %l = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %r = arith.subf %l, %f : tensor<4xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %L = stde.loss %r, %u weights [1.0, 2.0] form unbiased : tensor<4xf64>, tensor<4xf64> -> f64
  return %L : f64
}

// Point weights: sum_i w_i sum_p q_ip r_ip^2, the weight w_i without the
// division by the batch size.
// CHECK-LABEL: func.func @point_weighted
// CHECK-SAME: (%{{.*}}: tensor<31xf64>, %{{.*}}: tensor<4x3xf64>, %[[Q:.*]]: tensor<4xf64>)
// CHECK: %[[U:.*]] = jet.coefficient %{{.*}}[0]
// CHECK: %[[QU:.*]] = arith.mulf %[[Q]], %[[U]] : tensor<4xf64>
// CHECK: linalg.dot ins(%[[QU]], %[[U]] : tensor<4xf64>, tensor<4xf64>)
// CHECK: arith.constant 3.000000e+00 : f64
// CHECK-NOT: stde.loss
func.func @point_weighted(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %q: tensor<4xf64>) -> f64 {
  %u = stde.apply @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %L = stde.loss %u point_weights(%q : tensor<4xf64>) weights [3.0] : tensor<4xf64> -> f64
  return %L : f64
}

// A multiple of the Laplacian on a prefix (here 0.5 (u_00 + u_11)): Hutchinson
// over the prefix, padded to the input, weight 0.5/S; no mixing matrix.
// CHECK-LABEL: func.func @half_laplacian
// CHECK: rng.draw rademacher {{.*}} : tensor<4x4x2xf64>
// CHECK-NOT: linalg.generic
// CHECK: arith.constant dense<1.250000e-01> : tensor<4xf64>
// CHECK: jet.seed {{.*}} -> !jet.jet<order = 2, dirs = 4, tensor<4x3xf64>, [dense, zero]>
func.func @half_laplacian(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %d = stde.diff @u(%theta, %xs) [0.5 * [0, 0], 0.5 * [1, 1]] estimator(#stde.dense<distribution = rademacher, samples = 4>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %d : tensor<4xf64>
}

// A general second-order part is eigendecomposed on the coordinates it
// involves ({1, 2}): u_12 = E[d2u(M+ z)] - E[d2u(M- z)] with M+- = (0, 1/2, +-1/2).
// CHECK-LABEL: func.func @mixed_dense
// CHECK: rng.draw gaussian %{{.*}}, %{{.*}} stream [[PLUS:[0-9]+]] : tensor<2x4x1xf64>
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [0.4999{{[0-9]*}}], [0.4999{{[0-9]*}}]]> : tensor<3x1xf64>
// CHECK: arith.constant dense<5.000000e-01> : tensor<2xf64>
// CHECK-NOT: stream [[PLUS]] :
// CHECK: rng.draw gaussian {{.*}} : tensor<2x4x1xf64>
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [0.4999{{[0-9]*}}], [-0.4999{{[0-9]*}}]]> : tensor<3x1xf64>
// CHECK: arith.constant dense<-5.000000e-01> : tensor<2xf64>
func.func @mixed_dense(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %d = stde.diff @u(%theta, %xs) [1.0 * [1, 2]] estimator(#stde.dense<distribution = gaussian, samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %d : tensor<4xf64>
}

// Hutchinson in 10^5 dimensions: the operator's matrix is never formed
// (it was 10^10 doubles before), tangents are drawn directly.
stde.network @wide(%theta: tensor<100001xf32>, %x: tensor<100000xf32>) -> f32 {
  %o = stde.dense %x, %theta[0] : (tensor<100000xf32>, tensor<100001xf32>) -> tensor<1xf32>
  %a = stde.activation tanh %o : tensor<1xf32>
  %u = stde.sum %a : tensor<1xf32> -> f32
  stde.return %u : f32
}
// CHECK-LABEL: func.func @wide_hutchinson
// CHECK: rng.draw rademacher {{.*}} : tensor<2x2x100000xf32>
// CHECK: arith.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK: jet.seed {{.*}} -> !jet.jet<order = 2, dirs = 2, tensor<2x100000xf32>, [dense, zero]>
func.func @wide_hutchinson(%theta: tensor<100001xf32>, %xs: tensor<2x100000xf32>) -> tensor<2xf32> {
  %l = stde.laplacian @wide(%theta, %xs) estimator(#stde.dense<distribution = rademacher, samples = 2>) : (tensor<100001xf32>, tensor<2x100000xf32>) -> tensor<2xf32>
  return %l : tensor<2xf32>
}

// An operator without an estimator takes its loss's, here sparse with two
// sampled coordinates (the option's default, exact, would push all three):
// the lowering needs random numbers, and two one-hot directions.
// CHECK-LABEL: func.func @estimator_on_the_loss
// CHECK-SAME: %[[SEED:[a-z0-9]+]]: i64 {stde.random = "seed"}, %[[STEP:[a-z0-9]+]]: i64 {stde.random = "step"}) -> f64
// CHECK: %[[J:.*]] = rng.sample %[[SEED]], %[[STEP]] stream {{[0-9]+}} population 3 : tensor<2xindex>
// CHECK: jet.seed %{{.*}}, %[[J]] : {{.*}} -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
// CHECK-NOT: stde.laplacian
// CHECK: return
func.func @estimator_on_the_loss(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  %l = stde.laplacian @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %L = stde.loss %l estimator(#stde.sparse<samples = 2>) : tensor<4xf64> -> f64
  return %L : f64
}
