// RUN: stde-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{takes (params, x) or, for a fixed field, (x); got 3 arguments}}
stde.network @u(%a: tensor<2xf64>, %b: tensor<2xf64>, %c: tensor<2xf64>) -> f64 {
  %r = stde.sqnorm %a : tensor<2xf64> -> f64
  stde.return %r : f64
}

// -----

// expected-error @+1 {{arguments must be static 1-D tensors of f32 or f64}}
stde.network @u(%x: tensor<?xf64>) -> f64 {
  %r = stde.sqnorm %x : tensor<?xf64> -> f64
  stde.return %r : f64
}

// -----

// expected-error @+1 {{arguments must be static 1-D tensors of f32 or f64}}
stde.network @u(%x: tensor<2xf16>) -> f16 {
  %r = arith.constant 0.0 : f16
  stde.return %r : f16
}

// -----

// expected-error @+1 {{parameters and point must have the same element type}}
stde.network @u(%theta: tensor<3xf32>, %x: tensor<2xf64>) -> f64 {
  %r = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %r : f64
}

// -----

// expected-error @+1 {{must return one scalar of its element type ('f64'), got 1 result(s) of type 'f32'}}
stde.network @u(%x: tensor<2xf64>) -> f32 {
  %r = arith.constant 0.0 : f32
  stde.return %r : f32
}

// -----

// expected-error @+1 {{is space-time, so its point needs at least one space coordinate and the time coordinate (D >= 2), got D = 1}}
stde.network @u(%x: tensor<1xf64>) -> f64 attributes {space_time} {
  %r = stde.sqnorm %x : tensor<1xf64> -> f64
  stde.return %r : f64
}

// -----

stde.network @u(%x: tensor<2xf64>) -> f64 {
  %r = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %r : f64
}
stde.network @v(%x: tensor<2xf64>) -> f64 {
  %xs = tensor.expand_shape %x [[0, 1]] output_shape [1, 2] : tensor<2xf64> into tensor<1x2xf64>
  // expected-error @+1 {{cannot appear inside network @v: a network is a per-point function}}
  %l = stde.laplacian @u(%xs) : (tensor<1x2xf64>) -> tensor<1xf64>
  %s = stde.sum %l : tensor<1xf64> -> f64
  stde.return %s : f64
}

// -----

stde.network @u(%theta: tensor<14xf64>, %x: tensor<2xf64>) -> f64 {
  %w = arith.constant dense<0.5> : tensor<14xf64>
  // expected-error @+1 {{must read the parameter argument of its network @u}}
  %h = stde.dense %x, %w[0] : (tensor<2xf64>, tensor<14xf64>) -> tensor<1xf64>
  %u = stde.sum %h : tensor<1xf64> -> f64
  stde.return %u : f64
}

// -----

stde.network @u(%theta: tensor<12xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<12xf64>) -> tensor<3xf64>
  // expected-error @+1 {{parameter range [5, 9) overlaps the range of another layer, which ends at 9}}
  %o = stde.dense %h, %theta[5] : (tensor<3xf64>, tensor<12xf64>) -> tensor<1xf64>
  %u = stde.sum %o : tensor<1xf64> -> f64
  stde.return %u : f64
}

// -----

// expected-error @+1 {{parameters [0, 4) belong to no dense layer: place the layers back to back}}
stde.network @u(%theta: tensor<13xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[4] : (tensor<2xf64>, tensor<13xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}

// -----

// expected-error @+1 {{declares 20 parameters but its dense layers use 9: make the parameter argument tensor<9 x T>}}
stde.network @u(%theta: tensor<20xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<20xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}

// -----

stde.network @u(%x: tensor<2xf64>) -> f64 {
  %r = arith.constant 0.0 : f32
  // expected-error @+1 {{returns 'f32' but network @u returns 'f64'}}
  stde.return %r : f32
}

// -----

func.func @f(%x: f64) -> f64 {
  // expected-error @+1 {{expects parent op 'stde.network'}}
  stde.return %x : f64
}
