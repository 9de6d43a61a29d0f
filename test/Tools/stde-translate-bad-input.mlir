// RUN: not stde-translate --stde-to-llvmir %s 2>&1 | FileCheck %s

// A lowering failure is a diagnostic and a nonzero exit, never a crash.
stde.network @u(%x: tensor<2xf64>) -> f64 {
  %a = math.erf %x : tensor<2xf64>
  %s = stde.sum %a : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @f(%x: tensor<4x2xf64>, %v: tensor<1x4x2xf64>) -> tensor<1x4xf64> {
  %j = jet.seed %x, %v : (tensor<4x2xf64>, tensor<1x4x2xf64>) -> !jet.jet<order = 1, dirs = 1, tensor<4x2xf64>, [dense]>
  %y = jet.pushforward @u(%j) : (!jet.jet<order = 1, dirs = 1, tensor<4x2xf64>, [dense]>) -> !jet.jet<order = 1, dirs = 1, tensor<4xf64>, [dense]>
  %c = jet.coefficient %y[1] : !jet.jet<order = 1, dirs = 1, tensor<4xf64>, [dense]> -> tensor<1x4xf64>
  return %c : tensor<1x4xf64>
}
// CHECK: error: 'math.erf' op has no Taylor rule, so network 'u' cannot be expanded into jets
