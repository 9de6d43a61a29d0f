// A problem whose sparse estimator samples nothing (input of
// stde-train-remarks.test): two mixed-partial terms of different patterns.
module attributes {stde.domain = "unit_ball"} {
stde.network @u(%theta: tensor<31xf32>, %x: tensor<3xf32>) -> f32 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf32>, tensor<31xf32>) -> tensor<6xf32>
  %a = stde.activation tanh %h : tensor<6xf32>
  %o = stde.dense %a, %theta[24] : (tensor<6xf32>, tensor<31xf32>) -> tensor<1xf32>
  %u = stde.sum %o : tensor<1xf32> -> f32
  stde.return %u : f32
}
func.func @loss(%theta: tensor<31xf32>, %xs: tensor<8x3xf32>) -> f32 {
  %d = stde.diff @u(%theta, %xs) [1.0 * [0, 1], 2.0 * [2, 2]] : (tensor<31xf32>, tensor<8x3xf32>) -> tensor<8xf32>
  %L = stde.loss %d estimator(#stde.sparse<samples = 4>) : tensor<8xf32> -> f32
  return %L : f32
}
}
