// RUN: stde-opt %s -split-input-file -verify-diagnostics

func.func @f(%v: tensor<4xi32>) {
  // expected-error @+1 {{operand #0 must be 32-bit float or 64-bit float or ranked tensor of 32-bit float or 64-bit float values}}
  %0 = stde.activation tanh %v : tensor<4xi32>
  return
}

// -----

func.func @f(%v: tensor<4xf64>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [identity, tanh, sin, cos, exp, sigmoid, softplus]}}
  %0 = stde.activation relu %v : tensor<4xf64>
  return
}
