// RUN: stde-opt %s | FileCheck %s
// RUN: stde-opt %s | stde-opt | FileCheck %s

// Estimator and term attributes, printed and parsed on their own.
// CHECK-LABEL: func.func @attrs
// Attributes print sorted by name.
// CHECK-SAME: dense = #stde.dense<distribution = gaussian, samples = 8>
// CHECK-SAME: exact = #stde.exact
// CHECK-SAME: sparse = #stde.sparse<samples = 16>
// CHECK-SAME: term = #stde.term<-2.500000e+00 * [0, 0, 3]>
// CHECK-SAME: zo = #stde.zo<eps = 1.000000e-03, rank = 8, pairs = 2>
func.func @attrs() attributes {
    exact = #stde.exact,
    sparse = #stde.sparse<samples = 16>,
    dense = #stde.dense<distribution = gaussian, samples = 8>,
    zo = #stde.zo<eps = 1.0e-3, rank = 8, pairs = 2>,
    term = #stde.term<-2.5 * [0, 0, 3]>} {
  return
}
