// Input of problem-library.test: the built-in problem written as a file, which
// the module built by the problem library must equal (options in the test).
// stde problem 'hjb-lin', d = 3: u_t + Lap u - (1/d) sum_i |u_i|^1.75 = -2,
// u(x, 1) = sum_i x_i; exact u = sum_i x_i + 1 - t; x ~ N(0, I), t ~ U(0, 1).
module attributes {stde.domain = "gaussian", stde.horizon = 1.0 : f64} {

// u = g(x) + (T - t) * MLP(x, t), g(x) = sum_i x_i: exact at t = T = 1.
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
  %g = stde.sum %space : tensor<3xf64> -> f64
  %horizon = arith.constant 1.0 : f64
  %left = arith.subf %horizon, %t : f64
  %v = arith.mulf %left, %mlp : f64
  %u = arith.addf %g, %v : f64
  stde.return %u : f64
}

// The exact solution sum_i x_i + T - t.
stde.network @u_exact(%x: tensor<4xf64>) -> f64 attributes {space_time} {
  %space = tensor.extract_slice %x[0] [3] [1] : tensor<4xf64> to tensor<3xf64>
  %t_v = tensor.extract_slice %x[3] [1] [1] : tensor<4xf64> to tensor<1xf64>
  %t = stde.sum %t_v : tensor<1xf64> -> f64
  %horizon = arith.constant 1.0 : f64
  %left = arith.subf %horizon, %t : f64
  %s = stde.sum %space : tensor<3xf64> -> f64
  %u = arith.addf %s, %left : f64
  stde.return %u : f64
}

// The training loss on N = 5 points: u_t + Lap u - (1/3) sum_i |u_i|^1.75 + 2 = 0.
func.func @loss(%theta: tensor<79xf64>, %xs: tensor<5x4xf64>) -> f64 {
  %ut = stde.time_derivative @u(%theta, %xs) order 1 : (tensor<79xf64>, tensor<5x4xf64>) -> tensor<5xf64>
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<79xf64>, tensor<5x4xf64>) -> tensor<5xf64>
  %norm = stde.grad_norm @u(%theta, %xs) power 1.75 : (tensor<79xf64>, tensor<5x4xf64>) -> tensor<5xf64>
  %third = arith.constant dense<0.33333333333333331> : tensor<5xf64>
  %mean = arith.mulf %third, %norm : tensor<5xf64>
  %two = arith.constant dense<2.0> : tensor<5xf64>
  %r0 = arith.addf %ut, %lap : tensor<5xf64>
  %r1 = arith.subf %r0, %mean : tensor<5xf64>
  %r = arith.addf %r1, %two : tensor<5xf64>
  %L = stde.loss %r estimator(#stde.exact) : tensor<5xf64> -> f64
  return %L : f64
}
}
