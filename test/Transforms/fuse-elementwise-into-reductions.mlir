// RUN: stde-opt %s --stde-fuse-elementwise="into-reductions=true" | FileCheck %s
// RUN: stde-opt %s --stde-fuse-elementwise | FileCheck %s --check-prefix=DEFAULT

// |x|^2 per row and c * x summed per row (c broadcast to every row): with
// into-reductions the square and the broadcast product fuse into the
// reductions, which read x and c directly: no 4 x 1000 intermediate.
// CHECK-LABEL: func.func @norms
// CHECK-NOT: linalg.broadcast
// CHECK-NOT: linalg.reduce
// CHECK: %[[N:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%arg0 : tensor<4x1000xf32>)
// CHECK: arith.mulf
// CHECK: %[[D:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%arg0, %arg1 : tensor<4x1000xf32>, tensor<1000xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[N]], %[[D]]

// Off by default: the named broadcast and reductions stay, each intermediate
// is its own tensor.
// DEFAULT-LABEL: func.func @norms
// DEFAULT: linalg.reduce
// DEFAULT: linalg.broadcast
// DEFAULT: linalg.reduce
#id = affine_map<(i, j) -> (i, j)>
func.func @norms(%x: tensor<4x1000xf32>, %c: tensor<1000xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4x1000xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x1000xf32>) outs(%e : tensor<4x1000xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  } -> tensor<4x1000xf32>
  %zero = arith.constant 0.0 : f32
  %r0 = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%r0 : tensor<4xf32>) -> tensor<4xf32>
  %n = linalg.reduce ins(%sq : tensor<4x1000xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %s = arith.addf %a, %acc : f32
      linalg.yield %s : f32
    }
  %cb = linalg.broadcast ins(%c : tensor<1000xf32>) outs(%e : tensor<4x1000xf32>) dimensions = [0]
  %p = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %cb : tensor<4x1000xf32>, tensor<4x1000xf32>) outs(%e : tensor<4x1000xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<4x1000xf32>
  %d = linalg.reduce ins(%p : tensor<4x1000xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %s = arith.addf %a, %acc : f32
      linalg.yield %s : f32
    }
  return %n, %d : tensor<4xf32>, tensor<4xf32>
}
