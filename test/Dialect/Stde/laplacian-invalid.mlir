// RUN: stde-opt %s -split-input-file -verify-diagnostics

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x3xf64>) {
  // expected-error @+1 {{points have dimension 3 but network @u takes points of dimension 2}}
  %0 = stde.laplacian @u(%theta, %xs) : (tensor<9xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{samples 3 coordinates without replacement, but network @u has only 2 spatial coordinates: use samples <= 2 or #stde.exact}}
  %0 = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 3>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{a zeroth-order estimator perturbs the parameters of a loss; attach it to stde.loss}}
  %0 = stde.laplacian @u(%theta, %xs) estimator(#stde.zo<eps = 1.0e-3, rank = 4, pairs = 1>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}
