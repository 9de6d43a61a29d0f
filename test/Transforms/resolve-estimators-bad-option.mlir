// RUN: not stde-opt %s --stde-resolve-estimators='default={#stde.zo<eps = 1.0e-2, rank = 2, pairs = 1>}' 2>&1 | FileCheck %s --check-prefix=ZO
// RUN: not stde-opt %s --stde-resolve-estimators='default=sparse' 2>&1 | FileCheck %s --check-prefix=GARBAGE

// ZO: error: stde-resolve-estimators: default='#stde.zo<eps = 1.0e-2, rank = 2, pairs = 1>' is not a spatial estimator; use #stde.exact, #stde.sparse<samples = N> or #stde.dense<distribution = rademacher, samples = N>
// GARBAGE: default='sparse' is not a spatial estimator
func.func @f() { return }
