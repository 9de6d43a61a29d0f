// A biharmonic problem in d = 6: Lap^2 u = f on the unit ball with the ansatz
// (1 - |x|^2) * MLP(x). The biharmonic sum_ij u_iijj is estimated with dense
// Gaussian tangents, Lap^2 u = (1/3) E[d4u(v, 0, 0, 0)] (docs/MATH.md).
//
//   stde-opt examples/biharmonic.mlir

// Layout: 32 * 7 = 224, 32 * 33 = 1056, 1 * 33 = 33; 1313 parameters.
stde.network @u(%theta: tensor<1313xf64>, %x: tensor<6xf64>) -> f64 {
  %h0 = stde.dense %x, %theta[0] : (tensor<6xf64>, tensor<1313xf64>) -> tensor<32xf64>
  %a0 = stde.activation sin %h0 : tensor<32xf64>
  %h1 = stde.dense %a0, %theta[224] : (tensor<32xf64>, tensor<1313xf64>) -> tensor<32xf64>
  %a1 = stde.activation softplus %h1 : tensor<32xf64>
  %o = stde.dense %a1, %theta[1280] : (tensor<32xf64>, tensor<1313xf64>) -> tensor<1xf64>
  %mlp = stde.sum %o : tensor<1xf64> -> f64
  %r2 = stde.sqnorm %x : tensor<6xf64> -> f64
  %one = arith.constant 1.0 : f64
  %factor = arith.subf %one, %r2 : f64
  %u = arith.mulf %factor, %mlp : f64
  stde.return %u : f64
}

// Interior residual Lap^2 u - f plus a data term on 10 points with weight 10.
func.func @loss(%theta: tensor<1313xf64>, %xs: tensor<50x6xf64>, %f: tensor<50xf64>,
                %xd: tensor<10x6xf64>, %ud: tensor<10xf64>) -> f64 {
  %b = stde.biharmonic @u(%theta, %xs) estimator(#stde.dense<distribution = gaussian, samples = 8>)
      : (tensor<1313xf64>, tensor<50x6xf64>) -> tensor<50xf64>
  %r = arith.subf %b, %f : tensor<50xf64>
  %u = stde.apply @u(%theta, %xd) : (tensor<1313xf64>, tensor<10x6xf64>) -> tensor<10xf64>
  %rd = arith.subf %u, %ud : tensor<10xf64>
  %L = stde.loss %r, %rd weights [1.0, 10.0] : tensor<50xf64>, tensor<10xf64> -> f64
  return %L : f64
}
