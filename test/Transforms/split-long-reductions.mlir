// RUN: stde-opt %s --split-input-file --stde-split-long-reductions | FileCheck %s
// RUN: not stde-opt %s --split-input-file --stde-split-long-reductions=min-terms-per-thread=0 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: stde-split-long-reductions: min-terms must be at least 2, target-threads and min-terms-per-thread at least 1

// Four weighted row sums over 8192 terms: C = 128 chunks (at least 64 terms
// per thread), so 4 x 128 threads each add 64 terms, c, c + 128, ...: the
// inputs are viewed as [64, 128] along the reduction; the 128 partial sums
// are then added to the output in order.
// CHECK-DAG:   #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG:   #[[W:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG:   #[[P:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG:   #[[PIN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @weighted_row_sums(
// CHECK-SAME:      %[[XS:.*]]: memref<4x8192xf32>, %[[WS:.*]]: memref<8192xf32>, %[[S:.*]]: memref<4xf32>)
// CHECK:         %[[XE:.*]] = memref.expand_shape %[[XS]] {{\[}}[0], [1, 2]] output_shape [4, 64, 128] : memref<4x8192xf32> into memref<4x64x128xf32>
// CHECK:         %[[WE:.*]] = memref.expand_shape %[[WS]] {{\[}}[0, 1]] output_shape [64, 128] : memref<8192xf32> into memref<64x128xf32>
// CHECK:         %[[PART:.*]] = memref.alloc() : memref<4x128xf32>
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         linalg.fill ins(%[[ZERO]] : f32) outs(%[[PART]] : memref<4x128xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[P]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:        ins(%[[XE]], %[[WE]] : memref<4x64x128xf32>, memref<64x128xf32>) outs(%[[PART]] : memref<4x128xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         linalg.generic {indexing_maps = [#[[PIN]], #[[OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:        ins(%[[PART]] : memref<4x128xf32>) outs(%[[S]] : memref<4xf32>)
// CHECK:           %[[T:.*]] = arith.addf %{{.*}}, %{{.*}} : f32
// CHECK:           linalg.yield %[[T]]
// CHECK:         memref.dealloc %[[PART]] : memref<4x128xf32>
// CHECK-NEXT:    return
#rows = affine_map<(p, j) -> (p, j)>
#cols = affine_map<(p, j) -> (j)>
#out = affine_map<(p, j) -> (p)>
func.func @weighted_row_sums(%x: memref<4x8192xf32>, %w: memref<8192xf32>, %s: memref<4xf32>) {
  linalg.generic {indexing_maps = [#rows, #cols, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x, %w : memref<4x8192xf32>, memref<8192xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A linalg.reduce over 999999 terms (100 points x (d - 1) at d = 10^6):
// C = 481, the largest divisor of 999999 with 100 x C <= 65536.
// CHECK-LABEL: func.func @row_sums_of_pairs(
// CHECK:         memref.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [100, 2079, 481]
// CHECK:         memref.alloc() : memref<100x481xf32>
// CHECK:         iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         iterator_types = ["parallel", "reduction"]
// CHECK-NOT:     linalg.reduce
func.func @row_sums_of_pairs(%x: memref<100x999999xf32>, %s: memref<100xf32>) {
  linalg.reduce ins(%x : memref<100x999999xf32>) outs(%s : memref<100xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %r = arith.addf %in, %init : f32
      linalg.yield %r : f32
    }
  return
}

// -----

// Left alone: a short sum, a prime length (no chunking divides it), many
// outputs already, and a product instead of a sum.
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT:     memref.expand_shape
// CHECK-NOT:     memref.alloc
// CHECK-COUNT-4: linalg.generic
// CHECK-NOT:     linalg.generic
#rows = affine_map<(p, j) -> (p, j)>
#out = affine_map<(p, j) -> (p)>
func.func @left_alone(%short: memref<4x4096xf32>, %prime: memref<4x8209xf32>,
                      %wide: memref<65536x8192xf32>, %long: memref<4x8192xf32>,
                      %s: memref<4xf32>, %t: memref<65536xf32>) {
  linalg.generic {indexing_maps = [#rows, #out], iterator_types = ["parallel", "reduction"]}
      ins(%short : memref<4x4096xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#rows, #out], iterator_types = ["parallel", "reduction"]}
      ins(%prime : memref<4x8209xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#rows, #out], iterator_types = ["parallel", "reduction"]}
      ins(%wide : memref<65536x8192xf32>) outs(%t : memref<65536xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#rows, #out], iterator_types = ["parallel", "reduction"]}
      ins(%long : memref<4x8192xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.mulf %acc, %a : f32
    linalg.yield %r : f32
  }
  return
}
