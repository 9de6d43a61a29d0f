// RUN: stde-opt %s --stde-vectorizable-math-reductions="lanes=64 min-terms=128" --split-input-file | FileCheck %s
// RUN: not stde-opt %s --stde-vectorizable-math-reductions="lanes=1" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: stde-vectorizable-math-reductions: lanes must be at least 2 and min-terms at least 1

// A per-point sum over 200 coordinates of c_i sin(x_i) cos(x_{i+1}): the
// first 192 terms in 64 lanes (lane c takes the terms 64 s + c, the lane loop
// innermost and parallel), the lanes added to the output in order, then the
// original op on the 8 remaining terms.
// CHECK-DAG: #[[CMAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[LMAP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @two_body_sum(
// CHECK-SAME: %[[C:[a-z0-9]+]]: memref<200xf32>, %[[X:[a-z0-9]+]]: memref<4x201xf32>, %[[OUT:[a-z0-9]+]]: memref<4xf32>)
// CHECK: %[[A:.*]] = memref.subview %[[X]][0, 0] [4, 200]
// CHECK: %[[B:.*]] = memref.subview %[[X]][0, 1] [4, 200]
// CHECK: %[[CHEAD:.*]] = memref.subview %[[C]][0] [192] [1]
// CHECK: %[[CTAIL:.*]] = memref.subview %[[C]][192] [8] [1]
// CHECK: %[[CL:.*]] = memref.expand_shape %[[CHEAD]] {{\[}}[0, 1]] output_shape [3, 64]
// CHECK: %[[AHEAD:.*]] = memref.subview %[[A]][0, 0] [4, 192] [1, 1]
// CHECK: %[[ATAIL:.*]] = memref.subview %[[A]][0, 192] [4, 8] [1, 1]
// CHECK: %[[AL:.*]] = memref.expand_shape %[[AHEAD]] {{\[}}[0], [1, 2]] output_shape [4, 3, 64] {{.*}} into memref<4x3x64xf32, strided<[201, 64, 1]>>
// CHECK: %[[BHEAD:.*]] = memref.subview %[[B]][0, 0] [4, 192] [1, 1]
// CHECK: %[[BTAIL:.*]] = memref.subview %[[B]][0, 192] [4, 8] [1, 1]
// CHECK: %[[BL:.*]] = memref.expand_shape %[[BHEAD]] {{\[}}[0], [1, 2]] output_shape [4, 3, 64] {{.*}} into memref<4x3x64xf32, strided<[201, 64, 1], offset: 1>>
// CHECK: %[[LANES:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x64xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[LANES]] : memref<4x64xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[CMAP]], #[[XMAP]], #[[XMAP]], #[[LMAP]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[CL]], %[[AL]], %[[BL]] : {{.*}}) outs(%[[LANES]] : memref<4x64xf32>)
// CHECK: math.sin
// CHECK: math.cos
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[LANES]] : memref<4x64xf32>) outs(%[[OUT]] : memref<4xf32>)
// CHECK-NEXT: ^bb0(%[[LANE:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[ACC]], %[[LANE]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]]
// CHECK: memref.dealloc %[[LANES]]
// CHECK: linalg.generic {{.*}} ins(%[[CTAIL]], %[[ATAIL]], %[[BTAIL]] : {{.*}}) outs(%[[OUT]] : memref<4xf32>)
// CHECK: math.sin
// CHECK-NOT: linalg.generic
// CHECK: return
#vec = affine_map<(n, i) -> (i)>
#row = affine_map<(n, i) -> (n, i)>
#point = affine_map<(n, i) -> (n)>
func.func @two_body_sum(%c: memref<200xf32>, %x: memref<4x201xf32>, %out: memref<4xf32>) {
  %a = memref.subview %x[0, 0] [4, 200] [1, 1] : memref<4x201xf32> to memref<4x200xf32, strided<[201, 1]>>
  %b = memref.subview %x[0, 1] [4, 200] [1, 1] : memref<4x201xf32> to memref<4x200xf32, strided<[201, 1], offset: 1>>
  linalg.generic {indexing_maps = [#vec, #row, #row, #point], iterator_types = ["parallel", "reduction"]}
      ins(%c, %a, %b : memref<200xf32>, memref<4x200xf32, strided<[201, 1]>>, memref<4x200xf32, strided<[201, 1], offset: 1>>)
      outs(%out : memref<4xf32>) {
  ^bb0(%ci: f32, %xi: f32, %xj: f32, %acc: f32):
    %s = math.sin %xi : f32
    %t = math.cos %xj : f32
    %st = arith.mulf %s, %t : f32
    %term = arith.mulf %ci, %st : f32
    %sum = arith.addf %acc, %term : f32
    linalg.yield %sum : f32
  }
  return
}

// -----

// Left alone: f64 sums (their math stays library calls), sums without
// transcendental terms, sums shorter than min-terms, and sums whose term
// reads the accumulator.
// CHECK-LABEL: func.func @left_alone(
// CHECK-NOT: memref.expand_shape
// CHECK-NOT: memref.alloc
// CHECK: return
#row2 = affine_map<(n, i) -> (n, i)>
#point2 = affine_map<(n, i) -> (n)>
func.func @left_alone(%x64: memref<4x256xf64>, %o64: memref<4xf64>, %x: memref<4x256xf32>,
                      %short: memref<4x100xf32>, %o: memref<4xf32>) {
  linalg.generic {indexing_maps = [#row2, #point2], iterator_types = ["parallel", "reduction"]}
      ins(%x64 : memref<4x256xf64>) outs(%o64 : memref<4xf64>) {
  ^bb0(%v: f64, %acc: f64):
    %s = math.sin %v : f64
    %r = arith.addf %acc, %s : f64
    linalg.yield %r : f64
  }
  linalg.generic {indexing_maps = [#row2, #point2], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x256xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.mulf %v, %v : f32
    %r = arith.addf %acc, %s : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#row2, #point2], iterator_types = ["parallel", "reduction"]}
      ins(%short : memref<4x100xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = math.exp %v : f32
    %r = arith.addf %acc, %s : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#row2, #point2], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x256xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = math.exp %acc : f32
    %t = arith.mulf %s, %v : f32
    %r = arith.addf %acc, %t : f32
    linalg.yield %r : f32
  }
  return
}
