// RUN: stde-opt %s --split-input-file --stde-reductions-innermost | FileCheck %s

// A sum over directions (the outer dimension) into a points x width buffer:
// the reduction dimension moves innermost, the maps follow it.
// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
// CHECK-DAG:   #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @sum_directions
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK:           arith.addf
func.func @sum_directions(%x: memref<4x16x32xf32>, %out: memref<16x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(r, p, w) -> (r, p, w)>, affine_map<(r, p, w) -> (p, w)>],
                  iterator_types = ["reduction", "parallel", "parallel"]}
      ins(%x : memref<4x16x32xf32>) outs(%out : memref<16x32xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A named reduction over the first dimension is generalized, then
// interchanged.
// CHECK-DAG:   #[[IN:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @reduce_rows
// CHECK-NOT:     linalg.reduce
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #{{.*}}], iterator_types = ["parallel", "reduction"]}
func.func @reduce_rows(%x: memref<8x32xf64>, %out: memref<32xf64>) {
  linalg.reduce ins(%x : memref<8x32xf64>) outs(%out : memref<32xf64>) dimensions = [0]
    (%a: f64, %acc: f64) {
      %s = arith.addf %a, %acc : f64
      linalg.yield %s : f64
    }
  return
}

// -----

// Already parallel-first (a matrix product, a row reduction): untouched.
// CHECK-LABEL: func.func @in_order
// CHECK:         linalg.matmul
// CHECK:         linalg.reduce
func.func @in_order(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>, %r: memref<4xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.reduce ins(%a : memref<4x8xf32>) outs(%r : memref<4xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return
}
