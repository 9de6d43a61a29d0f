// RUN: stde-opt %s -split-input-file --convert-linalg-to-runtime | FileCheck %s

// A dense layer's product, C[m, o] += A[m, i] Wt[i, o]: a call on the
// operands as they are, cast to dynamic strided layouts; the callee is
// declared once with the C interface.
#a = affine_map<(m, i, o) -> (m, i)>
#w = affine_map<(m, i, o) -> (i, o)>
#c = affine_map<(m, i, o) -> (m, o)>
// CHECK-LABEL: func.func @layer
// CHECK-SAME: (%[[A:.*]]: memref<64x32xf32>, %[[W:.*]]: memref<32x16xf32>, %[[C:.*]]: memref<64x16xf32>)
// CHECK-DAG: %[[AV:.*]] = memref.cast %[[A]] : memref<64x32xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK-DAG: %[[WV:.*]] = memref.cast %[[W]] : memref<32x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK-DAG: %[[CV:.*]] = memref.cast %[[C]] : memref<64x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @stde_matmul_f32(%[[AV]], %[[WV]], %[[CV]])
// CHECK-NOT: linalg.generic
// CHECK: func.func private @stde_matmul_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
func.func @layer(%a: memref<64x32xf32>, %w: memref<32x16xf32>, %c: memref<64x16xf32>) {
  linalg.generic {indexing_maps = [#a, #w, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %w : memref<64x32xf32>, memref<32x16xf32>) outs(%c : memref<64x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A weight gradient as param-grad writes it after reshape folding: two
// reduction loops (directions x points), an input the body ignores, and the
// product y * x: dW[i, o] += sum_{r,n} X[r, n, i] dY[r, n, o]. X becomes a
// transposed view (i, r, n) collapsed to 16 x (2*8); dY collapses to (2*8) x 32.
#x = affine_map<(r, n, i, o) -> (r, n, i)>
#ignored = affine_map<(r, n, i, o) -> (i, o)>
#dy = affine_map<(r, n, i, o) -> (r, n, o)>
#dw = affine_map<(r, n, i, o) -> (i, o)>
// CHECK-LABEL: func.func @weight_gradient
// CHECK-SAME: (%[[X:.*]]: memref<2x8x16xf64>, %[[U:.*]]: memref<16x32xf64>, %[[DY:.*]]: memref<2x8x32xf64>, %[[DW:.*]]: memref<16x32xf64>)
// CHECK: %[[XT:.*]] = memref.transpose %[[X]] (d0, d1, d2) -> (d2, d0, d1)
// CHECK: %[[XM:.*]] = memref.collapse_shape %[[XT]] {{\[}}[0], [1, 2]]
// CHECK: %[[XV:.*]] = memref.cast %[[XM]]
// CHECK: %[[DYM:.*]] = memref.collapse_shape %[[DY]] {{\[}}[0, 1], [2]] : memref<2x8x32xf64> into memref<16x32xf64>
// CHECK: %[[DYV:.*]] = memref.cast %[[DYM]]
// CHECK: %[[DWV:.*]] = memref.cast %[[DW]]
// CHECK: call @stde_matmul_f64(%[[XV]], %[[DYV]], %[[DWV]])
// CHECK-NOT: linalg.generic
func.func @weight_gradient(%x: memref<2x8x16xf64>, %u: memref<16x32xf64>, %dy: memref<2x8x32xf64>, %dw: memref<16x32xf64>) {
  linalg.generic {indexing_maps = [#x, #ignored, #dy, #dw], iterator_types = ["reduction", "reduction", "parallel", "parallel"]}
      ins(%x, %u, %dy : memref<2x8x16xf64>, memref<16x32xf64>, memref<2x8x32xf64>) outs(%dw : memref<16x32xf64>) {
  ^bb0(%xv: f64, %uv: f64, %dyv: f64, %out: f64):
    %p = arith.mulf %dyv, %xv : f64
    %s = arith.addf %p, %out : f64
    linalg.yield %s : f64
  }
  return
}

// -----

// A data gradient dX[m, i] += dY[m, o] W[o, i] read through a transposed
// weight view Wt[i, o]: Wt becomes memref.transpose (o, i).
#dy = affine_map<(m, i, o) -> (m, o)>
#wt = affine_map<(m, i, o) -> (i, o)>
#dx = affine_map<(m, i, o) -> (m, i)>
// CHECK-LABEL: func.func @data_gradient
// CHECK: %[[WT:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<32x16xf32> to memref<16x32xf32, strided<[1, 16]>>
// CHECK: call @stde_matmul_f32
func.func @data_gradient(%dy: memref<64x16xf32>, %wt: memref<32x16xf32>, %dx: memref<64x32xf32>) {
  linalg.generic {indexing_maps = [#dy, #wt, #dx], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%dy, %wt : memref<64x16xf32>, memref<32x16xf32>) outs(%dx : memref<64x32xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %out, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Not matrix products, left alone: a product with a batch dimension shared by
// all three operands, a body that is not out + x * y, a tiny product below
// min-flops, and tensors (before bufferization).
#ab = affine_map<(b, m, k, n) -> (b, m, k)>
#bb = affine_map<(b, m, k, n) -> (b, k, n)>
#cb = affine_map<(b, m, k, n) -> (b, m, n)>
#a2 = affine_map<(m, k, n) -> (m, k)>
#b2 = affine_map<(m, k, n) -> (k, n)>
#c2 = affine_map<(m, k, n) -> (m, n)>
// CHECK-LABEL: func.func @not_products
// CHECK-NOT: call
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT: call
func.func @not_products(%a: memref<4x32x32xf32>, %b: memref<4x32x32xf32>, %c: memref<4x32x32xf32>,
                        %m: memref<32x32xf32>, %s: memref<2x2xf32>, %t: tensor<32x32xf32>) -> tensor<32x32xf32> {
  linalg.generic {indexing_maps = [#ab, #bb, #cb], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x32x32xf32>, memref<4x32x32xf32>) outs(%c : memref<4x32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %out, %p : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#a2, #b2, #c2], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%m, %m : memref<32x32xf32>, memref<32x32xf32>) outs(%m : memref<32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.addf %x, %y : f32
    %r = arith.addf %out, %p : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#a2, #b2, #c2], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%s, %s : memref<2x2xf32>, memref<2x2xf32>) outs(%s : memref<2x2xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %out, %p : f32
    linalg.yield %r : f32
  }
  %r = linalg.generic {indexing_maps = [#a2, #b2, #c2], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%t, %t : tensor<32x32xf32>, tensor<32x32xf32>) outs(%t : tensor<32x32xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %p = arith.mulf %x, %y : f32
    %q = arith.addf %out, %p : f32
    linalg.yield %q : f32
  } -> tensor<32x32xf32>
  return %r : tensor<32x32xf32>
}
