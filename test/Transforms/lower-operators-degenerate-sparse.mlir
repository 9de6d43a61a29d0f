// RUN: stde-opt --stde-lower-operators %s -verify-diagnostics -o /dev/null

// A sparse estimator whose every group of terms (terms of one multi-index
// pattern) fits in its share of the samples samples nothing: it says so.
// Operators that do sample (the Laplacian in 3 dimensions with 2 samples,
// many mixed terms of one pattern) say nothing.

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %a = stde.activation tanh %h : tensor<6xf64>
  %o = stde.dense %a, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

func.func @degenerate(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  // expected-remark @+1 {{#stde.sparse<samples = 4> computes this operator exactly: no group of its terms}}
  %d = stde.diff @u(%theta, %xs) [1.0 * [0, 1], 2.0 * [2, 2]] estimator(#stde.sparse<samples = 4>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  return %d : tensor<4xf64>
}

func.func @sampled(%theta: tensor<31xf64>, %xs: tensor<4x3xf64>) -> tensor<4xf64> {
  %l = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 2>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %d = stde.diff @u(%theta, %xs) [1.0 * [0, 1], 1.0 * [0, 2], 1.0 * [1, 2]] estimator(#stde.sparse<samples = 1>) : (tensor<31xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  %s = arith.addf %l, %d : tensor<4xf64>
  return %s : tensor<4xf64>
}
