// RUN: stde-opt %s -split-input-file --convert-jet-to-tensor -verify-diagnostics

stde.network @u(%x: tensor<2xf64>) -> f64 {
  %s = stde.sum %x : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @unexpanded(%j: !jet.jet<order = 1, dirs = 2, tensor<4x2xf64>, [dense]>) {
  // expected-error @+1 {{must be expanded first (run --jet-expand)}}
  %y = jet.pushforward @u(%j) : (!jet.jet<order = 1, dirs = 2, tensor<4x2xf64>, [dense]>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  return
}

// -----

func.func @argument(%j: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) -> tensor<4xf64> {
  // expected-error @+1 {{uses a jet that was not made by jet.seed or a jet op in this function}}
  %c = jet.coefficient %j[0] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<4xf64>
  return %c : tensor<4xf64>
}

// -----

// A jet returned from a function has no tensor form: an error at the
// return, not a dropped operand.
func.func @returned(%x: tensor<4x2xf64>, %idx: tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<4x2xf64>, [onehot, zero]> {
  %j = jet.seed %x, %idx : (tensor<4x2xf64>, tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<4x2xf64>, [onehot, zero]>
  // expected-error @+1 {{'func.return' op uses a jet ('!jet.jet<order = 2, dirs = 2, tensor<4x2xf64>, [onehot, zero]>', made by 'jet.seed'), which has no tensor form outside the jet ops: read its coefficients with jet.coefficient}}
  return %j : !jet.jet<order = 2, dirs = 2, tensor<4x2xf64>, [onehot, zero]>
}
