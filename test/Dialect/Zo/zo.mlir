// RUN: stde-opt %s | stde-opt | FileCheck %s

// A perturbed layer's rank-r part: the bases come from Philox counters
// (seed, epoch, stream); x B, then A M u + db, are jet.linear maps.
// CHECK-LABEL: func.func @low_rank
// CHECK: %[[B:.*]] = zo.basis %{{.*}}, %{{.*}} stream 7 : tensor<3x2xf64>
// CHECK: %[[A:.*]] = zo.basis %{{.*}}, %{{.*}} stream 8 : tensor<4x2xf64>
// CHECK: %[[U:.*]] = jet.linear %{{.*}}, %[[B]] input_major : <order = 2, dirs = 2, tensor<5x3xf64>, [onehot, summed]>, tensor<3x2xf64>
// CHECK: %[[V:.*]] = jet.linear %[[U]], %{{.*}} : <order = 2, dirs = 2, tensor<5x2xf64>, [dense, summed]>, tensor<2x2xf64>
// CHECK: jet.linear %[[V]], %[[A]] bias %{{.*}} : <order = 2, dirs = 2, tensor<5x2xf64>, [dense, summed]>, tensor<4x2xf64>, tensor<4xf64>
func.func @low_rank(%x: !jet.jet<order = 2, dirs = 2, tensor<5x3xf64>, [onehot, summed]>,
                    %seed: i64, %epoch: i64, %m: tensor<2x2xf64>, %db: tensor<4xf64>)
    -> !jet.jet<order = 2, dirs = 2, tensor<5x4xf64>, [dense, summed]> {
  %b = zo.basis %seed, %epoch stream 7 : tensor<3x2xf64>
  %a = zo.basis %seed, %epoch stream 8 : tensor<4x2xf64>
  %u = jet.linear %x, %b input_major : !jet.jet<order = 2, dirs = 2, tensor<5x3xf64>, [onehot, summed]>, tensor<3x2xf64>
  %v = jet.linear %u, %m : !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [dense, summed]>, tensor<2x2xf64>
  %y = jet.linear %v, %a bias %db : !jet.jet<order = 2, dirs = 2, tensor<5x2xf64>, [dense, summed]>, tensor<4x2xf64>, tensor<4xf64>
  return %y : !jet.jet<order = 2, dirs = 2, tensor<5x4xf64>, [dense, summed]>
}
