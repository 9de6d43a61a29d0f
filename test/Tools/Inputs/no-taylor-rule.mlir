// A network with an op that has no Taylor rule (input of diagnostics-once.test).
module attributes {stde.domain = "unit_ball"} {
stde.network @u(%theta: tensor<49xf64>, %x: tensor<4xf64>) -> f64 {
  %h0 = stde.dense %x, %theta[0] : (tensor<4xf64>, tensor<49xf64>) -> tensor<8xf64>
  %a0 = math.erf %h0 : tensor<8xf64>
  %h1 = stde.dense %a0, %theta[40] : (tensor<8xf64>, tensor<49xf64>) -> tensor<1xf64>
  %s = stde.sum %h1 : tensor<1xf64> -> f64
  stde.return %s : f64
}
func.func @loss(%theta: tensor<49xf64>, %xs: tensor<5x4xf64>) -> f64 {
  %l = stde.laplacian @u(%theta, %xs) : (tensor<49xf64>, tensor<5x4xf64>) -> tensor<5xf64>
  %L = stde.loss %l : tensor<5xf64> -> f64
  return %L : f64
}
}
