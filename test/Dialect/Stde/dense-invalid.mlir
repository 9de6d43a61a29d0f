// RUN: stde-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<3xf64>, %theta: tensor<10xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{needs parameters [4, 12) (2x3 weights + 2 biases) but the buffer holds 10}}
  %h = stde.dense %x, %theta[4] : (tensor<3xf64>, tensor<10xf64>) -> tensor<2xf64>
  return %h : tensor<2xf64>
}

// -----

func.func @f(%x: tensor<3xf32>, %theta: tensor<10xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{input, parameters and output must have one element type}}
  %h = stde.dense %x, %theta[0] : (tensor<3xf32>, tensor<10xf64>) -> tensor<2xf64>
  return %h : tensor<2xf64>
}

// -----

func.func @f(%x: tensor<?xf64>, %theta: tensor<10xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{needs static, non-empty shapes, got 'tensor<?xf64>'}}
  %h = stde.dense %x, %theta[0] : (tensor<?xf64>, tensor<10xf64>) -> tensor<2xf64>
  return %h : tensor<2xf64>
}

// -----

func.func @f(%x: tensor<3xf64>, %theta: tensor<10xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{attribute 'offset' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %h = stde.dense %x, %theta[-1] : (tensor<3xf64>, tensor<10xf64>) -> tensor<2xf64>
  return %h : tensor<2xf64>
}

// -----

func.func @f(%x: tensor<3x2xf64>, %theta: tensor<10xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{operand #0 must be 1D tensor of 32-bit float or 64-bit float values}}
  %h = stde.dense %x, %theta[0] : (tensor<3x2xf64>, tensor<10xf64>) -> tensor<2xf64>
  return %h : tensor<2xf64>
}
