// A KdV/KP-type operator on a space-time network u(x, y, t) (time is the last
// coordinate): u_t + u_xxx + u_xxy + 3 u_yy, plus the nonlinear term 6 u u_x.
// stde.diff takes any linear combination of mixed partials; the jet planner
// chooses the pushforwards and their exact constants.
//
//   stde-opt examples/kdv_space_time.mlir

// Layout: 16 * 4 = 64, 16 * 17 = 272, 1 * 17 = 17; 353 parameters.
stde.network @u(%theta: tensor<353xf64>, %x: tensor<3xf64>) -> f64 attributes {space_time} {
  %h0 = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<353xf64>) -> tensor<16xf64>
  %a0 = stde.activation tanh %h0 : tensor<16xf64>
  %h1 = stde.dense %a0, %theta[64] : (tensor<16xf64>, tensor<353xf64>) -> tensor<16xf64>
  %a1 = stde.activation sigmoid %h1 : tensor<16xf64>
  %o = stde.dense %a1, %theta[336] : (tensor<16xf64>, tensor<353xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

func.func @loss(%theta: tensor<353xf64>, %xts: tensor<64x3xf64>) -> f64 {
  %ut = stde.time_derivative @u(%theta, %xts) order 1 : (tensor<353xf64>, tensor<64x3xf64>) -> tensor<64xf64>
  %lin = stde.diff @u(%theta, %xts) [1.0 * [0, 0, 0], 1.0 * [0, 0, 1], 3.0 * [1, 1]]
      estimator(#stde.exact) : (tensor<353xf64>, tensor<64x3xf64>) -> tensor<64xf64>
  %ex = arith.constant dense<[1.0, 0.0]> : tensor<2xf64>
  %ux = stde.grad @u(%theta, %xts) along %ex : (tensor<353xf64>, tensor<64x3xf64>, tensor<2xf64>) -> tensor<64xf64>
  %u = stde.apply @u(%theta, %xts) : (tensor<353xf64>, tensor<64x3xf64>) -> tensor<64xf64>
  %six = arith.constant dense<6.0> : tensor<64xf64>
  %uux = arith.mulf %u, %ux : tensor<64xf64>
  %nl = arith.mulf %six, %uux : tensor<64xf64>
  %r0 = arith.addf %ut, %lin : tensor<64xf64>
  %r = arith.addf %r0, %nl : tensor<64xf64>
  %L = stde.loss %r : tensor<64xf64> -> f64
  return %L : f64
}
