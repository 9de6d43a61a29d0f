// RUN: stde-opt %s -split-input-file --convert-jet-to-tensor | FileCheck %s

// A summed top coefficient is one tensor per point: the dense layer gives it
// ONE product of N rows (not R*N, like the dense coefficient 1), tanh adds the direction sum of its
// per-direction term f''/2 a_1^2 (a linalg.reduce over the direction axis),
// and jet.coefficient returns the sum times 2! without a direction axis.
// The first layer's summed input is a known zero: no product for it.
// CHECK-LABEL: func.func @collapsed_layer
// CHECK-SAME: (%[[T:.*]]: tensor<14xf64>, %[[X:.*]]: tensor<5x3xf64>, %[[I:.*]]: tensor<4xindex>)
// CHECK: linalg.generic {{.*}} ins(%[[X]], %{{.*}} : tensor<5x3xf64>, tensor<3x3xf64>)
// CHECK-NOT: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<{{.*}}x3xf64>, tensor<3x3xf64>)
// CHECK: %[[RED:.*]] = linalg.reduce ins(%{{.*}} : tensor<4x5x3xf64>) outs(%{{.*}} : tensor<5x3xf64>) dimensions = [0]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<20x3xf64>, tensor<1x3xf64>)
// CHECK: %[[TOP:.*]] = linalg.generic {{.*}} ins(%[[RED]], %{{.*}} : tensor<5x3xf64>, tensor<1x3xf64>) outs(%{{.*}} : tensor<5x1xf64>)
// CHECK: %[[D2:.*]] = arith.mulf %[[TOP]], %{{.*}} : tensor<5x1xf64>
// CHECK: return %[[D2]]
func.func @collapsed_layer(%theta: tensor<14xf64>, %x: tensor<5x3xf64>, %i: tensor<4xindex>) -> tensor<5x1xf64> {
  %j = jet.seed %x, %i : (tensor<5x3xf64>, tensor<4xindex>) -> !jet.jet<order = 2, dirs = 4, tensor<5x3xf64>, [onehot, zero]>
  %c = jet.collapse %j : !jet.jet<order = 2, dirs = 4, tensor<5x3xf64>, [onehot, zero]> -> !jet.jet<order = 2, dirs = 4, tensor<5x3xf64>, [onehot, summed]>
  %h = jet.dense %c, %theta[0] : (!jet.jet<order = 2, dirs = 4, tensor<5x3xf64>, [onehot, summed]>, tensor<14xf64>) -> !jet.jet<order = 2, dirs = 4, tensor<5x3xf64>, [dense, summed]>
  %t = jet.elementwise tanh %h : !jet.jet<order = 2, dirs = 4, tensor<5x3xf64>, [dense, summed]>
  %o = jet.dense %t, %theta[9] : (!jet.jet<order = 2, dirs = 4, tensor<5x3xf64>, [dense, summed]>, tensor<14xf64>) -> !jet.jet<order = 2, dirs = 4, tensor<5x1xf64>, [dense, summed]>
  %s = jet.coefficient %o[2] : !jet.jet<order = 2, dirs = 4, tensor<5x1xf64>, [dense, summed]> -> tensor<5x1xf64>
  return %s : tensor<5x1xf64>
}

