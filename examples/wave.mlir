// The wave equation in d = 100 space dimensions:
//   u_tt = Lap u on [-1, 1]^100 x [0, 1],  u(x, 0) = sum_i sinh(x_i),  u_t(x, 0) = 0,
// with the exact solution u* = cosh(t) sum_i sinh(x_i). The ansatz
// u = sum_i sinh(x_i) + t^2 MLP(x, t) meets both initial conditions; u = u*
// on the faces of the box is the second residual, on the boundary points
// %xb (one coordinate pinned to +-1 per point). u_tt is the second
// coefficient of the jet along e_t; the Laplacian over the 100 space
// coordinates is sparse STDE (16 sampled coordinates per step).
//
//   stde-train --problem examples/wave.mlir --steps 2000
module attributes {stde.domain = "box",
    stde.lower = array<f64: -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0, 0.0>,
    stde.upper = array<f64: 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>} {

// u = sum_i sinh(x_i) + t^2 MLP(x, t): 3 hidden tanh layers of 128.
stde.network @u(%theta: tensor<46209xf32>, %x: tensor<101xf32>) -> f32 attributes {space_time} {
  %h0 = stde.dense %x, %theta[0] : (tensor<101xf32>, tensor<46209xf32>) -> tensor<128xf32>
  %a0 = stde.activation tanh %h0 : tensor<128xf32>
  %h1 = stde.dense %a0, %theta[13056] : (tensor<128xf32>, tensor<46209xf32>) -> tensor<128xf32>
  %a1 = stde.activation tanh %h1 : tensor<128xf32>
  %h2 = stde.dense %a1, %theta[29568] : (tensor<128xf32>, tensor<46209xf32>) -> tensor<128xf32>
  %a2 = stde.activation tanh %h2 : tensor<128xf32>
  %h3 = stde.dense %a2, %theta[46080] : (tensor<128xf32>, tensor<46209xf32>) -> tensor<1xf32>
  %mlp = stde.sum %h3 : tensor<1xf32> -> f32
  %t_v = tensor.extract_slice %x[100] [1] [1] : tensor<101xf32> to tensor<1xf32>
  %t = stde.sum %t_v : tensor<1xf32> -> f32
  %space = tensor.extract_slice %x[0] [100] [1] : tensor<101xf32> to tensor<100xf32>
  %neg = arith.negf %space : tensor<100xf32>
  %em = math.exp %neg : tensor<100xf32>
  %ep = math.exp %space : tensor<100xf32>
  %diff = arith.subf %ep, %em : tensor<100xf32>
  %half = arith.constant dense<0.5> : tensor<100xf32>
  %sinh = arith.mulf %half, %diff : tensor<100xf32>
  %initial = stde.sum %sinh : tensor<100xf32> -> f32
  %t2 = arith.mulf %t, %t : f32
  %v = arith.mulf %t2, %mlp : f32
  %u = arith.addf %initial, %v : f32
  stde.return %u : f32
}

// The exact solution cosh(t) sum_i sinh(x_i).
stde.network @u_exact(%x: tensor<101xf32>) -> f32 attributes {space_time} {
  %t_v = tensor.extract_slice %x[100] [1] [1] : tensor<101xf32> to tensor<1xf32>
  %t = stde.sum %t_v : tensor<1xf32> -> f32
  %nt = arith.negf %t : f32
  %etm = math.exp %nt : f32
  %etp = math.exp %t : f32
  %esum = arith.addf %etp, %etm : f32
  %halfs = arith.constant 0.5 : f32
  %cosh = arith.mulf %halfs, %esum : f32
  %space = tensor.extract_slice %x[0] [100] [1] : tensor<101xf32> to tensor<100xf32>
  %neg = arith.negf %space : tensor<100xf32>
  %em = math.exp %neg : tensor<100xf32>
  %ep = math.exp %space : tensor<100xf32>
  %diff = arith.subf %ep, %em : tensor<100xf32>
  %half = arith.constant dense<0.5> : tensor<100xf32>
  %sinh = arith.mulf %half, %diff : tensor<100xf32>
  %s = stde.sum %sinh : tensor<100xf32> -> f32
  %u = arith.mulf %cosh, %s : f32
  stde.return %u : f32
}

func.func @loss(%theta: tensor<46209xf32>, %xs: tensor<100x101xf32>, %xb: tensor<20x101xf32>) -> f32 {
  %utt = stde.time_derivative @u(%theta, %xs) order 2 : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<46209xf32>, tensor<100x101xf32>) -> tensor<100xf32>
  %r = arith.subf %utt, %lap : tensor<100xf32>
  %ub = stde.apply @u(%theta, %xb) : (tensor<46209xf32>, tensor<20x101xf32>) -> tensor<20xf32>
  %gb = stde.apply @u_exact(%xb) : (tensor<20x101xf32>) -> tensor<20xf32>
  %rb = arith.subf %ub, %gb : tensor<20xf32>
  %L = stde.loss %r, %rb weights [1.0, 1.0] estimator(#stde.sparse<samples = 16>) : tensor<100xf32>, tensor<20xf32> -> f32
  return %L : f32
}
}
