// A (2+1)-dimensional KdV-type equation with mixed partials up to u_xxxy:
//   u_ty + u_xxxy + 3 (u_xy u_x + u_y u_xx) - u_xx + 2 u_yy = 0
// on [-4, 4]^2 x [0, 1] (coordinates x, y, t). Its travelling kink
// u* = tanh((x + y - 2t) / 2) is derived in lib/API/EvolutionProblems.cpp and
// checked by finite differences (test/Unit/EvolutionProblemsTest.cpp). The
// ansatz u = u*(x, y, 0) + t MLP(x, y, t) meets the initial value; u = u* on
// the faces is the second residual, on the boundary points %xb. Every
// derivative is an exact jet: the jet planner finds u_ty, u_xxxy and u_xy
// from jets with one coordinate per slot (docs/MATH.md section 2), and
// jet-simplify merges the jets the terms share.
//
//   stde-opt examples/kdv_2d.mlir --stde-lower-operators
//   stde-train --problem examples/kdv_2d.mlir --steps 2000
module attributes {stde.domain = "box", stde.lower = array<f64: -4.0, -4.0, 0.0>,
                   stde.upper = array<f64: 4.0, 4.0, 1.0>} {

// u = tanh((x + y) / 2) + t MLP(x, y, t): 2 hidden tanh layers of 32.
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
  %s = arith.addf %x0, %y0 : f64
  %half = arith.constant 0.5 : f64
  %z = arith.mulf %half, %s : f64
  %initial = math.tanh %z : f64
  %tm = arith.mulf %t, %mlp : f64
  %u = arith.addf %initial, %tm : f64
  stde.return %u : f64
}

// The exact solution tanh((x + y - 2t) / 2).
stde.network @u_exact(%x: tensor<3xf64>) -> f64 attributes {space_time} {
  %x0_v = tensor.extract_slice %x[0] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %y0_v = tensor.extract_slice %x[1] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %t_v = tensor.extract_slice %x[2] [1] [1] : tensor<3xf64> to tensor<1xf64>
  %x0 = stde.sum %x0_v : tensor<1xf64> -> f64
  %y0 = stde.sum %y0_v : tensor<1xf64> -> f64
  %t = stde.sum %t_v : tensor<1xf64> -> f64
  %s = arith.addf %x0, %y0 : f64
  %two = arith.constant 2.0 : f64
  %w = arith.mulf %two, %t : f64
  %xi = arith.subf %s, %w : f64
  %half = arith.constant 0.5 : f64
  %z = arith.mulf %half, %xi : f64
  %u = math.tanh %z : f64
  stde.return %u : f64
}

func.func @loss(%theta: tensor<1217xf64>, %xs: tensor<100x3xf64>, %xb: tensor<20x3xf64>) -> f64 {
  // The linear part in one operator: u_ty + u_xxxy - u_xx + 2 u_yy.
  %lin = stde.diff @u(%theta, %xs) [1.0 * [1, 2], 1.0 * [0, 0, 0, 1], -1.0 * [0, 0], 2.0 * [1, 1]]
      : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %uxy = stde.diff @u(%theta, %xs) [1.0 * [0, 1]] : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %ux = stde.diff @u(%theta, %xs) [1.0 * [0]] : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %uy = stde.diff @u(%theta, %xs) [1.0 * [1]] : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %uxx = stde.diff @u(%theta, %xs) [1.0 * [0, 0]] : (tensor<1217xf64>, tensor<100x3xf64>) -> tensor<100xf64>
  %p1 = arith.mulf %uxy, %ux : tensor<100xf64>
  %p2 = arith.mulf %uy, %uxx : tensor<100xf64>
  %p = arith.addf %p1, %p2 : tensor<100xf64>
  %three = arith.constant dense<3.0> : tensor<100xf64>
  %n = arith.mulf %three, %p : tensor<100xf64>
  %r = arith.addf %lin, %n : tensor<100xf64>
  %ub = stde.apply @u(%theta, %xb) : (tensor<1217xf64>, tensor<20x3xf64>) -> tensor<20xf64>
  %gb = stde.apply @u_exact(%xb) : (tensor<20x3xf64>) -> tensor<20xf64>
  %rb = arith.subf %ub, %gb : tensor<20xf64>
  %L = stde.loss %r, %rb weights [1.0, 1.0] estimator(#stde.exact) : tensor<100xf64>, tensor<20xf64> -> f64
  return %L : f64
}
}
