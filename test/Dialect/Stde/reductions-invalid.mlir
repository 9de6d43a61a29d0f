// RUN: stde-opt %s -split-input-file -verify-diagnostics

func.func @f(%v: tensor<4xf64>) -> f32 {
  // expected-error @+1 {{result type must be the element type of the input ('f64'), got 'f32'}}
  %0 = stde.sqnorm %v : tensor<4xf64> -> f32
  return %0 : f32
}

// -----

func.func @f(%v: tensor<4xf32>) -> f64 {
  // expected-error @+1 {{result type must be the element type of the input ('f32'), got 'f64'}}
  %0 = stde.sum %v : tensor<4xf32> -> f64
  return %0 : f64
}

// -----

func.func @f(%v: tensor<4x4xf32>) -> f32 {
  // expected-error @+1 {{operand #0 must be 1D tensor of 32-bit float or 64-bit float values}}
  %0 = stde.sum %v : tensor<4x4xf32> -> f32
  return %0 : f32
}
