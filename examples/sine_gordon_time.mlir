// Time-dependent Sine-Gordon in terminal form (docs/MATH.md section 5),
// d = 10 space coordinates plus time, scaled by d as the published setting:
//   u_t + Lap u + d sin(u / d) = 0,   u(x, T) = 5d / (10 + 2|x|^2),   T = 0.3
// (u = d v with v_t + Lap v + sin v = 0: where Brownian paths from the
// origin go, |x|^2 ~ 2td, u stays of order one at every d). The Laplacian is
// estimated with Rademacher (Hutchinson) tangents; the terminal condition is
// a second residual on terminal points (drawn on t = T), weight 20. The
// error is measured at u(0, 0) against the published reference times d.
//
//   stde-opt examples/sine_gordon_time.mlir
//   stde-train --problem examples/sine_gordon_time.mlir --steps 2000
//   (the built-in problem: stde-train --problem sine-gordon-time --dim 10)

module attributes {stde.domain = "brownian", stde.horizon = 0.3 : f64,
                   stde.reference = {value = 3.22947 : f64}} {

// Layout: 64 * 12 = 768, 64 * 65 = 4160, 1 * 65 = 65; 4993 parameters.
stde.network @u(%theta: tensor<4993xf32>, %x: tensor<11xf32>) -> f32 attributes {space_time} {
  %h0 = stde.dense %x, %theta[0] : (tensor<11xf32>, tensor<4993xf32>) -> tensor<64xf32>
  %a0 = stde.activation tanh %h0 : tensor<64xf32>
  %h1 = stde.dense %a0, %theta[768] : (tensor<64xf32>, tensor<4993xf32>) -> tensor<64xf32>
  %a1 = stde.activation tanh %h1 : tensor<64xf32>
  %o = stde.dense %a1, %theta[4928] : (tensor<64xf32>, tensor<4993xf32>) -> tensor<1xf32>
  %u = stde.sum %o : tensor<1xf32> -> f32
  stde.return %u : f32
}

// The terminal data g(x) = 5d / (10 + 2|x|^2), d = 10.
stde.network @g(%x: tensor<11xf32>) -> f32 attributes {space_time} {
  %space = tensor.extract_slice %x[0] [10] [1] : tensor<11xf32> to tensor<10xf32>
  %r2 = stde.sqnorm %space : tensor<10xf32> -> f32
  %two = arith.constant 2.0 : f32
  %ten = arith.constant 10.0 : f32
  %fifty = arith.constant 50.0 : f32
  %s = arith.mulf %two, %r2 : f32
  %den = arith.addf %ten, %s : f32
  %g = arith.divf %fifty, %den : f32
  stde.return %g : f32
}

func.func @loss(%theta: tensor<4993xf32>, %xts: tensor<100x11xf32>, %xT: tensor<100x11xf32>) -> f32 {
  %ut = stde.time_derivative @u(%theta, %xts) order 1 : (tensor<4993xf32>, tensor<100x11xf32>) -> tensor<100xf32>
  %lap = stde.laplacian @u(%theta, %xts) estimator(#stde.dense<distribution = rademacher, samples = 16>)
      : (tensor<4993xf32>, tensor<100x11xf32>) -> tensor<100xf32>
  %u = stde.apply @u(%theta, %xts) : (tensor<4993xf32>, tensor<100x11xf32>) -> tensor<100xf32>
  %d = arith.constant dense<10.0> : tensor<100xf32>
  %scaled = arith.divf %u, %d : tensor<100xf32>
  %sin = math.sin %scaled : tensor<100xf32>
  %src = arith.mulf %d, %sin : tensor<100xf32>
  %r0 = arith.addf %ut, %lap : tensor<100xf32>
  %r = arith.addf %r0, %src : tensor<100xf32>
  %uT = stde.apply @u(%theta, %xT) : (tensor<4993xf32>, tensor<100x11xf32>) -> tensor<100xf32>
  %gT = stde.apply @g(%xT) : (tensor<100x11xf32>) -> tensor<100xf32>
  %rT = arith.subf %uT, %gT : tensor<100xf32>
  %L = stde.loss %r, %rT weights [1.0, 20.0] : tensor<100xf32>, tensor<100xf32> -> f32
  return %L : f32
}
}
