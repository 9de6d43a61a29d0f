// RUN: stde-opt --stde-lower-operators %s -verify-diagnostics -split-input-file
// A general operator over 600 coordinates (u_01 + u_12 + ... + u_599,0):
// RUN: %python -c "n = 600; terms = ', '.join('1.0 * [%%d, %%d]' %% (min(i, (i + 1) %% n), max(i, (i + 1) %% n)) for i in range(n)); print('stde.network @u(%%t: tensor<601xf32>, %%x: tensor<600xf32>) -> f32 {\n  %%o = stde.dense %%x, %%t[0] : (tensor<600xf32>, tensor<601xf32>) -> tensor<1xf32>\n  %%u = stde.sum %%o : tensor<1xf32> -> f32\n  stde.return %%u : f32\n}\nfunc.func @ring(%%t: tensor<601xf32>, %%xs: tensor<2x600xf32>) -> tensor<2xf32> {\n  %%d = stde.diff @u(%%t, %%xs) [' + terms + '] estimator(#stde.dense<distribution = gaussian, samples = 1>) : (tensor<601xf32>, tensor<2x600xf32>) -> tensor<2xf32>\n  return %%d : tensor<2xf32>\n}')" \
// RUN:   | not stde-opt --stde-lower-operators 2>&1 | FileCheck %s --check-prefix=MIXED
// MIXED: error: dense random tangents for this second-order operator mix 600 coordinates through the eigendecomposition of its coefficient matrix; at most 512 (the cost is cubic): use #stde.sparse or #stde.exact, or write the second-order part as a multiple of the Laplacian
//
// Operators too large for their estimator: each error says what to use
// instead, where before the pass ran out of memory or for hours.

stde.network @u(%theta: tensor<31xf64>, %x: tensor<3xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<3xf64>, tensor<31xf64>) -> tensor<6xf64>
  %o = stde.dense %h, %theta[24] : (tensor<6xf64>, tensor<31xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

func.func @too_many_tangents(%theta: tensor<31xf64>, %xs: tensor<100000000x3xf64>) -> tensor<100000000xf64> {
  // expected-error @+1 {{dense random tangents: 16 samples x 100000000 points x 3 coordinates = 4.8e+09 random numbers per step, more than one random stream holds (2^32): use fewer samples or points, or #stde.sparse}}
  %l = stde.laplacian @u(%theta, %xs) estimator(#stde.dense<distribution = rademacher, samples = 16>) : (tensor<31xf64>, tensor<100000000x3xf64>) -> tensor<100000000xf64>
  return %l : tensor<100000000xf64>
}

// -----

stde.network @v(%theta: tensor<2049xf32>, %x: tensor<2048xf32>) -> f32 {
  %o = stde.dense %x, %theta[0] : (tensor<2048xf32>, tensor<2049xf32>) -> tensor<1xf32>
  %u = stde.sum %o : tensor<1xf32> -> f32
  stde.return %u : f32
}

func.func @biharmonic_enumerated(%theta: tensor<2049xf32>, %xs: tensor<4x2048xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'stde.biharmonic' op the biharmonic in 2048 dimensions has 2098176 distinct terms u_iijj; #stde.sparse<samples = 16> enumerates them (at most 2097152): use #stde.dense}}
  %b = stde.biharmonic @v(%theta, %xs) estimator(#stde.sparse<samples = 16>) : (tensor<2049xf32>, tensor<4x2048xf32>) -> tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

stde.network @w(%theta: tensor<20000001xf32>, %x: tensor<20000000xf32>) -> f32 {
  %o = stde.dense %x, %theta[0] : (tensor<20000000xf32>, tensor<20000001xf32>) -> tensor<1xf32>
  %u = stde.sum %o : tensor<1xf32> -> f32
  stde.return %u : f32
}

func.func @mixing_too_large(%theta: tensor<20000001xf32>, %xs: tensor<1x20000000xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{dense random tangents for this second-order operator mix 2 coordinates into 20000000 through a 20000000 x 2 constant, more than 16777216 entries: use #stde.sparse or #stde.exact}}
  %d = stde.diff @w(%theta, %xs) [1.0 * [0, 1]] estimator(#stde.dense<distribution = gaussian, samples = 1>) : (tensor<20000001xf32>, tensor<1x20000000xf32>) -> tensor<1xf32>
  return %d : tensor<1xf32>
}
