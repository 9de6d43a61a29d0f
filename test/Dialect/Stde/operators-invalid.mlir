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

stde.network @w(%theta: tensor<12xf64>, %x: tensor<3xf64>) -> f64 attributes {space_time} {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<12xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<12xf64>, %xs: tensor<5x3xf64>) {
  // The time coordinate is not sampled: only 2 spatial coordinates.
  // expected-error @+1 {{samples 3 coordinates without replacement, but network @w has only 2 spatial coordinates}}
  %0 = stde.biharmonic @w(%theta, %xs) estimator(#stde.sparse<samples = 3>) : (tensor<12xf64>, tensor<5x3xf64>) -> tensor<5xf64>
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

// -----

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

// -----

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

// -----

stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) -> tensor<3xf64>
  %a = stde.activation tanh %h : tensor<3xf64>
  %u = stde.sum %a : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<9xf64>, %xs: tensor<5x2xf64>) {
  // expected-error @+1 {{network @u has no time coordinate: mark it `attributes {space_time}`}}
  %0 = stde.time_derivative @u(%theta, %xs) order 1 : (tensor<9xf64>, tensor<5x2xf64>) -> tensor<5xf64>
  return
}

// -----

stde.network @w(%theta: tensor<12xf64>, %x: tensor<3xf64>) -> f64 attributes {space_time} {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<12xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
func.func @test(%theta: tensor<12xf64>, %xs: tensor<5x3xf64>) {
  // expected-error @+1 {{attribute 'order' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = stde.time_derivative @w(%theta, %xs) order 0 : (tensor<12xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  return
}
