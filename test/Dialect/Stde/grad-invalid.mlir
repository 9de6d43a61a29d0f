// RUN: stde-opt %s -split-input-file -verify-diagnostics

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{result must be 'tensor<5x2xf64>' (one value per point), got 'tensor<5xf64>'}}
  %0 = stde.grad @u(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>, %v: tensor<3xf64>) {
  // expected-error @+1 {{direction must be 'tensor<2xf64>' (one for all points) or 'tensor<5x2xf64>' (one per point), got 'tensor<3xf64>'}}
  %0 = stde.grad @u(%theta, %xs) along %v : (tensor<9xf64>, tensor<5x2xf64>, tensor<3xf64>) -> tensor<5xf64>
  return
}
