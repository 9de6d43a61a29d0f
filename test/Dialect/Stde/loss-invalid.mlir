// RUN: stde-opt %s -split-input-file -verify-diagnostics

func.func @f(%r: tensor<10xf64>) {
  // expected-error @+1 {{has 1 residual(s) but 2 weight(s): give one weight per residual}}
  %0 = stde.loss %r weights [1.0, 2.0] : tensor<10xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>, %s: tensor<3xf64>) {
  // expected-error @+1 {{weights must be finite and >= 0, got -1}}
  %0 = stde.loss %r, %s weights [1.0, -1.0] : tensor<10xf64>, tensor<3xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>) {
  // expected-error @+1 {{all weights are zero: the loss would be identically 0}}
  %0 = stde.loss %r weights [0.0] : tensor<10xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf32>) {
  // expected-error @+1 {{residual 'tensor<10xf32>' must have the loss's element type 'f64'}}
  %0 = stde.loss %r : tensor<10xf32> -> f64
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{needs at least one residual}}
  %0 = "stde.loss"() {form = 0 : i32} : () -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'form' [biased, unbiased]}}
  %0 = stde.loss %r form median : tensor<10xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>, %s: tensor<3xf64>, %q: tensor<10xf64>) {
  // expected-error @+1 {{has 2 residual(s) but 1 point weight vector(s): give one per residual, of its shape}}
  %0 = stde.loss %r, %s point_weights(%q : tensor<10xf64>) : tensor<10xf64>, tensor<3xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>, %q: tensor<8xf64>) {
  // expected-error @+1 {{point weights 0 have type 'tensor<8xf64>', but residual 0 is 'tensor<10xf64>': give one weight per point}}
  %0 = stde.loss %r point_weights(%q : tensor<8xf64>) : tensor<10xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>, %rb: tensor<3xf64>) {
  // expected-error @+1 {{has 2 residual(s) but 1 gradient weight(s): give one per residual (0 leaves a residual's gradient out)}}
  %0 = stde.loss %r, %rb gradient_weights [0.1] : tensor<10xf64>, tensor<3xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>) {
  // expected-error @+1 {{gradient weights must be finite and >= 0, got -1}}
  %0 = stde.loss %r gradient_weights [-1.0] : tensor<10xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>) {
  // expected-error @+1 {{gradient_samples 4 without gradient_weights: give one gradient weight per residual (gradient_weights [0.1]) or drop gradient_samples}}
  %0 = stde.loss %r gradient_samples 4 : tensor<10xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>) {
  // expected-error @+1 {{gradient_samples must be >= 1 (coordinates sampled per step), got 0}}
  %0 = stde.loss %r gradient_weights [0.1] gradient_samples 0 : tensor<10xf64> -> f64
  return
}

// -----

func.func @f(%r: tensor<10xf64>) {
  // expected-error @+1 {{gradient_time without gradient_weights: give one gradient weight per residual (gradient_weights [0.1]) or drop gradient_time}}
  %0 = stde.loss %r gradient_time : tensor<10xf64> -> f64
  return
}
