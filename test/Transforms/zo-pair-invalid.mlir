// RUN: stde-opt %s --split-input-file --zo-pair="functions=loss" --verify-diagnostics

// The parameters feed something other than a dense layer: zo-pair cannot
// perturb it implicitly.
func.func @loss(%theta: tensor<21xf64>, %xs: tensor<5x3xf64>, %idx: tensor<2xindex>) -> f64 {
  %j = jet.seed %xs, %idx : (tensor<5x3xf64>, tensor<2xindex>) -> !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>
  %h = jet.dense %j, %theta[0] : (!jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<21xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<5x4xf64>, [dense]>
  %i0 = arith.constant 0 : index
  // expected-error @+1 {{reads the parameters of @loss, but zo-pair perturbs only dense layers (jet.dense) in the function body: run jet-expand first}}
  %v = tensor.extract %theta[%i0] : tensor<21xf64>
  return %v : f64
}

// -----

// expected-error @+1 {{has no dense layer reading its first argument: nothing to perturb}}
func.func @loss(%theta: tensor<21xf64>, %x: f64) -> f64 {
  return %x : f64
}

// -----

// expected-error @+1 {{zo-pair: no function @loss to pair}}
module {
  func.func @other(%x: f64) -> f64 {
    return %x : f64
  }
}
