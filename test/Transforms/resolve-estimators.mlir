// RUN: stde-opt %s --stde-resolve-estimators | FileCheck %s --check-prefixes=CHECK,EXACT
// RUN: stde-opt %s --stde-resolve-estimators='default="#stde.dense<distribution = rademacher, samples = 4>"' | FileCheck %s --check-prefixes=CHECK,DENSE

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}

// An operator's own estimator is kept; operators feeding a loss with an
// estimator inherit it, through any arithmetic in between.
// CHECK-LABEL: func.func @inherit
func.func @inherit(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) -> f64 {
  // CHECK: stde.laplacian @u(%{{.*}}) estimator(#stde.sparse<samples = 2>)
  %0 = stde.laplacian @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.biharmonic @u(%{{.*}}) estimator(#stde.exact)
  %1 = stde.biharmonic @u(%theta, %xs) estimator(#stde.exact) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // CHECK: stde.diff @u(%{{.*}}) [1.000000e+00 * [0, 1]] estimator(#stde.sparse<samples = 2>)
  %2 = stde.diff @u(%theta, %xs) [1.0 * [0, 1]] : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %3 = arith.addf %0, %1 : tensor<5xf64>
  %4 = math.sin %2 : tensor<5xf64>
  %5 = arith.mulf %3, %4 : tensor<5xf64>
  // CHECK: stde.loss %{{.*}} estimator(#stde.sparse<samples = 2>)
  %L = stde.loss %5 estimator(#stde.sparse<samples = 2>) : tensor<5xf64> -> f64
  return %L : f64
}

// Without a loss estimator (or with a zeroth-order one, which says nothing
// about space) the pass default applies.
// CHECK-LABEL: func.func @fallback
func.func @fallback(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) -> (f64, tensor<5xf64>) {
  // EXACT: stde.laplacian @u(%{{.*}}) estimator(#stde.exact)
  // DENSE: stde.laplacian @u(%{{.*}}) estimator(#stde.dense<distribution = rademacher, samples = 4>)
  %0 = stde.laplacian @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // EXACT: stde.laplacian @u(%{{.*}}) estimator(#stde.exact)
  // DENSE: stde.laplacian @u(%{{.*}}) estimator(#stde.dense<distribution = rademacher, samples = 4>)
  %1 = stde.laplacian @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %L = stde.loss %0 estimator(#stde.zo<eps = 1.0e-2, rank = 2, pairs = 1>) : tensor<5xf64> -> f64
  // Operators that have no estimator slot are left alone.
  // CHECK: stde.apply @u(%{{.*}}) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %2 = stde.apply @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %3 = arith.addf %1, %2 : tensor<5xf64>
  return %L, %3 : f64, tensor<5xf64>
}
