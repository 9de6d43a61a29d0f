// Black-Scholes-Barenblatt in d = 100 (terminal form, T = 1):
//   u_t + (1/2) sum_i sigma^2 x_i^2 u_ii - r (u - x . grad u) = 0,  u(x, T) = |x|^2,
// sigma = 0.4, r = 0.05; exact u = exp((r + sigma^2)(T - t)) |x|^2.
// The second-order part is the generator of dX = r X dt + sigma X dW:
// stde.diffusion with a diagonal, point-dependent sigma(x) = 0.4 x (one row
// per point) and drift b(x) = 0.05 x. Its sparse estimator pushes one-hot
// tangents e_i for 16 sampled coordinates and weighs u_ii by sigma_i(x)^2;
// the drift is one order-1 jet along b. Points: x ~ N(0, I), t ~ U(0, 1)
// (the "gaussian" domain).
//
//   stde-opt examples/black_scholes_barenblatt.mlir --stde-lower-operators
//   stde-train --problem examples/black_scholes_barenblatt.mlir --steps 2000
module attributes {stde.domain = "gaussian", stde.horizon = 1.0 : f64} {

// u = g(x) + (T - t) g(x) MLP(x, t), g(x) = |x|^2: exact at t = T.
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
  %g = stde.sqnorm %space : tensor<100xf32> -> f32
  %horizon = arith.constant 1.0 : f32
  %left = arith.subf %horizon, %t : f32
  %v = arith.mulf %left, %mlp : f32
  %vg = arith.mulf %v, %g : f32
  %u = arith.addf %g, %vg : f32
  stde.return %u : f32
}

stde.network @u_exact(%x: tensor<101xf32>) -> f32 attributes {space_time} {
  %space = tensor.extract_slice %x[0] [100] [1] : tensor<101xf32> to tensor<100xf32>
  %t_v = tensor.extract_slice %x[100] [1] [1] : tensor<101xf32> to tensor<1xf32>
  %t = stde.sum %t_v : tensor<1xf32> -> f32
  %horizon = arith.constant 1.0 : f32
  %left = arith.subf %horizon, %t : f32
  %rate = arith.constant 0.21 : f32
  %exponent = arith.mulf %rate, %left : f32
  %growth = math.exp %exponent : f32
  %r2 = stde.sqnorm %space : tensor<100xf32> -> f32
  %u = arith.mulf %growth, %r2 : f32
  stde.return %u : f32
}

func.func @loss(%theta: tensor<46209xf32>, %xs: tensor<100x101xf32>) -> f32 {
  %ut = stde.time_derivative @u(%theta, %xs) order 1 : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %space = tensor.extract_slice %xs[0, 0] [100, 100] [1, 1] : tensor<100x101xf32> to tensor<100x100xf32>
  %volatility = arith.constant dense<0.4> : tensor<100x100xf32>
  %sigma = arith.mulf %space, %volatility : tensor<100x100xf32>
  %rate = arith.constant dense<0.05> : tensor<100x100xf32>
  %drift = arith.mulf %space, %rate : tensor<100x100xf32>
  %gen = stde.diffusion @u(%theta, %xs) sigma(%sigma) drift(%drift)
      : (tensor<46209xf32>, tensor<100x101xf32>, tensor<100x100xf32>, tensor<100x100xf32>) -> tensor<100xf32>
  %u = stde.apply @u(%theta, %xs) : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %discount = arith.constant dense<0.05> : tensor<100xf32>
  %ru = arith.mulf %discount, %u : tensor<100xf32>
  %r0 = arith.addf %ut, %gen : tensor<100xf32>
  %r = arith.subf %r0, %ru : tensor<100xf32>
  %L = stde.loss %r estimator(#stde.sparse<samples = 16>) : tensor<100xf32> -> f32
  return %L : f32
}
}
