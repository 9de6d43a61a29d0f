// RUN: stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(convert-matmul-to-gpu))" | FileCheck %s
// RUN: stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(convert-matmul-to-gpu{target-blocks=1}))" | FileCheck %s --check-prefix=NOSPLIT

// A first-layer product (points x d times d x width): 2 x 2 tiles of C
// cannot fill the GPU, so K = 4096 is split over 64 blocks (the most at 4
// stages each) into a workspace, then summed into C in split order.
// CHECK-LABEL: func.func @first_layer
// CHECK:         %[[WS:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<64x?x?xf32>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %{{.*}}, {{.*}} = %{{.*}}, {{.*}} = %c64{{.*}}) threads({{.*}}) in ({{.*}} = %c256{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) workgroup(%[[TA:.*]] : memref<16x65xf32, #gpu.address_space<workgroup>>, %[[TB:.*]] : memref<16x65xf32, #gpu.address_space<workgroup>>)
// CHECK:           scf.for {{.*}} iter_args(
// CHECK-COUNT-4:     memref.store %{{.*}}, %[[TA]][
// CHECK-COUNT-4:     memref.store %{{.*}}, %[[TB]][
// CHECK:             gpu.barrier
// CHECK:             scf.for
// CHECK-COUNT-16:      math.fma
// CHECK:             gpu.barrier
// CHECK:           memref.store %{{.*}}, %[[WS]][
// CHECK:         gpu.launch
// CHECK:           scf.for %{{.*}} = %c0{{.*}} to %c64{{.*}}
// CHECK:             memref.load %[[WS]]
// CHECK:             arith.addf
// CHECK:           memref.store
// CHECK:         memref.dealloc %[[WS]]
// CHECK-NOT:     linalg.matmul
// NOSPLIT-LABEL: func.func @first_layer
// NOSPLIT-NOT:     memref.alloc
// NOSPLIT:         %[[C:.*]] = memref.cast %arg2 : memref<100x128xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// NOSPLIT:         gpu.launch blocks({{.*}}) in ({{.*}}, {{.*}}, {{.*}} = %c1{{.*}})
// NOSPLIT:           %[[OLD:.*]] = memref.load %[[C]]
// NOSPLIT-NEXT:      %[[SUM:.*]] = arith.addf %[[OLD]]
// NOSPLIT-NEXT:      memref.store %[[SUM]], %[[C]]
func.func @first_layer(%a: memref<100x4096xf32>, %b: memref<4096x128xf32>, %c: memref<100x128xf32>) {
  linalg.matmul ins(%a, %b : memref<100x4096xf32>, memref<4096x128xf32>) outs(%c : memref<100x128xf32>)
  return
}

// -----

// A weight gradient X^T dY (f64): A is read through a transposed view, and
// the loads pick the contiguous axis at run time from the strides.
// CHECK-LABEL: func.func @weight_gradient
// CHECK:         memref.transpose %arg0 (d0, d1) -> (d1, d0)
// CHECK:         gpu.launch
// CHECK-SAME:      workgroup({{.*}} : memref<16x65xf64, #gpu.address_space<workgroup>>, {{.*}} : memref<16x65xf64, #gpu.address_space<workgroup>>)
// CHECK:           memref.extract_strided_metadata
// CHECK:           math.fma {{.*}} : f64
// CHECK-NOT:     linalg.generic
#xt = affine_map<(m, n, k) -> (k, m)>
#dy = affine_map<(m, n, k) -> (k, n)>
#w = affine_map<(m, n, k) -> (m, n)>
func.func @weight_gradient(%x: memref<64x300xf64>, %dy: memref<64x32xf64>, %g: memref<300x32xf64>) {
  linalg.generic {indexing_maps = [#xt, #dy, #w], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %dy : memref<64x300xf64>, memref<64x32xf64>) outs(%g : memref<300x32xf64>) {
  ^bb0(%xi: f64, %di: f64, %gi: f64):
    %p = arith.mulf %xi, %di : f64
    %s = arith.addf %gi, %p : f64
    linalg.yield %s : f64
  }
  return
}

// -----

// Too small to be worth a tiled kernel (4 x 16 x 16 < 4096 multiply-adds),
// or not a product: left for the parallel-loop lowering.
// CHECK-LABEL: func.func @small
// CHECK-NOT:     gpu.launch
// CHECK:         linalg.matmul
func.func @small(%a: memref<4x16xf32>, %b: memref<16x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x16xf32>, memref<16x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Dynamic sizes: one block per tile of C, K not split.
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT:     memref.alloc
// CHECK:         %[[M:.*]] = memref.dim %{{.*}}, %c0
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}}, {{.*}}, {{.*}} = %c1{{.*}})
// CHECK-NOT:     linalg.matmul
func.func @dynamic(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}
