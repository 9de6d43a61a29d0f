// RUN: stde-opt %s --split-input-file --verify-diagnostics --stde-resolve-estimators

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}

func.func @conflict(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) -> (f64, f64) {
  // expected-error @+1 {{feeds two losses with different estimators, #stde.sparse<samples = 1> and #stde.exact: give the operator its own estimator}}
  %0 = stde.laplacian @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  // expected-note @+1 {{first loss here}}
  %1 = stde.loss %0 estimator(#stde.sparse<samples = 1>) : tensor<5xf64> -> f64
  // expected-note @+1 {{second loss here}}
  %2 = stde.loss %0 estimator(#stde.exact) : tensor<5xf64> -> f64
  return %1, %2 : f64, f64
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}

func.func @too_many_samples(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) -> f64 {
  // The inherited estimator is checked against the network.
  // expected-error @+1 {{samples 16 coordinates without replacement, but network @u has only 2 spatial coordinates}}
  %0 = stde.laplacian @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  %1 = stde.loss %0 estimator(#stde.sparse<samples = 16>) : tensor<5xf64> -> f64
  return %1 : f64
}
