// RUN: stde-opt %s -split-input-file -verify-diagnostics

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
