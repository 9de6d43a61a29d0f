// Gradient-enhanced losses: the partials d r / dx_j of each residual, by the
// chain rule through its arithmetic and one more derivative per operator.
// RUN: stde-opt --stde-lower-operators %s | FileCheck %s

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// r = sin u over every coordinate: d r / dx_j = cos(u) u_j, u_j from one
// order-1 jet along the basis (one direction per j, read per block), the
// mean of squares then 0.5 * sum_{j, p} (cos u u_j)^2 / 4.
// CHECK-LABEL: func.func @apply_every_coordinate
// CHECK: %[[U:.*]] = jet.coefficient %{{.*}}[0]
// CHECK: %[[SIN:.*]] = math.sin %[[U]] : tensor<4xf64>
// CHECK: linalg.dot ins(%[[SIN]], %[[SIN]]
// CHECK: %[[ALL:.*]] = arith.constant dense<[0, 1, 2]> : tensor<3xindex>
// CHECK: %[[J:.*]] = tensor.generate
// CHECK: tensor.extract %[[ALL]]
// CHECK: %[[SEED:.*]] = jet.seed %{{.*}}, %[[J]] : (tensor<4x3xf64>, tensor<3xindex>) -> !jet.jet<order = 1, dirs = 3, tensor<4x3xf64>, [onehot]>
// CHECK: %[[PUSH:.*]] = jet.pushforward @u(%{{.*}}, %[[SEED]])
// CHECK: %[[D1:.*]] = jet.coefficient %[[PUSH]][1] {{.*}} -> tensor<3x4xf64>
// CHECK: %[[BLOCKS:.*]] = tensor.expand_shape %[[D1]] {{\[\[}}0, 1], [2]] output_shape [3, 1, 4]
// CHECK: %[[UJ:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}}, %[[BLOCKS]] : tensor<3x1xf64>, tensor<3x1x4xf64>)
// CHECK: %[[COS:.*]] = math.cos %[[U]] : tensor<4xf64>
// CHECK: %[[SPREAD:.*]] = linalg.broadcast ins(%[[COS]] : tensor<4xf64>) outs(%{{.*}} : tensor<3x4xf64>) dimensions = [0]
// CHECK: %[[T:.*]] = arith.mulf %[[SPREAD]], %[[UJ]] : tensor<3x4xf64>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1]] : tensor<3x4xf64> into tensor<12xf64>
// CHECK: %[[DOT:.*]] = linalg.dot ins(%[[FLAT]], %{{.*}} : tensor<12xf64>, tensor<12xf64>)
// CHECK: %[[SUM:.*]] = tensor.extract %[[DOT]][]
// CHECK: %[[G:.*]] = arith.constant 1.250000e-01 : f64
// CHECK: arith.mulf %[[SUM]], %[[G]] : f64
func.func @apply_every_coordinate(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  %u = stde.apply @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %s = math.sin %u : tensor<4xf64>
  %L = stde.loss %s gradient_weights [0.5] : tensor<4xf64> -> f64
  return %L : f64
}

// r = Lap u - u, sparse: 2 of the 3 coordinates j sampled (stream 2^30);
// the Laplacian's partials sum_i u_iij with |J| = 1 split over the two j:
// one i per j, drawn independently and uniformly (stream 2^30 + 256 + 8,
// floor(3 u)), direction j pairing i_j with e_j; the factor is
// 0.1 * (3 / 2) / 4.
// CHECK-LABEL: func.func @laplacian_sampled
// CHECK: %[[K:.*]] = rng.sample %{{.*}}, %{{.*}} stream 1073741824 population 3 : tensor<2xindex>
// CHECK: %[[U:.*]] = rng.draw uniform %{{.*}}, %{{.*}} stream 1073742088 : tensor<2xf64>
// CHECK: %[[I:.*]] = tensor.generate
// CHECK: tensor.extract %[[U]]
// CHECK: arith.constant 3.000000e+00 : f64
// CHECK: arith.fptoui
// CHECK: } : tensor<2xindex>
// CHECK: %[[J:.*]] = tensor.generate
// CHECK: arith.divui
// CHECK: tensor.extract %[[K]]
// CHECK: } : tensor<2xindex>
// CHECK: jet.pushforward @u
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 1, 4] : tensor<2x4xf64> into tensor<2x1x4xf64>
// CHECK: arith.subf %{{.*}}, %{{.*}} : tensor<2x4xf64>
// CHECK: tensor.collapse_shape %{{.*}} : tensor<2x4xf64> into tensor<8xf64>
// CHECK: arith.constant 0.03750{{[0-9]*}} : f64
func.func @laplacian_sampled(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %r = arith.subf %lap, %u : tensor<4xf64>
  %L = stde.loss %r gradient_weights [0.1] gradient_samples 2 estimator(#stde.sparse<samples = 1>) : tensor<4xf64> -> f64
  return %L : f64
}

// The unbiased form: the replica's partials draw their own Laplacian
// samples but share the sampled coordinates j; the product of the two
// replicas' partials is summed.
// CHECK-LABEL: func.func @unbiased
// CHECK: %[[K:.*]] = rng.sample %{{.*}}, %{{.*}} stream 1073741824 population 3 : tensor<2xindex>
// CHECK: rng.draw uniform %{{.*}}, %{{.*}} stream 1073742088 : tensor<2xf64>
// CHECK: tensor.extract %[[K]]
// CHECK: rng.draw uniform %{{.*}}, %{{.*}} stream 1073742344 : tensor<2xf64>
// CHECK: tensor.extract %[[K]]
// CHECK: %[[A:.*]] = tensor.collapse_shape %{{.*}} : tensor<2x4xf64> into tensor<8xf64>
// CHECK: %[[B:.*]] = tensor.collapse_shape %{{.*}} : tensor<2x4xf64> into tensor<8xf64>
// CHECK: linalg.dot ins(%[[A]], %[[B]] : tensor<8xf64>, tensor<8xf64>)
func.func @unbiased(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %L = stde.loss %lap form unbiased gradient_weights [0.1] gradient_samples 2 estimator(#stde.sparse<samples = 1>) : tensor<4xf64> -> f64
  return %L : f64
}

stde.network @v(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 attributes {space_time} {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// gradient_time on a space-time network (x0, x1, t): r = u_t, the spatial
// partials u_tx over coordinates [0, 1] (2 x 4 values), then the partial
// along t (the last input, 2), u_tt (1 x 4 values), each term 0.5 / 4 times
// its sum of squares (t is never sampled: no Ds / m), added.
// CHECK-LABEL: func.func @time_partial
// CHECK-DAG: arith.constant dense<[0, 1]> : tensor<2xindex>
// CHECK-DAG: arith.constant dense<2> : tensor<1xindex>
// CHECK: linalg.dot ins({{.*}} : tensor<8xf64>, tensor<8xf64>)
// CHECK: %[[GS:.*]] = arith.constant 1.250000e-01 : f64
// CHECK: %[[S:.*]] = arith.mulf %{{.*}}, %[[GS]] : f64
// CHECK: linalg.dot ins({{.*}} : tensor<4xf64>, tensor<4xf64>)
// CHECK: %[[GT:.*]] = arith.constant 1.250000e-01 : f64
// CHECK: %[[T:.*]] = arith.mulf %{{.*}}, %[[GT]] : f64
// CHECK: arith.addf %[[S]], %[[T]] : f64
func.func @time_partial(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  %ut = stde.time_derivative @v(%theta, %xs) order 1 : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %L = stde.loss %ut gradient_weights [0.5] gradient_time : tensor<4xf64> -> f64
  return %L : f64
}
