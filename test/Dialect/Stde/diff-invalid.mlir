// RUN: stde-opt %s -split-input-file -verify-diagnostics

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{term #stde.term<1.000000e+00 * [0, 2]> differentiates coordinate 2, but network @u has coordinates 0..1}}
  %0 = stde.diff @u(%theta, %xs) [1.0 * [0, 2]] : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
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
  // expected-error @+1 {{multi-index [0, 1] appears in two terms: merge their coefficients}}
  %0 = stde.diff @u(%theta, %xs) [1.0 * [0, 1], 2.0 * [0, 1]] : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
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
  // expected-error @+1 {{needs at least one term}}
  %0 = stde.diff @u(%theta, %xs) [] : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
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
  // expected-error @+1 {{dense random tangents estimate second-order operators; this one has order 3: use #stde.sparse or #stde.exact}}
  %0 = stde.diff @u(%theta, %xs) [1.0 * [0, 0, 1]] estimator(#stde.dense<distribution = gaussian, samples = 4>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
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
  // expected-error @+1 {{multi-index must be sorted (non-decreasing)}}
  %0 = stde.diff @u(%theta, %xs) [1.0 * [1, 0]] : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}
