// The Kadomtsev-Petviashvili equation (a fourth-order, two-dimensional KdV):
//   u_tx + 6 (u_x^2 + u u_xx) + u_xxxx + 3 u_yy = 0
// on [-6, 6]^2 x [0, 1] (coordinates x, y, t). Its line soliton
// u* = sech^2((x + y/2 - 7t/4) / 2) / 2 is derived in
// lib/API/EvolutionProblems.cpp and checked by finite differences. The
// ansatz u = u*(x, y, 0) + t MLP(x, y, t) meets the initial value; u = u* on
// the faces is the second residual. u_tx is a mixed partial the jet planner
// extracts cleanly from one jet with a slot per coordinate; u_xxxx is the
// fourth coefficient of the jet along e_x.
//
//   stde-train --problem examples/kp.mlir --steps 2000
module attributes {stde.domain = "box", stde.lower = array<f64: -6.0, -6.0, 0.0>,
                   stde.upper = array<f64: 6.0, 6.0, 1.0>} {

// u = sech^2((x + y/2) / 2) / 2 + t MLP(x, y, t): 2 hidden tanh layers of 32.
stde.network @u(%theta: tensor<1217xf64>, %x: tensor<3xf64>) -> f64 attributes {space_time} {
  %h0 = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<1217xf64>) -> tensor<32xf64>
  %a0 = stde.activation tanh %h0 : tensor<32xf64>
  %h1 = stde.dense %a0, %theta[128] : (tensor<32xf64>, tensor<1217xf64>) -> tensor<32xf64>
  %a1 = stde.activation tanh %h1 : tensor<32xf64>
  %h2 = stde.dense %a1, %theta[1184] : (tensor<32xf64>, tensor<1217xf64>) -> tensor<1xf64>
  %mlp = stde.sum %h2 : tensor<1xf64> -> f64
  %x0_v = tensor.extract_slice %x[0] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %y0_v = tensor.extract_slice %x[1] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %t_v = tensor.extract_slice %x[2] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %x0 = stde.sum %x0_v : tensor<1xf64> -> f64
  %y0 = stde.sum %y0_v : tensor<1xf64> -> f64
  %t = stde.sum %t_v : tensor<1xf64> -> f64
  %half = arith.constant 0.5 : f64
  %hy = arith.mulf %half, %y0 : f64
  %s = arith.addf %x0, %hy : f64
  %z = arith.mulf %half, %s : f64
  %ez = math.exp %z : f64
  %nz = arith.negf %z : f64
  %emz = math.exp %nz : f64
  %sum = arith.addf %ez, %emz : f64
  %c = arith.mulf %half, %sum : f64
  %c2 = arith.mulf %c, %c : f64
  %initial = arith.divf %half, %c2 : f64
  %tm = arith.mulf %t, %mlp : f64
  %u = arith.addf %initial, %tm : f64
  stde.return %u : f64
}

// The exact solution sech^2((x + y/2 - 7t/4) / 2) / 2.
stde.network @u_exact(%x: tensor<3xf64>) -> f64 attributes {space_time} {
  %x0_v = tensor.extract_slice %x[0] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %y0_v = tensor.extract_slice %x[1] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %t_v = tensor.extract_slice %x[2] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %x0 = stde.sum %x0_v : tensor<1xf64> -> f64
  %y0 = stde.sum %y0_v : tensor<1xf64> -> f64
  %t = stde.sum %t_v : tensor<1xf64> -> f64
  %half = arith.constant 0.5 : f64
  %speed = arith.constant 1.75 : f64
  %hy = arith.mulf %half, %y0 : f64
  %s = arith.addf %x0, %hy : f64
  %wt = arith.mulf %speed, %t : f64
  %xi = arith.subf %s, %wt : f64
  %z = arith.mulf %half, %xi : f64
  %ez = math.exp %z : f64
  %nz = arith.negf %z : f64
  %emz = math.exp %nz : f64
  %sum = arith.addf %ez, %emz : f64
  %c = arith.mulf %half, %sum : f64
  %c2 = arith.mulf %c, %c : f64
  %u = arith.divf %half, %c2 : f64
  stde.return %u : f64
}

func.func @loss(%theta: tensor<1217xf64>, %xs: tensor<100x3xf64>, %xb: tensor<20x3xf64>) -> f64 {
  %lin = stde.diff @u(%theta, %xs) [1.0 * [0, 2], 1.0 * [0, 0, 0, 0], 3.0 * [1, 1]]
      : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %ux = stde.diff @u(%theta, %xs) [1.0 * [0]] : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %uxx = stde.diff @u(%theta, %xs) [1.0 * [0, 0]] : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %ux2 = arith.mulf %ux, %ux : tensor<100xf64>
  %uuxx = arith.mulf %u, %uxx : tensor<100xf64>
  %q = arith.addf %ux2, %uuxx : tensor<100xf64>
  %six = arith.constant dense<6.0> : tensor<100xf64>
  %n = arith.mulf %six, %q : tensor<100xf64>
  %r = arith.addf %lin, %n : tensor<100xf64>
  %ub = stde.apply @u(%theta, %xb) : (tensor<1217xf64>, tensor<20x3xf64>) -> tensor<20xf64>
  %gb = stde.apply @u_exact(%xb) : (tensor<20x3xf64>) -> tensor<20xf64>
  %rb = arith.subf %ub, %gb : tensor<20xf64>
  %L = stde.loss %r, %rb weights [1.0, 1.0] estimator(#stde.exact) : tensor<100xf64>, tensor<20xf64> -> f64
  return %L : f64
}
}
