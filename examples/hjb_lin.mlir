// Hamilton-Jacobi-Bellman with a linear solution, d = 100 (terminal form, T = 1):
//   u_t + Lap u - (1/d) sum_i |u_i|^c = -2,  u(x, T) = sum_i x_i,  c = 1.75;
// exact u = sum_i x_i + T - t (every u_i = 1, whatever c). The gradient term
// is stde.grad_norm (sum_i |u_i|^c): order-1 jets along 16 sampled basis
// vectors, rescaled by d/16; the Laplacian is sparse STDE. Points:
// x ~ N(0, I), t ~ U(0, 1) (the "gaussian" domain).
//
//   stde-train --problem examples/hjb_lin.mlir --steps 2000
module attributes {stde.domain = "gaussian", stde.horizon = 1.0 : f64} {

// u = g(x) + (T - t) MLP(x, t), g(x) = sum_i x_i: exact at t = T.
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
  %g = stde.sum %space : tensor<100xf32> -> f32
  %horizon = arith.constant 1.0 : f32
  %left = arith.subf %horizon, %t : f32
  %v = arith.mulf %left, %mlp : f32
  %u = arith.addf %g, %v : f32
  stde.return %u : f32
}

stde.network @u_exact(%x: tensor<101xf32>) -> f32 attributes {space_time} {
  %space = tensor.extract_slice %x[0] [100] [1] : tensor<101xf32> to tensor<100xf32>
  %t_v = tensor.extract_slice %x[100] [1] [1] : tensor<101xf32> to tensor<1xf32>
  %t = stde.sum %t_v : tensor<1xf32> -> f32
  %horizon = arith.constant 1.0 : f32
  %left = arith.subf %horizon, %t : f32
  %s = stde.sum %space : tensor<100xf32> -> f32
  %u = arith.addf %s, %left : f32
  stde.return %u : f32
}

func.func @loss(%theta: tensor<46209xf32>, %xs: tensor<100x101xf32>) -> f32 {
  %ut = stde.time_derivative @u(%theta, %xs) order 1 : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %norm = stde.grad_norm @u(%theta, %xs) power 1.75 : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %inv_d = arith.constant dense<0.01> : tensor<100xf32>
  %mean = arith.mulf %inv_d, %norm : tensor<100xf32>
  %two = arith.constant dense<2.0> : tensor<100xf32>
  %r0 = arith.addf %ut, %lap : tensor<100xf32>
  %r1 = arith.subf %r0, %mean : tensor<100xf32>
  %r = arith.addf %r1, %two : tensor<100xf32>
  %L = stde.loss %r estimator(#stde.sparse<samples = 16>) : tensor<100xf32> -> f32
  return %L : f32
}
}
