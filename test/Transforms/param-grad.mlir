// RUN: stde-opt %s --stde-param-grad --split-input-file | FileCheck %s

// Elementwise ops: tanh's adjoint reads its result, mulf the other operand;
// the original function stays, the gradient function is added beside it.
// CHECK-LABEL: func.func @elementwise(
// CHECK-LABEL: func.func @elementwise_grad(
// CHECK-SAME: %[[P:[a-z0-9]+]]: tensor<4xf64>) -> (f64, tensor<4xf64>)
// CHECK: %[[T:.*]] = math.tanh %[[P]]
// CHECK: %[[SQ:.*]] = arith.mulf %[[T]], %[[T]]
// CHECK: linalg.generic
// The reduction's adjoint broadcasts the seed (a map: no init read).
// CHECK: %[[B:.*]] = linalg.generic {{.*}}iterator_types = ["parallel"]
// CHECK: arith.mulf %[[B]], %[[T]]
// CHECK: arith.mulf %[[B]], %[[T]]
// CHECK: arith.addf
// CHECK: arith.mulf %[[T]], %[[T]]
// CHECK: arith.subf
// CHECK: return %{{.*}}, %{{.*}} : f64, tensor<4xf64>
func.func @elementwise(%p: tensor<4xf64>) -> f64 {
  %t = math.tanh %p : tensor<4xf64>
  %sq = arith.mulf %t, %t : tensor<4xf64>
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<f64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce ins(%sq : tensor<4xf64>) outs(%init : tensor<f64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %s = arith.addf %in, %acc : f64
      linalg.yield %s : f64
    }
  %r = tensor.extract %sum[] : tensor<f64>
  return %r : f64
}

// -----

// A matrix product: the weight adjoint is a contraction over the rows (a
// reduction generic into zeros), the flat parameter slice is written back
// with insert_slice; the input x is not differentiated.
// CHECK-LABEL: func.func @layer_grad(
// CHECK-SAME: -> (f64, tensor<8xf64>)
// The product, generalized: (m, k, n) with k reduced.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[GW:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "parallel"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<5x2xf64>, tensor<2x3xf64>, tensor<5x3xf64>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[GW]]
// CHECK: tensor.insert_slice %[[FLAT]] into %{{.*}}[2] [6] [1] : tensor<6xf64> into tensor<8xf64>
func.func @layer(%p: tensor<8xf64>, %x: tensor<5x2xf64>) -> f64 {
  %ws = tensor.extract_slice %p[2] [6] [1] : tensor<8xf64> to tensor<6xf64>
  %w = tensor.expand_shape %ws [[0, 1]] output_shape [2, 3] : tensor<6xf64> into tensor<2x3xf64>
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<5x3xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<5x3xf64>) -> tensor<5x3xf64>
  %y = linalg.matmul ins(%x, %w : tensor<5x2xf64>, tensor<2x3xf64>) outs(%init : tensor<5x3xf64>) -> tensor<5x3xf64>
  %flat = tensor.collapse_shape %y [[0, 1]] : tensor<5x3xf64> into tensor<15xf64>
  %e0 = tensor.empty() : tensor<f64>
  %i0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %d = linalg.dot ins(%flat, %flat : tensor<15xf64>, tensor<15xf64>) outs(%i0 : tensor<f64>) -> tensor<f64>
  %r = tensor.extract %d[] : tensor<f64>
  return %r : f64
}

// -----

// A gather through tensor.extract of a captured tensor (one-hot tangents
// into a dense layer) becomes a scatter-add loop nest over the iteration
// space.
// CHECK-LABEL: func.func @gather_grad(
// CHECK: scf.for
// CHECK: scf.for
// CHECK: tensor.extract
// CHECK: arith.addf
// CHECK: tensor.insert
func.func @gather(%p: tensor<8xf64>, %idx: tensor<3xindex>) -> f64 {
  %w = tensor.expand_shape %p [[0, 1]] output_shape [4, 2] : tensor<8xf64> into tensor<4x2xf64>
  %e = tensor.empty() : tensor<3x2xf64>
  %g = linalg.generic {indexing_maps = [affine_map<(r, o) -> (r)>, affine_map<(r, o) -> (r, o)>], iterator_types = ["parallel", "parallel"]} ins(%idx : tensor<3xindex>) outs(%e : tensor<3x2xf64>) {
  ^bb0(%i: index, %out: f64):
    %o = linalg.index 1 : index
    %v = tensor.extract %w[%i, %o] : tensor<4x2xf64>
    linalg.yield %v : f64
  } -> tensor<3x2xf64>
  %flat = tensor.collapse_shape %g [[0, 1]] : tensor<3x2xf64> into tensor<6xf64>
  %zero = arith.constant 0.0 : f64
  %e0 = tensor.empty() : tensor<f64>
  %i0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %d = linalg.dot ins(%flat, %flat : tensor<6xf64>, tensor<6xf64>) outs(%i0 : tensor<f64>) -> tensor<f64>
  %r = tensor.extract %d[] : tensor<f64>
  return %r : f64
}

// -----

// One weight in two products: its second contribution (a reduction over
// zeros) starts from the first instead of zeros, so the two share one
// buffer and no sum of full weight-sized tensors is formed.
// CHECK-LABEL: func.func @shared_weight_grad(
// CHECK: %[[G1:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "parallel"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x2xf64>, tensor<2x3xf64>, tensor<4x3xf64>)
// CHECK-SAME: outs(%{{.*}} : tensor<2x3xf64>)
// CHECK: %[[G2:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "parallel"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<5x2xf64>, tensor<2x3xf64>, tensor<5x3xf64>)
// CHECK-SAME: outs(%[[G1]] : tensor<2x3xf64>)
// CHECK-NOT: arith.addf %{{.*}} : tensor<2x3xf64>
// CHECK: tensor.collapse_shape %[[G2]]
func.func @shared_weight(%p: tensor<6xf64>, %x: tensor<5x2xf64>, %z: tensor<4x2xf64>) -> f64 {
  %w = tensor.expand_shape %p [[0, 1]] output_shape [2, 3] : tensor<6xf64> into tensor<2x3xf64>
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<5x3xf64>
  %init = linalg.fill ins(%zero : f64) outs(%e : tensor<5x3xf64>) -> tensor<5x3xf64>
  %y = linalg.matmul ins(%x, %w : tensor<5x2xf64>, tensor<2x3xf64>) outs(%init : tensor<5x3xf64>) -> tensor<5x3xf64>
  %e2 = tensor.empty() : tensor<4x3xf64>
  %init2 = linalg.fill ins(%zero : f64) outs(%e2 : tensor<4x3xf64>) -> tensor<4x3xf64>
  %v = linalg.matmul ins(%z, %w : tensor<4x2xf64>, tensor<2x3xf64>) outs(%init2 : tensor<4x3xf64>) -> tensor<4x3xf64>
  %fy = tensor.collapse_shape %y [[0, 1]] : tensor<5x3xf64> into tensor<15xf64>
  %fv = tensor.collapse_shape %v [[0, 1]] : tensor<4x3xf64> into tensor<12xf64>
  %e0 = tensor.empty() : tensor<f64>
  %i0 = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %d = linalg.dot ins(%fy, %fy : tensor<15xf64>, tensor<15xf64>) outs(%i0 : tensor<f64>) -> tensor<f64>
  %d2 = linalg.dot ins(%fv, %fv : tensor<12xf64>, tensor<12xf64>) outs(%d : tensor<f64>) -> tensor<f64>
  %r = tensor.extract %d2[] : tensor<f64>
  return %r : f64
}
