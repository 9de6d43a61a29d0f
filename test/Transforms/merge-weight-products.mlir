// RUN: stde-opt %s --pass-pipeline="builtin.module(func.func(stde-merge-weight-products))" --split-input-file | FileCheck %s
// RUN: stde-opt %s --pass-pipeline="builtin.module(func.func(stde-merge-weight-products),one-shot-bufferize{bufferize-function-boundaries},convert-linalg-to-loops)" --split-input-file | FileCheck %s --check-prefix=LOOPS

// Two sides of a zeroth-order pair through one layer W (3 x 4, read (o, i)
// as jet-to-tensor emits it): each side's primal (bias init) and dense
// tangents (2 directions x 5 points, zero init). The four products with W
// are one product of 5 + 5 + 10 + 10 = 30 rows; the product with V, and the
// one whose input needs a stacked result, stay as they are.
#a2 = affine_map<(m, i, o) -> (m, i)>
#w2 = affine_map<(m, i, o) -> (o, i)>
#c2 = affine_map<(m, i, o) -> (m, o)>
#a3 = affine_map<(r, m, i, o) -> (r, m, i)>
#w3 = affine_map<(r, m, i, o) -> (o, i)>
#c3 = affine_map<(r, m, i, o) -> (r, m, o)>

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @two_sides(
// CHECK-SAME: %[[W0:[a-z0-9]+]]: tensor<3x4xf32>, %[[V:[a-z0-9]+]]: tensor<3x4xf32>, %[[P0:[a-z0-9]+]]: tensor<5x4xf32>, %[[P1:[a-z0-9]+]]: tensor<5x4xf32>, %[[T0:[a-z0-9]+]]: tensor<2x5x4xf32>, %[[T1:[a-z0-9]+]]: tensor<2x5x4xf32>, %[[BIAS:[a-z0-9]+]]: tensor<5x3xf32>)
// The product with V is first in the block and stays.
// CHECK: %[[OTHER:.*]] = linalg.generic {{.*}} ins(%[[P0]], %[[V]] : tensor<5x4xf32>, tensor<3x4xf32>)
// CHECK-DAG: %[[T0M:.*]] = tensor.collapse_shape %[[T0]] {{\[}}[0, 1], [2]] : tensor<2x5x4xf32> into tensor<10x4xf32>
// CHECK-DAG: %[[T1M:.*]] = tensor.collapse_shape %[[T1]] {{\[}}[0, 1], [2]] : tensor<2x5x4xf32> into tensor<10x4xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<30x4xf32>
// CHECK: %[[S0:.*]] = tensor.insert_slice %[[P0]] into %[[E]][0, 0] [5, 4] [1, 1]
// CHECK: %[[S1:.*]] = tensor.insert_slice %[[P1]] into %[[S0]][5, 0] [5, 4] [1, 1]
// CHECK: %[[S2:.*]] = tensor.insert_slice %[[T0M]] into %[[S1]][10, 0] [10, 4] [1, 1]
// CHECK: %[[ROWS:.*]] = tensor.insert_slice %[[T1M]] into %[[S2]][20, 0] [10, 4] [1, 1]
// CHECK: %[[IE:.*]] = tensor.empty() : tensor<30x3xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[BIAS]] into %[[IE]][0, 0] [5, 3] [1, 1]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[BIAS]] into %[[I0]][5, 0] [5, 3] [1, 1]
// CHECK: %[[I2:.*]] = tensor.insert_slice %{{.*}} into %[[I1]][10, 0] [10, 3] [1, 1]
// CHECK: %[[INIT:.*]] = tensor.insert_slice %{{.*}} into %[[I2]][20, 0] [10, 3] [1, 1]
// CHECK: %[[ALL:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[W]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[ROWS]], %[[W0]] : tensor<30x4xf32>, tensor<3x4xf32>) outs(%[[INIT]] : tensor<30x3xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[ACC]], %[[M]] : f32
// CHECK-NEXT: linalg.yield %[[S]]
// CHECK: %[[Y0:.*]] = tensor.extract_slice %[[ALL]][0, 0] [5, 3] [1, 1]
// CHECK: %[[Y1:.*]] = tensor.extract_slice %[[ALL]][5, 0] [5, 3] [1, 1]
// CHECK: %[[D0M:.*]] = tensor.extract_slice %[[ALL]][10, 0] [10, 3] [1, 1]
// CHECK: %[[D0:.*]] = tensor.expand_shape %[[D0M]] {{\[}}[0, 1], [2]] output_shape [2, 5, 3] : tensor<10x3xf32> into tensor<2x5x3xf32>
// CHECK: %[[D1M:.*]] = tensor.extract_slice %[[ALL]][20, 0] [10, 3] [1, 1]
// CHECK: %[[D1:.*]] = tensor.expand_shape %[[D1M]] {{\[}}[0, 1], [2]] output_shape [2, 5, 3] : tensor<10x3xf32> into tensor<2x5x3xf32>
// The next layer's input is a stacked result: it comes after, alone.
// CHECK: %[[NEXT:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[W0]] : tensor<5x4xf32>, tensor<3x4xf32>)
// CHECK: return %[[OTHER]], %[[Y0]], %[[Y1]], %[[D0]], %[[D1]], %[[NEXT]]

// Bufferized and as loops, the stacked product is one loop nest over 30 rows.
// LOOPS-LABEL: func.func @two_sides(
// LOOPS-DAG: %[[C30:.*]] = arith.constant 30 : index
// LOOPS-DAG: memref.alloc() {{.*}} : memref<30x4xf32>
// LOOPS: scf.for %{{.*}} = %{{.*}} to %[[C30]] step
func.func @two_sides(%w: tensor<3x4xf32>, %v: tensor<3x4xf32>, %p0: tensor<5x4xf32>,
                     %p1: tensor<5x4xf32>, %t0: tensor<2x5x4xf32>, %t1: tensor<2x5x4xf32>,
                     %bias: tensor<5x3xf32>)
    -> (tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x3xf32>, tensor<2x5x3xf32>, tensor<2x5x3xf32>, tensor<5x3xf32>) {
  %zero2 = arith.constant dense<0.0> : tensor<2x5x3xf32>
  %other = linalg.generic {indexing_maps = [#a2, #w2, #c2], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%p0, %v : tensor<5x4xf32>, tensor<3x4xf32>) outs(%bias : tensor<5x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<5x3xf32>
  %y0 = linalg.generic {indexing_maps = [#a2, #w2, #c2], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%p0, %w : tensor<5x4xf32>, tensor<3x4xf32>) outs(%bias : tensor<5x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<5x3xf32>
  %y1 = linalg.generic {indexing_maps = [#a2, #w2, #c2], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%p1, %w : tensor<5x4xf32>, tensor<3x4xf32>) outs(%bias : tensor<5x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<5x3xf32>
  %d0 = linalg.generic {indexing_maps = [#a3, #w3, #c3], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%t0, %w : tensor<2x5x4xf32>, tensor<3x4xf32>) outs(%zero2 : tensor<2x5x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x5x3xf32>
  %d1 = linalg.generic {indexing_maps = [#a3, #w3, #c3], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%t1, %w : tensor<2x5x4xf32>, tensor<3x4xf32>) outs(%zero2 : tensor<2x5x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x5x3xf32>
  // A 3-wide input made 4-wide: the next product reads a result above.
  %pad = tensor.empty() : tensor<5x4xf32>
  %in = tensor.insert_slice %y0 into %pad[0, 0] [5, 3] [1, 1] : tensor<5x3xf32> into tensor<5x4xf32>
  %next = linalg.generic {indexing_maps = [#a2, #w2, #c2], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%in, %w : tensor<5x4xf32>, tensor<3x4xf32>) outs(%bias : tensor<5x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<5x3xf32>
  return %other, %y0, %y1, %d0, %d1, %next : tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x3xf32>, tensor<2x5x3xf32>, tensor<2x5x3xf32>, tensor<5x3xf32>
}

// -----

// Zero-initialized products of one input-major basis (B: 4 x 2, read
// (i, o)) stack their inits as one splat. A product whose body is not a
// plain multiply-add, and one with another K, are left alone.
#a = affine_map<(m, i, o) -> (m, i)>
#b = affine_map<(m, i, o) -> (i, o)>
#c = affine_map<(m, i, o) -> (m, o)>
// CHECK-LABEL: func.func @splat_inits(
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [6, 4]
// CHECK: %[[ROWS:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[6, 0] [6, 4]
// CHECK-NOT: tensor.insert_slice
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<12x2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[ROWS]], %{{.*}} : tensor<12x4xf32>, tensor<4x2xf32>) outs(%[[Z]] : tensor<12x2xf32>)
// CHECK: %[[U0:.*]] = tensor.extract_slice %{{.*}}[0, 0] [6, 2]
// CHECK: %[[U1:.*]] = tensor.extract_slice %{{.*}}[6, 0] [6, 2]
// CHECK: %[[U0V:.*]] = tensor.expand_shape %[[U0]]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<6x4xf32>, tensor<4x2xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<6x3xf32>, tensor<3x2xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[U0V]], %[[U1]]
func.func @splat_inits(%basis: tensor<4x2xf32>, %small: tensor<3x2xf32>, %x0: tensor<6x4xf32>,
                       %x1: tensor<6x4xf32>, %x2: tensor<6x3xf32>)
    -> (tensor<2x3x2xf32>, tensor<6x2xf32>, tensor<6x2xf32>, tensor<6x2xf32>) {
  %zero = arith.constant dense<0.0> : tensor<6x2xf32>
  %u0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x0, %basis : tensor<6x4xf32>, tensor<4x2xf32>) outs(%zero : tensor<6x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x2xf32>
  // A reshape is no use: it moves below the stacked product with the rows.
  %u0v = tensor.expand_shape %u0 [[0, 1], [2]] output_shape [2, 3, 2] : tensor<6x2xf32> into tensor<2x3x2xf32>
  %u1 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x1, %basis : tensor<6x4xf32>, tensor<4x2xf32>) outs(%zero : tensor<6x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x2xf32>
  %max = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x1, %basis : tensor<6x4xf32>, tensor<4x2xf32>) outs(%zero : tensor<6x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.maximumf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x2xf32>
  %k3 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%x2, %small : tensor<6x3xf32>, tensor<3x2xf32>) outs(%zero : tensor<6x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<6x2xf32>
  return %u0v, %u1, %max, %k3 : tensor<2x3x2xf32>, tensor<6x2xf32>, tensor<6x2xf32>, tensor<6x2xf32>
}
