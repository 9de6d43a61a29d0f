// RUN: stde-opt %s -split-input-file -verify-diagnostics

func.func @test(%xs: tensor<5x2xf64>) {
  // expected-error @+1 {{refers to unknown network @nope}}
  %0 = stde.apply @nope(%xs) : (tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

func.func @g(%x: f64) -> f64 { return %x : f64 }
func.func @test(%xs: tensor<5x2xf64>) {
  // expected-error @+1 {{refers to @g, which is a 'func.func', not a stde.network}}
  %0 = stde.apply @g(%xs) : (tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%xs: tensor<5x2xf64>) {
  // expected-error @+1 {{network @u takes parameters: pass them before the points, ('tensor<9xf64>', points)}}
  %0 = stde.apply @u(%xs) : (tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @f(%x: tensor<2xf64>) -> f64 {
  %r2 = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %r2 : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{network @f is a fixed field without parameters, but parameters were passed}}
  %0 = stde.apply @f(%theta, %xs) : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<8xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{parameters have type 'tensor<8xf64>' but network @u takes 'tensor<9xf64>'}}
  %0 = stde.apply @u(%theta, %xs) : (tensor<8xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @f(%x: tensor<2xf64>) -> f64 {
  %r2 = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %r2 : f64
}
func.func @test(%xs: tensor<5x2xf32>) {
  // expected-error @+1 {{points have element type 'f32' but network @f uses 'f64'}}
  %0 = stde.apply @f(%xs) : (tensor<5x2xf32>) -> tensor<5xf32>
  return
}

// -----

stde.network @f(%x: tensor<2xf64>) -> f64 {
  %r2 = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %r2 : f64
}
func.func @test(%xs: tensor<5x2xf64>) {
  // expected-error @+1 {{result must be 'tensor<5xf64>' (one value per point), got 'tensor<4xf64>'}}
  %0 = stde.apply @f(%xs) : (tensor<5x2xf64>) -> tensor<4xf64>
  return
}
