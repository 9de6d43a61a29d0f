// RUN: not stde-opt --stde-lower-operators='estimator="#stde.zo<eps = 1.0, rank = 1, pairs = 1>"' %s 2>&1 | FileCheck %s --check-prefix=ESTIMATOR
// RUN: not stde-opt --stde-lower-operators='distribution=cauchy' %s 2>&1 | FileCheck %s --check-prefix=LAW
// RUN: not stde-opt --stde-lower-operators='seed=-3' %s 2>&1 | FileCheck %s --check-prefix=SEED
// RUN: stde-opt --stde-lower-operators='estimator="#stde.dense<distribution = gaussian, samples = 2>"' %s -verify-diagnostics -split-input-file

// ESTIMATOR: is not a spatial estimator; use #stde.exact
// LAW: distribution='cauchy' is not one of rademacher, gaussian
// SEED: seed='-3' must be 'arguments' or a non-negative integer

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

func.func @third_order(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  // expected-error @+1 {{dense random tangents estimate operators of order <= 2 (and the biharmonic); this one has order 3: use #stde.sparse or #stde.exact}}
  %d = stde.diff @u(%theta, %xs) [1.0 * [0, 0, 1]] : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %d : tensor<4xf64>
}
