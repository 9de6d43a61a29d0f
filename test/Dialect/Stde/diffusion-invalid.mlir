// RUN: stde-opt %s -split-input-file -verify-diagnostics

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>, %s: tensor<5x3xf64>) {
  // expected-error @+1 {{sigma must be 'tensor<5x2xf64>' (its diagonal at every point) or 'tensor<5x2x2xf64>' (the whole matrix at every point), got 'tensor<5x3xf64>'}}
  %0 = stde.diffusion @u(%theta, %xs) sigma(%s) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>, %s: tensor<5x2xf64>, %b: tensor<2xf64>) {
  // expected-error @+1 {{drift must be 'tensor<5x2xf64>' (one vector b per point), got 'tensor<2xf64>'}}
  %0 = stde.diffusion @u(%theta, %xs) sigma(%s) drift(%b) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2xf64>, tensor<2xf64>) -> tensor<5xf64>
  return
}

// -----

// sigma of a space-time network covers the space coordinates only.
stde.network @w(%theta: tensor<12xf64>, %x: tensor<3xf64>) -> f64 attributes {space_time} {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<12xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<12xf64>, %xts: tensor<5x3xf64>, %s: tensor<5x3xf64>) {
  // expected-error @+1 {{sigma must be 'tensor<5x2xf64>'}}
  %0 = stde.diffusion @w(%theta, %xts) sigma(%s) : (tensor<12xf64>, tensor<5x3xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>, %s: tensor<5x2xf64>) {
  // expected-error @+1 {{samples 3 coordinates without replacement, but network @u has only 2 spatial coordinates}}
  %0 = stde.diffusion @u(%theta, %xs) sigma(%s) estimator(#stde.sparse<samples = 3>) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>, %s: tensor<5x2xf32>) {
  // expected-error @+1 {{sigma must be 'tensor<5x2xf64>'}}
  %0 = stde.diffusion @u(%theta, %xs) sigma(%s) : (tensor<9xf64>, tensor<5x2xf64>, tensor<5x2xf32>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{power must be a finite number >= 1 (|u_i|^p is then differentiable in the parameters), got 5.000000e-01}}
  %0 = stde.grad_norm @u(%theta, %xs) power 0.5 : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{dense random tangents estimate sum_i |u_i|^p for p = 2 only (E[(grad u . z)^2] = |grad u|^2); this one has p = 1.750000e+00: use #stde.sparse or #stde.exact}}
  %0 = stde.grad_norm @u(%theta, %xs) power 1.75 estimator(#stde.dense<distribution = rademacher, samples = 4>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{cannot use #stde.zo}}
  %0 = stde.grad_norm @u(%theta, %xs) power 2.0 estimator(#stde.zo<eps = 1.0e-3, rank = 1, pairs = 1>) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}
