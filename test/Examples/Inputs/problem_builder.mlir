// examples/problem_builder's problem written by hand as a problem file:
// Lap u + u_x0x1 + u^2 = f on the unit ball in d = 5, u* = (1 - |x|^2) a.x,
// a = (1, -0.5, 0.25, 0.8, -0.3), f = -14 a.x - 2 (a1 x0 + a0 x1) + u*^2.
module attributes {stde.domain = "unit_ball"} {

// u = (1 - |x|^2) MLP(x): 5 -> 24 -> 24 -> 1, tanh.
stde.network @u(%theta: tensor<769xf64>, %x: tensor<5xf64>) -> f64 {
  %h0 = stde.dense %x, %theta[0] : (tensor<5xf64>, tensor<769xf64>) -> tensor<24xf64>
  %a0 = stde.activation tanh %h0 : tensor<24xf64>
  %h1 = stde.dense %a0, %theta[144] : (tensor<24xf64>, tensor<769xf64>) -> tensor<24xf64>
  %a1 = stde.activation tanh %h1 : tensor<24xf64>
  %h2 = stde.dense %a1, %theta[744] : (tensor<24xf64>, tensor<769xf64>) -> tensor<1xf64>
  %mlp = stde.sum %h2 : tensor<1xf64> -> f64
  %r2 = stde.sqnorm %x : tensor<5xf64> -> f64
  %one = arith.constant 1.0 : f64
  %q = arith.subf %one, %r2 : f64
  %u = arith.mulf %q, %mlp : f64
  stde.return %u : f64
}

stde.network @u_exact(%x: tensor<5xf64>) -> f64 {
  %a = arith.constant dense<[1.0, -0.5, 0.25, 0.8, -0.3]> : tensor<5xf64>
  %ax_v = arith.mulf %a, %x : tensor<5xf64>
  %ax = stde.sum %ax_v : tensor<5xf64> -> f64
  %one = arith.constant 1.0 : f64
  %r2 = stde.sqnorm %x : tensor<5xf64> -> f64
  %q = arith.subf %one, %r2 : f64
  %u = arith.mulf %q, %ax : f64
  stde.return %u : f64
}

stde.network @source(%x: tensor<5xf64>) -> f64 {
  %a = arith.constant dense<[1.0, -0.5, 0.25, 0.8, -0.3]> : tensor<5xf64>
  %ax_v = arith.mulf %a, %x : tensor<5xf64>
  %ax = stde.sum %ax_v : tensor<5xf64> -> f64
  %one = arith.constant 1.0 : f64
  %r2 = stde.sqnorm %x : tensor<5xf64> -> f64
  %q = arith.subf %one, %r2 : f64
  %u = arith.mulf %q, %ax : f64
  %k = arith.constant -14.0 : f64
  %lap = arith.mulf %k, %ax : f64
  %x0_v = tensor.extract_slice %x[0] [1] [1] : tensor<5xf64> to tensor<1xf64>
  %x0 = stde.sum %x0_v : tensor<1xf64> -> f64
  %x1_v = tensor.extract_slice %x[1] [1] [1] : tensor<5xf64> to tensor<1xf64>
  %x1 = stde.sum %x1_v : tensor<1xf64> -> f64
  %a1 = arith.constant -0.5 : f64
  %a1x0 = arith.mulf %a1, %x0 : f64
  %a0 = arith.constant 1.0 : f64
  %a0x1 = arith.mulf %a0, %x1 : f64
  %pair = arith.addf %a1x0, %a0x1 : f64
  %m2 = arith.constant -2.0 : f64
  %mixed = arith.mulf %m2, %pair : f64
  %lhs = arith.addf %lap, %mixed : f64
  %u2 = arith.mulf %u, %u : f64
  %f = arith.addf %lhs, %u2 : f64
  stde.return %f : f64
}

func.func @loss(%theta: tensor<769xf64>, %xs: tensor<64x5xf64>) -> f64 {
  %lap = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 3>) : (tensor<769xf64>, tensor<64x5xf64>) -> tensor<64xf64>
  %mixed = stde.diff @u(%theta, %xs) [1.0 * [0, 1]] estimator(#stde.exact) : (tensor<769xf64>, tensor<64x5xf64>) -> tensor<64xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<769xf64>, tensor<64x5xf64>) -> tensor<64xf64>
  %f = stde.apply @source(%xs) : (tensor<64x5xf64>) -> tensor<64xf64>
  %sum = arith.addf %lap, %mixed : tensor<64xf64>
  %u2 = arith.mulf %u, %u : tensor<64xf64>
  %lhs = arith.addf %sum, %u2 : tensor<64xf64>
  %r = arith.subf %lhs, %f : tensor<64xf64>
  %L = stde.loss %r : tensor<64xf64> -> f64
  return %L : f64
}
}
