// Two-body Allen-Cahn in d = 100 (STDE paper, appendix; docs/MATH.md section 5):
//   Lap u + u - u^3 = f  on the unit ball,  u = 0 on the sphere,
//   u*(x) = (1 - |x|^2) sum_{i=1}^{d-1} c_i sin(x_i + cos x_(i+1) + x_(i+1) cos x_i),
// with f = Lap u* + u* - u*^3 supplied per point by the problem library.
// The network: (1 - |x|^2) * MLP(x), 3 hidden tanh layers of 128, scalar output;
// the Laplacian is estimated by sparse STDE with |J| = 16 (set on the loss).
//
//   stde-opt --stde-resolve-estimators examples/allen_cahn_two_body.mlir

// Parameter layout: 12928 + 16512 + 16512 + 129 = 46081 (weights row-major, then bias).
stde.network @u(%theta: tensor<46081xf64>, %x: tensor<100xf64>) -> f64 {
  %h0 = stde.dense %x, %theta[0] : (tensor<100xf64>, tensor<46081xf64>) -> tensor<128xf64>
  %a0 = stde.activation tanh %h0 : tensor<128xf64>
  %h1 = stde.dense %a0, %theta[12928] : (tensor<128xf64>, tensor<46081xf64>) -> tensor<128xf64>
  %a1 = stde.activation tanh %h1 : tensor<128xf64>
  %h2 = stde.dense %a1, %theta[29440] : (tensor<128xf64>, tensor<46081xf64>) -> tensor<128xf64>
  %a2 = stde.activation tanh %h2 : tensor<128xf64>
  %o = stde.dense %a2, %theta[45952] : (tensor<128xf64>, tensor<46081xf64>) -> tensor<1xf64>
  %mlp = stde.sum %o : tensor<1xf64> -> f64
  %r2 = stde.sqnorm %x : tensor<100xf64> -> f64
  %one = arith.constant 1.0 : f64
  %factor = arith.subf %one, %r2 : f64
  %u = arith.mulf %factor, %mlp : f64
  stde.return %u : f64
}

// The exact solution, a fixed field (no parameters): the test error is
// measured against it. c_i ~ N(0, 1), drawn once.
stde.network @u_exact(%x: tensor<100xf64>) -> f64 {
  %c = arith.constant dense<[0.941715, -1.396578, -0.679714, 0.370504, -1.016349, -0.072120, 0.179196, -0.831099, -1.309037, 0.193888, 0.993250, -0.646982, -0.333668, 1.645672, -0.558890, -0.514157, 2.404119, -1.531083, 0.796466, -2.003649, -0.596963, 1.503681, 1.221436, -0.901120, -0.453699, 0.080233, -1.258103, 0.552220, 2.227577, -1.355241, -1.981533, 0.288244, -0.119123, 1.804330, -0.160362, -0.050660, -0.190874, -0.990606, 0.673030, -1.324082, 1.166490, 0.008376, 0.503630, -0.552765, -0.920194, 1.800263, 0.468550, 1.207003, 0.187123, 2.611608, 0.357500, -1.029805, 0.768509, 0.425299, -2.321150, -0.115904, 0.980199, 0.801165, -0.339435, -1.212624, 0.491294, -1.145828, 1.324679, -0.306268, -0.924819, -0.567666, -0.810889, -0.560717, -0.736384, -0.379009, 0.238970, 0.596889, -1.110243, -0.951538, -0.429153, 0.063746, 0.097729, -2.043982, 1.704027, -0.890194, 1.816989, -1.352255, -0.964172, -0.251435, -0.222675, -0.771578, 0.734895, -1.802034, 1.055058, -0.817973, 1.251600, -0.408715, -1.399057, 0.449115, 2.230171, -0.052447, 0.111485, -0.399374, -0.876528]> : tensor<99xf64>
  %xi = tensor.extract_slice %x[0] [99] [1] : tensor<100xf64> to tensor<99xf64>
  %xj = tensor.extract_slice %x[1] [99] [1] : tensor<100xf64> to tensor<99xf64>
  %cos_xj = math.cos %xj : tensor<99xf64>
  %cos_xi = math.cos %xi : tensor<99xf64>
  %s0 = arith.addf %xi, %cos_xj : tensor<99xf64>
  %s1 = arith.mulf %xj, %cos_xi : tensor<99xf64>
  %arg = arith.addf %s0, %s1 : tensor<99xf64>
  %sin = math.sin %arg : tensor<99xf64>
  %terms = arith.mulf %c, %sin : tensor<99xf64>
  %sum = stde.sum %terms : tensor<99xf64> -> f64
  %r2 = stde.sqnorm %x : tensor<100xf64> -> f64
  %one = arith.constant 1.0 : f64
  %factor = arith.subf %one, %r2 : f64
  %u = arith.mulf %factor, %sum : f64
  stde.return %u : f64
}

// The training loss on a batch of 100 residual points.
func.func @loss(%theta: tensor<46081xf64>, %xs: tensor<100x100xf64>, %f: tensor<100xf64>) -> f64 {
  %lap = stde.laplacian @u(%theta, %xs) : (tensor<46081xf64>, tensor<100x100xf64>) -> tensor<100xf64>
  %u = stde.apply @u(%theta, %xs) : (tensor<46081xf64>, tensor<100x100xf64>) -> tensor<100xf64>
  %u2 = arith.mulf %u, %u : tensor<100xf64>
  %u3 = arith.mulf %u2, %u : tensor<100xf64>
  %lhs0 = arith.addf %lap, %u : tensor<100xf64>
  %lhs = arith.subf %lhs0, %u3 : tensor<100xf64>
  %r = arith.subf %lhs, %f : tensor<100xf64>
  %L = stde.loss %r estimator(#stde.sparse<samples = 16>) : tensor<100xf64> -> f64
  return %L : f64
}

// The test error's ingredients on a batch of test points.
func.func @test_values(%theta: tensor<46081xf64>, %xs: tensor<1000x100xf64>) -> (tensor<1000xf64>, tensor<1000xf64>) {
  %u = stde.apply @u(%theta, %xs) : (tensor<46081xf64>, tensor<1000x100xf64>) -> tensor<1000xf64>
  %ue = stde.apply @u_exact(%xs) : (tensor<1000x100xf64>) -> tensor<1000xf64>
  return %u, %ue : tensor<1000xf64>, tensor<1000xf64>
}
