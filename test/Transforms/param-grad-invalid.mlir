// RUN: stde-opt %s --stde-param-grad --split-input-file --verify-diagnostics
// RUN: not stde-opt %s --stde-param-grad="functions=missing" --split-input-file 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: stde-param-grad: no function named 'missing'

// An op without an adjoint rule on the path from the parameters.
func.func @no_rule(%p: tensor<4xf64>) -> f64 {
  // expected-error @below {{stde-param-grad: no adjoint rule for 'math.erf'}}
  %a = math.erf %p : tensor<4xf64>
  %c = arith.constant 0 : index
  %r = tensor.extract %a[%c] : tensor<4xf64>
  return %r : f64
}

// -----

// Calls must be inlined first.
func.func private @callee(%p: tensor<4xf64>) -> tensor<4xf64>
func.func @calls(%p: tensor<4xf64>) -> f64 {
  // expected-error @below {{calls on the differentiated path must be inlined first}}
  %a = func.call @callee(%p) : (tensor<4xf64>) -> tensor<4xf64>
  %c = arith.constant 0 : index
  %r = tensor.extract %a[%c] : tensor<4xf64>
  return %r : f64
}

// -----

// A reduction that uses its accumulator other than additively.
func.func @max_reduction(%p: tensor<4xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<f64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<f64>) -> tensor<f64>
  // expected-error @below {{only additive reductions (out + e) are differentiable}}
  %m = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> ()>], iterator_types = ["reduction"]} ins(%p : tensor<4xf64>) outs(%init : tensor<f64>) {
  ^bb0(%in: f64, %acc: f64):
    %x = arith.maximumf %in, %acc : f64
    linalg.yield %x : f64
  } -> tensor<f64>
  %r = tensor.extract %m[] : tensor<f64>
  return %r : f64
}
