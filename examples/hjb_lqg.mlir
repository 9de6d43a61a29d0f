// Hamilton-Jacobi-Bellman of a linear-quadratic-Gaussian control problem,
// d = 100 (terminal form, T = 1, mu = 1):
//   u_t + Lap u - mu |grad u|^2 = 0,  u(x, T) = ln((1 + |x|^2) / 2).
// No closed form: by Cole-Hopf u(0, 0) = -ln E[2 / (1 + 2 T Q)], Q ~ chi^2_d,
// 4.59016 for d = 100 (quadrature; Han, Jentzen and E report 4.5901); the
// error is measured there. Both operators use dense Rademacher tangents:
// Hutchinson for the Laplacian and E[(grad u . z)^2] = |grad u|^2 for the
// gradient norm. Points: t ~ U(0, 1), x ~ N(0, 2t I), the law of sqrt(2) W_t
// (the "brownian" domain): by Feynman-Kac u(0, 0) depends on u along those
// paths.
//
//   stde-train --problem examples/hjb_lqg.mlir --steps 2000
module attributes {stde.domain = "brownian", stde.horizon = 1.0 : f64,
                   stde.reference = {value = 4.59016 : f64}} {

// u = g(x) + (T - t) MLP(x, t), g(x) = ln((1 + |x|^2) / 2): exact at t = T.
stde.network @u(%theta: tensor<46209xf32>, %x: tensor<101xf32>) -> f32 attributes {space_time} {
  %h0 = stde.dense %x, %theta[0] : (tensor<101xf32>, tensor<46209xf32>) -> tensor<128xf32>
  %a0 = stde.activation tanh %h0 : tensor<128xf32>
  %h1 = stde.dense %a0, %theta[13056] : (tensor<128xf32>, tensor<46209xf32>) -> tensor<128xf32>
  %a1 = stde.activation tanh %h1 : tensor<128xf32>
  %h2 = stde.dense %a1, %theta[29568] : (tensor<128xf32>, tensor<46209xf32>) -> tensor<128xf32>
  %a2 = stde.activation tanh %h2 : tensor<128xf32>
  %h3 = stde.dense %a2, %theta[46080] : (tensor<128xf32>, tensor<46209xf32>) -> tensor<1xf32>
  %mlp = stde.sum %h3 : tensor<1xf32> -> f32
  %space = tensor.extract_slice %x[0] [100] [1] : tensor<101xf32> to tensor<100xf32>
  %t_v = tensor.extract_slice %x[100] [1] [1] : tensor<101xf32> to tensor<1xf32>
  %t = stde.sum %t_v : tensor<1xf32> -> f32
  %r2 = stde.sqnorm %space : tensor<100xf32> -> f32
  %one = arith.constant 1.0 : f32
  %half = arith.constant 0.5 : f32
  %q = arith.addf %one, %r2 : f32
  %q2 = arith.mulf %half, %q : f32
  %g = math.log %q2 : f32
  %horizon = arith.constant 1.0 : f32
  %left = arith.subf %horizon, %t : f32
  %v = arith.mulf %left, %mlp : f32
  %u = arith.addf %g, %v : f32
  stde.return %u : f32
}

func.func @loss(%theta: tensor<46209xf32>, %xs: tensor<100x101xf32>) -> f32 {
  %ut = stde.time_derivative @u(%theta, %xs) order 1 : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %norm = stde.grad_norm @u(%theta, %xs) power 2.0 : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %r0 = arith.addf %ut, %lap : tensor<100xf32>
  %r = arith.subf %r0, %norm : tensor<100xf32>
  %L = stde.loss %r estimator(#stde.dense<distribution = rademacher, samples = 16>) : tensor<100xf32> -> f32
  return %L : f32
}
}
