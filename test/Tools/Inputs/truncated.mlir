stde.network @u(%theta: tensor<9xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<9xf64>) ->
