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

// -----

func.func @f(%v: tensor<6xf64>) -> tensor<4xf64> {
  // expected-error @+1 {{blocks of 4 entries do not tile a vector of 6: the result's size must divide the input's}}
  %0 = stde.fold_blocks %v : tensor<6xf64> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @f(%v: tensor<6xf64>) -> tensor<3xf32> {
  // expected-error @+1 {{result elements 'f32' differ from the input's 'f64'}}
  %0 = stde.fold_blocks %v : tensor<6xf64> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @f(%v: tensor<?xf64>) -> tensor<3xf64> {
  // expected-error @+1 {{needs static sizes, got 'tensor<?xf64>' -> 'tensor<3xf64>'}}
  %0 = stde.fold_blocks %v : tensor<?xf64> -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// -----

func.func @f(%v: tensor<4xf64>) -> f32 {
  // expected-error @+1 {{result type must be the element type of the input ('f64'), got 'f32'}}
  %0 = stde.max %v : tensor<4xf64> -> f32
  return %0 : f32
}

// -----

func.func @f(%v: tensor<2x2xf64>) -> f64 {
  // expected-error @+1 {{operand #0 must be 1D tensor of 32-bit float or 64-bit float values}}
  %0 = stde.max %v : tensor<2x2xf64> -> f64
  return %0 : f64
}
