// Input of problem-library.test: the built-in problem written as a file, which
// the module built by the problem library must equal (options in the test).
// stde problem 'bsb' (Black-Scholes-Barenblatt), d = 3:
// u_t + (1/2) sum_i 0.16 x_i^2 u_ii - 0.05 (u - x . grad u) = 0, u(x, 1) = |x|^2;
// exact u = exp(0.21 (1 - t)) |x|^2; x ~ N(0, I), t ~ U(0, 1).
module attributes {stde.domain = "gaussian", stde.horizon = 1.0 : f64} {

// u = g(x) + (T - t) g(x) MLP(x, t), g(x) = |x|^2: exact at t = T = 1.
stde.network @u(%theta: tensor<79xf64>, %x: tensor<4xf64>) -> f64 attributes {space_time} {
  %h0 = stde.dense %x, %theta[0] : (tensor<4xf64>, tensor<79xf64>) -> tensor<6xf64>
  %a0 = stde.activation tanh %h0 : tensor<6xf64>
  %h1 = stde.dense %a0, %theta[30] : (tensor<6xf64>, tensor<79xf64>) -> tensor<6xf64>
  %a1 = stde.activation tanh %h1 : tensor<6xf64>
  %h2 = stde.dense %a1, %theta[72] : (tensor<6xf64>, tensor<79xf64>) -> tensor<1xf64>
  %mlp = stde.sum %h2 : tensor<1xf64> -> f64
  %space = tensor.extract_slice %x[0] [3] [1] : tensor<4xf64> to tensor<3xf64>
  %t_v = tensor.extract_slice %x[3] [1] [1] : tensor<4xf64> to tensor<1xf64>
  %t = stde.sum %t_v : tensor<1xf64> -> f64
  %g = stde.sqnorm %space : tensor<3xf64> -> f64
  %horizon = arith.constant 1.0 : f64
  %left = arith.subf %horizon, %t : f64
  %v = arith.mulf %left, %mlp : f64
  %vg = arith.mulf %v, %g : f64
  %u = arith.addf %g, %vg : f64
  stde.return %u : f64
}

// The exact solution exp((r + sigma^2)(T - t)) |x|^2, r + sigma^2 = 0.21.
stde.network @u_exact(%x: tensor<4xf64>) -> f64 attributes {space_time} {
  %space = tensor.extract_slice %x[0] [3] [1] : tensor<4xf64> to tensor<3xf64>
  %t_v = tensor.extract_slice %x[3] [1] [1] : tensor<4xf64> to tensor<1xf64>
  %t = stde.sum %t_v : tensor<1xf64> -> f64
  %horizon = arith.constant 1.0 : f64
  %left = arith.subf %horizon, %t : f64
  %rate = arith.constant 0.21000000000000002 : f64
  %exponent = arith.mulf %rate, %left : f64
  %r2 = stde.sqnorm %space : tensor<3xf64> -> f64
  %growth = math.exp %exponent : f64
  %u = arith.mulf %growth, %r2 : f64
  stde.return %u : f64
}

// The training loss on N = 5 points: u_t + diffusion(sigma = diag(0.4 x),
// b = 0.05 x) - 0.05 u = 0.
func.func @loss(%theta: tensor<79xf64>, %xs: tensor<5x4xf64>) -> f64 {
  %ut = stde.time_derivative @u(%theta, %xs) order 1 : (tensor<79xf64>, tensor<5x4xf64>) -> tensor<5xf64>
  %space = tensor.extract_slice %xs[0, 0] [5, 3] [1, 1] : tensor<5x4xf64> to tensor<5x3xf64>
  %volatility = arith.constant dense<0.4> : tensor<5x3xf64>
  %sigma = arith.mulf %space, %volatility : tensor<5x3xf64>
  %space2 = tensor.extract_slice %xs[0, 0] [5, 3] [1, 1] : tensor<5x4xf64> to tensor<5x3xf64>
  %rate = arith.constant dense<0.05> : tensor<5x3xf64>
  %drift = arith.mulf %space2, %rate : tensor<5x3xf64>
  %gen = stde.diffusion @u(%theta, %xs) sigma(%sigma) drift(%drift) : (tensor<79xf64>, tensor<5x4xf64>, tensor<5x3xf64>, tensor<5x3xf64>) -> tensor<5xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<79xf64>, tensor<5x4xf64>) -> tensor<5xf64>
  %discount = arith.constant dense<0.05> : tensor<5xf64>
  %ru = arith.mulf %discount, %u : tensor<5xf64>
  %r0 = arith.addf %ut, %gen : tensor<5xf64>
  %r = arith.subf %r0, %ru : tensor<5xf64>
  %L = stde.loss %r estimator(#stde.exact) : tensor<5xf64> -> f64
  return %L : f64
}
}
