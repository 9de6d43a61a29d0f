// RUN: stde-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{sparse estimator needs samples >= 1, got 0}}
func.func @f() attributes {e = #stde.sparse<samples = 0>} { return }

// -----

// expected-error @+1 {{dense estimator needs samples >= 1, got -2}}
func.func @f() attributes {e = #stde.dense<distribution = gaussian, samples = -2>} { return }

// -----

// expected-error @+2 {{expected ::stde::Distribution to be one of: rademacher, gaussian}}
// expected-error @+1 {{failed to parse Stde_DenseEstimatorAttr parameter 'distribution'}}
func.func @f() attributes {e = #stde.dense<distribution = uniform, samples = 2>} { return }

// -----

// expected-error @+1 {{zeroth-order estimator needs a finite eps > 0, got 0}}
func.func @f() attributes {e = #stde.zo<eps = 0.0, rank = 4, pairs = 1>} { return }

// -----

// expected-error @+1 {{zeroth-order estimator needs rank >= 1, got 0}}
func.func @f() attributes {e = #stde.zo<eps = 1.0e-2, rank = 0, pairs = 1>} { return }

// -----

// expected-error @+1 {{zeroth-order estimator needs pairs >= 1, got 0}}
func.func @f() attributes {e = #stde.zo<eps = 1.0e-2, rank = 2, pairs = 0>} { return }

// -----

// expected-error @+1 {{term coefficient is zero: leave the term out}}
func.func @f() attributes {t = #stde.term<0.0 * [0]>} { return }

// -----

// expected-error @+1 {{term has an empty multi-index (order 0): use stde.apply for u itself}}
func.func @f() attributes {t = #stde.term<1.0 * []>} { return }

// -----

// expected-error @+1 {{multi-index entries are coordinates >= 0, got -1}}
func.func @f() attributes {t = #stde.term<1.0 * [-1]>} { return }

// -----

// expected-error @+1 {{multi-index must be sorted (non-decreasing): write the coordinates of each derivative in increasing order}}
func.func @f() attributes {t = #stde.term<1.0 * [2, 1]>} { return }
