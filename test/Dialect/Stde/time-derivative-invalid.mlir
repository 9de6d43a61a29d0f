// RUN: stde-opt %s -split-input-file -verify-diagnostics

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
