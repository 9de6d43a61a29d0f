// RUN: stde-opt %s -split-input-file --jet-expand -verify-diagnostics

!pts = !jet.jet<order = 1, dirs = 2, tensor<4x2xf64>, [dense]>
!out = !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>

stde.network @rule(%x: tensor<2xf64>) -> f64 {
  // expected-error @+1 {{'math.erf' op has no Taylor rule, so network 'rule' cannot be expanded into jets}}
  %a = math.erf %x : tensor<2xf64>
  %s = stde.sum %a : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @no_rule(%j: !pts) -> !out {
  %y = jet.pushforward @rule(%j) : (!pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 1, dirs = 2, tensor<4x2xf64>, [dense]>
!out = !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>

stde.network @power(%x: tensor<2xf64>) -> f64 {
  %e = arith.constant dense<0.5> : tensor<2xf64>
  // expected-error @+1 {{exponent must be a constant integer to push a jet through it (use sqrt, or exp and log, for other powers)}}
  %p = math.powf %x, %e : tensor<2xf64>
  %s = stde.sum %p : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @fractional_power(%j: !pts) -> !out {
  %y = jet.pushforward @power(%j) : (!pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 2, dirs = 2, tensor<4x2xf64>, [dense, zero]>
!out = !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, zero]>

stde.network @curved(%x: tensor<2xf64>) -> f64 {
  %s = stde.sqnorm %x : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @too_specific(%j: !pts) -> !out {
  // expected-error @+1 {{declares result coefficient 2 zero but the network produces dense; declare '!jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]>'}}
  %y = jet.pushforward @curved(%j) : (!pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
!out = !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>

stde.network @strided(%x: tensor<3xf64>) -> f64 {
  // expected-error @+1 {{only static unit-stride slices of a vector have a Taylor rule}}
  %h = tensor.extract_slice %x[0] [2] [2] : tensor<3xf64> to tensor<2xf64>
  %s = stde.sum %h : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @strided_slice(%j: !pts) -> !out {
  %y = jet.pushforward @strided(%j) : (!pts) -> !out
  return %y : !out
}

// -----

!pts = !jet.jet<order = 1, dirs = 2, tensor<4x2xf64>, [dense]>
!out = !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>

// A value computed from the point still needs a rule, even when other
// operands are point-independent draws.
stde.network @drawn_then_atan(%x: tensor<2xf64>) -> f64 {
  %seed = arith.constant 7 : i64
  %c = rng.draw gaussian %seed, %seed stream 1 : tensor<2xf64>
  // expected-error @+1 {{'math.atan2' op has no Taylor rule, so network 'drawn_then_atan' cannot be expanded into jets}}
  %a = math.atan2 %c, %x : tensor<2xf64>
  %s = stde.sum %a : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @drawn_no_rule(%j: !pts) -> !out {
  %y = jet.pushforward @drawn_then_atan(%j) : (!pts) -> !out
  return %y : !out
}
