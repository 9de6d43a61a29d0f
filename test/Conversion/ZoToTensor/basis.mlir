// RUN: stde-opt %s --convert-zo-to-tensor | FileCheck %s

// Cholesky-QR of a Gaussian draw keyed by (seed, epoch): the Gram matrix
// G^T G (a reduction over the 100 rows), L^-1 as scalar code (r = 2: two
// square roots), B = G L^-T.
// CHECK-LABEL: func.func @basis(
// CHECK-SAME: %[[SEED:.*]]: i64, %[[EPOCH:.*]]: i64)
// CHECK: %[[G:.*]] = rng.draw gaussian %[[SEED]], %[[EPOCH]] stream 9 : tensor<100x2xf64>
// CHECK: %[[GRAM:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "parallel"]{{.*}} ins(%[[G]], %[[G]] : tensor<100x2xf64>, tensor<100x2xf64>) outs(%{{.*}} : tensor<2x2xf64>)
// CHECK-COUNT-2: math.sqrt
// CHECK-NOT: math.sqrt
// CHECK: %[[INV:.*]] = tensor.from_elements {{.*}} : tensor<2x2xf64>
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%[[G]], %[[INV]] : tensor<100x2xf64>, tensor<2x2xf64>) outs(%{{.*}} : tensor<100x2xf64>)
// CHECK: return %[[B]]
func.func @basis(%seed: i64, %epoch: i64) -> tensor<100x2xf64> {
  %b = zo.basis %seed, %epoch stream 9 : tensor<100x2xf64>
  return %b : tensor<100x2xf64>
}
