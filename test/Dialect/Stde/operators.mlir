// RUN: stde-opt %s | FileCheck %s
// RUN: stde-opt %s | stde-opt | FileCheck %s
// RUN: stde-opt %s --mlir-print-op-generic | stde-opt | FileCheck %s

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}

stde.network @w(%theta: tensor<12xf64>, %x: tensor<3xf64>) -> f64 attributes {space_time} {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<12xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}

stde.network @f(%x: tensor<2xf64>) -> f64 {
  %r2 = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %r2 : f64
}

// CHECK-LABEL: func.func @operators
func.func @operators(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>, %v: tensor<2xf64>,
                     %vs: tensor<5x2xf64>) {
  // CHECK: stde.apply @u(%{{.*}}, %{{.*}}) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %0 = stde.apply @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.apply @f(%{{.*}}) : (tensor<5x2xf64>) -> tensor<5xf64>
  %1 = stde.apply @f(%xs) : (tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.laplacian @u(%{{.*}}, %{{.*}}) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %2 = stde.laplacian @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.laplacian @u(%{{.*}}, %{{.*}}) estimator(#stde.sparse<samples = 2>)
  %3 = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 2>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.laplacian @f(%{{.*}}) estimator(#stde.dense<distribution = rademacher, samples = 64>)
  %4 = stde.laplacian @f(%xs) estimator(#stde.dense<distribution = rademacher, samples = 64>) : (tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.biharmonic @u(%{{.*}}, %{{.*}}) estimator(#stde.dense<distribution = gaussian, samples = 3>)
  %5 = stde.biharmonic @u(%theta, %xs) estimator(#stde.dense<distribution = gaussian, samples = 3>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.biharmonic @u(%{{.*}}, %{{.*}}) estimator(#stde.exact)
  %6 = stde.biharmonic @u(%theta, %xs) estimator(#stde.exact) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.diff @u(%{{.*}}, %{{.*}}) [1.000000e+00 * [0, 1], -2.500000e-01 * [0, 0, 1, 1], 3.000000e+00 * [1]]
  %7 = stde.diff @u(%theta, %xs) [1.0 * [0, 1], -0.25 * [0, 0, 1, 1], 3.0 * [1]] : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.diff @u(%{{.*}}, %{{.*}}) [1.000000e+00 * [0, 0], 1.000000e+00 * [1, 1]] estimator(#stde.dense<distribution = gaussian, samples = 4>)
  %8 = stde.diff @u(%theta, %xs) [1.0 * [0, 0], 1.0 * [1, 1]] estimator(#stde.dense<distribution = gaussian, samples = 4>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.grad @u(%{{.*}}, %{{.*}}) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5x2xf64>
  %9 = stde.grad @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5x2xf64>
  // CHECK: stde.grad @u(%{{.*}}, %{{.*}}) along %{{.*}} : (tensor<9xf64>, tensor<5x2xf64>, tensor<2xf64>) -> tensor<5xf64>
  %10 = stde.grad @u(%theta, %xs) along %v : (tensor<9xf64>, tensor<5x2xf64>, tensor<2xf64>) -> tensor<5xf64>
  // CHECK: stde.grad @u(%{{.*}}, %{{.*}}) along %{{.*}} : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %11 = stde.grad @u(%theta, %xs) along %vs : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.grad_norm @u(%{{.*}}, %{{.*}}) power 1.750000e+00 estimator(#stde.sparse<samples = 1>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %12 = stde.grad_norm @u(%theta, %xs) power 1.75 estimator(#stde.sparse<samples = 1>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.grad_norm @f(%{{.*}}) power 2.000000e+00 : (tensor<5x2xf64>) -> tensor<5xf64>
  %13 = stde.grad_norm @f(%xs) power 2.0 : (tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// Diffusion generators: diagonal sigma (one row per point) with a drift, full sigma without.
// CHECK-LABEL: func.func @diffusion
func.func @diffusion(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>, %s: tensor<5x2xf64>,
                     %b: tensor<5x2xf64>, %full: tensor<5x2x2xf64>) {
  // CHECK: stde.diffusion @u(%{{.*}}, %{{.*}}) sigma(%{{.*}}) drift(%{{.*}}) estimator(#stde.sparse<samples = 1>) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %0 = stde.diffusion @u(%theta, %xs) sigma(%s) drift(%b) estimator(#stde.sparse<samples = 1>) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.diffusion @u(%{{.*}}, %{{.*}}) sigma(%{{.*}}) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2x2xf64>) -> tensor<5xf64>
  %1 = stde.diffusion @u(%theta, %xs) sigma(%full) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2x2xf64>) -> tensor<5xf64>
  // CHECK: stde.diffusion @f(%{{.*}}) sigma(%{{.*}}) estimator(#stde.dense<distribution = gaussian, samples = 3>)
  %2 = stde.diffusion @f(%xs) sigma(%s) estimator(#stde.dense<distribution = gaussian, samples = 3>) : (tensor<5x2xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// Space-time: spatial operators see the first D - 1 coordinates.
// CHECK-LABEL: func.func @space_time
func.func @space_time(%theta: tensor<12xf64>, %xts: tensor<?x3xf64>, %s: tensor<?x2xf64>) {
  // CHECK: stde.time_derivative @w(%{{.*}}, %{{.*}}) order 2 : (tensor<12xf64>, tensor<?x3xf64>) -> tensor<?xf64>
  %0 = stde.time_derivative @w(%theta, %xts) order 2 : (tensor<12xf64>, tensor<?x3xf64>) -> tensor<?xf64>
  // CHECK: stde.grad @w(%{{.*}}, %{{.*}}) : (tensor<12xf64>, tensor<?x3xf64>) -> tensor<?x2xf64>
  %1 = stde.grad @w(%theta, %xts) : (tensor<12xf64>, tensor<?x3xf64>) -> tensor<?x2xf64>
  // CHECK: stde.laplacian @w(%{{.*}}, %{{.*}}) estimator(#stde.sparse<samples = 2>)
  %2 = stde.laplacian @w(%theta, %xts) estimator(#stde.sparse<samples = 2>) : (tensor<12xf64>, tensor<?x3xf64>) -> tensor<?xf64>
  // Time is coordinate 2 in a multi-index: u_t + u_xx.
  // CHECK: stde.diff @w(%{{.*}}, %{{.*}}) [1.000000e+00 * [2], 1.000000e+00 * [0, 0]]
  %3 = stde.diff @w(%theta, %xts) [1.0 * [2], 1.0 * [0, 0]] : (tensor<12xf64>, tensor<?x3xf64>) -> tensor<?xf64>
  // sigma and drift cover the two space coordinates only.
  // CHECK: stde.diffusion @w(%{{.*}}, %{{.*}}) sigma(%{{.*}}) : (tensor<12xf64>, tensor<?x3xf64>, tensor<?x2xf64>) -> tensor<?xf64>
  %4 = stde.diffusion @w(%theta, %xts) sigma(%s) : (tensor<12xf64>, tensor<?x3xf64>, tensor<?x2xf64>) -> tensor<?xf64>
  return
}
