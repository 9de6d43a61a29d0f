// Gradient-enhanced losses whose residual partials cannot be formed.
// RUN: stde-opt --stde-lower-operators %s -verify-diagnostics -split-input-file

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// A source given as data: its derivative is unknown.
func.func @data_source(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %f: tensor<4xf64>) -> f64 {
  %lap = stde.laplacian @u(%theta, %xs) estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %r = arith.subf %lap, %f : tensor<4xf64>
  // expected-error @+1 {{gradient_weights: the residual depends on argument #2 of the function, whose derivative along the points' coordinates is unknown; compute that term in the IR from the points (a fixed field: stde.apply @source(%xs)) or give this residual gradient weight 0}}
  %L = stde.loss %r gradient_weights [0.1] : tensor<4xf64> -> f64
  return %L : f64
}

// -----

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// No chain rule for |u|.
func.func @no_rule(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  %u = stde.apply @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %a = math.absf %u : tensor<4xf64>
  // expected-error @+1 {{gradient_weights: no chain rule for 'math.absf' in the residual}}
  %L = stde.loss %a gradient_weights [0.1] : tensor<4xf64> -> f64
  return %L : f64
}

// -----

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// Dense tangents: partials of the Laplacian only.
func.func @dense(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  // expected-error @+1 {{feeds a gradient-enhanced residual with estimator #stde.dense<distribution = rademacher, samples = 2>: dense tangents give the partials of the Laplacian only; use #stde.sparse or #stde.exact for this operator}}
  %d = stde.diff @u(%theta, %xs) [1.0 * [0, 1]] : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %L = stde.loss %d gradient_weights [0.1] estimator(#stde.dense<distribution = rademacher, samples = 2>) : tensor<4xf64> -> f64
  return %L : f64
}

// -----

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// |grad u|^2 has no partial rule.
func.func @grad_norm(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  // expected-error @+1 {{feeds a gradient-enhanced residual, but its partials d/dx_j have no rule (apply, laplacian, biharmonic, diff and time_derivative do): give this residual gradient weight 0}}
  %g = stde.grad_norm @u(%theta, %xs) power 2.0 estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %L = stde.loss %g gradient_weights [0.1] : tensor<4xf64> -> f64
  return %L : f64
}

// -----

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// Two batches of points in one residual.
func.func @two_batches(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>, %ys: tensor<4x3xf64>) -> f64 {
  %u = stde.apply @u(%theta, %xs) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %v = stde.apply @u(%theta, %ys) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %r = arith.subf %u, %v : tensor<4xf64>
  // expected-error @+1 {{gradient_weights: a residual combines operators at two batches of points; its gradient needs one batch}}
  %L = stde.loss %r gradient_weights [0.1] : tensor<4xf64> -> f64
  return %L : f64
}

// -----

stde.network @w(%theta: tensor<2001xf64>, %x: tensor<2000xf64>) -> f64 {
  %o = stde.dense %x, %theta[0] : (tensor<2000xf64>, tensor<2001xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// Exact partials of a Laplacian in d = 2000 over every coordinate: 4 x 10^6 directions.
func.func @too_many(%theta: tensor<2001xf64>, %xs: tensor<4x2000xf64>) -> f64 {
  // expected-error @+1 {{has exact partials of 2000 terms for each of 2000 coordinates j, 4000000 jet directions (at most 2097152): sample the coordinates (gradient_samples) or use #stde.sparse}}
  %lap = stde.laplacian @w(%theta, %xs) estimator(#stde.exact) : (tensor<2001xf64>, tensor<4x2000xf64>) -> tensor<4xf64>
  %L = stde.loss %lap gradient_weights [0.1] : tensor<4xf64> -> f64
  return %L : f64
}

// -----

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// The partial along t of a network without a time coordinate.
func.func @no_time(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> f64 {
  %lap = stde.laplacian @u(%theta, %xs) estimator(#stde.exact) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  // expected-error @+1 {{gradient_time: residual 0 is evaluated at points without a time coordinate (its network is not space_time): drop gradient_time}}
  %L = stde.loss %lap gradient_weights [0.1] gradient_time : tensor<4xf64> -> f64
  return %L : f64
}
