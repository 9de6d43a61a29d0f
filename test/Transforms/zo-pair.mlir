// RUN: stde-opt %s --zo-pair="functions=loss rank=2 pairs=1 eps=0.01" --cse | FileCheck %s
// RUN: stde-opt %s --zo-pair="functions=loss rank=8 pairs=2" --cse | FileCheck %s --check-prefix=PAIRS

// Both sides are clones of @loss with every dense layer perturbed, made in
// lockstep (op by op; in a layer every side's W x, then every side's x B,
// then every side's core product, then every side's A and bias);
// the spatial values (points, tangents) are the same SSA values on both
// sides, so W x and x B of the first layer, whose input does not depend on
// the perturbation, are computed ONCE for both sides. The second layer's
// input differs between the sides: its products are per side, side by side.
// CHECK-LABEL: func.func @loss_zo(
// CHECK-SAME: %[[THETA:[a-z0-9]+]]: tensor<21xf64>, %[[XS:[a-z0-9]+]]: tensor<5x3xf64>, %[[IDX:[a-z0-9]+]]: tensor<2xindex>, %[[CORES:[a-z0-9]+]]: tensor<5xf64>, %[[SEED:[a-z0-9]+]]: i64, %[[PSTEP:[a-z0-9]+]]: i64, %[[EPOCH:[a-z0-9]+]]: i64) -> tensor<1x2xf64>
// CHECK-SAME: zo.plan = {eps = 1.000000e-02 : f64, layers = [array<i64: 0, 3, 4, 2, 0>, array<i64: 16, 4, 1, 1, 4>], pairs = 1 : i64}
// The bases (role "subspace": seed and epoch) and the cores S (the state).
// CHECK-DAG: %[[A0:.*]] = zo.basis %[[SEED]], %[[EPOCH]] stream 2147024897 : tensor<4x2xf64>
// CHECK-DAG: %[[B0:.*]] = zo.basis %[[SEED]], %[[EPOCH]] stream 2147024896 : tensor<3x2xf64>
// CHECK-DAG: %[[B1:.*]] = zo.basis %[[SEED]], %[[EPOCH]] stream 2147024898 : tensor<4x1xf64>
// CHECK-DAG: %[[S0:.*]] = tensor.expand_shape {{.*}} into tensor<2x2xf64>
// Z and the bias perturbation (role "param": seed and param step).
// CHECK-DAG: %[[Z0:.*]] = rng.draw gaussian %[[SEED]], %[[PSTEP]] stream 2147155968 : tensor<2x2xf64>
// CHECK-DAG: %[[DZ:.*]] = arith.mulf %[[Z0]], %{{.*}} : tensor<2x2xf64>
// CHECK-DAG: %[[PLUS:.*]] = arith.addf %[[S0]], %[[DZ]] : tensor<2x2xf64>
// CHECK-DAG: %[[MINUS:.*]] = arith.subf %[[S0]], %[[DZ]] : tensor<2x2xf64>
// The first layer, once for both sides; its perturbations per side:
// x B, then through the core, then A with the bias perturbation.
// CHECK-DAG: %[[DB:.*]] = arith.mulf %{{.*}}, %{{.*}} : tensor<4xf64>
// CHECK-DAG: %[[NDB:.*]] = arith.negf %[[DB]] : tensor<4xf64>
// CHECK: %[[J:.*]] = jet.seed %[[XS]], %[[IDX]]
// CHECK: %[[WX:.*]] = jet.dense %[[J]], %[[THETA]][0]
// CHECK: %[[U:.*]] = jet.linear %[[J]], %[[B0]] input_major
// CHECK: %[[VP:.*]] = jet.linear %[[U]], %[[PLUS]] :
// CHECK: %[[VM:.*]] = jet.linear %[[U]], %[[MINUS]] :
// CHECK: %[[P:.*]] = jet.linear %[[VP]], %[[A0]] bias %[[DB]]
// CHECK: %[[Q:.*]] = jet.linear %[[VM]], %[[A0]] bias %[[NDB]]
// CHECK: %[[H:.*]] = jet.add %[[WX]], %[[P]]
// CHECK: %[[H2:.*]] = jet.add %[[WX]], %[[Q]]
// CHECK-NOT: jet.seed
// CHECK-NOT: jet.dense %{{.*}}, %[[THETA]][0]
// CHECK-NOT: jet.linear %[[J]]
// CHECK: %[[T:.*]] = jet.elementwise tanh %[[H]]
// CHECK: %[[T2:.*]] = jet.elementwise tanh %[[H2]]
// The second layer: both sides' W x, then both sides' x B (then the cores
// and A).
// CHECK-NEXT: jet.dense %[[T]], %[[THETA]][16]
// CHECK-NEXT: jet.dense %[[T2]], %[[THETA]][16]
// CHECK-NEXT: jet.linear %[[T]], %[[B1]] input_major
// CHECK-NEXT: jet.linear %[[T2]], %[[B1]] input_major
// CHECK: %[[LPLUS:.*]] = tensor.extract
// CHECK: %[[LMINUS:.*]] = tensor.extract
// CHECK: %[[L:.*]] = tensor.from_elements %[[LPLUS]], %[[LMINUS]] : tensor<1x2xf64>
// CHECK: return %[[L]]

// Ranks are capped by the layer (min(8, 3, 4) = 3, min(8, 4, 1) = 1); two
// pairs draw from two streams per layer.
// PAIRS: layers = [array<i64: 0, 3, 4, 3, 0>, array<i64: 16, 4, 1, 1, 9>], pairs = 2
// PAIRS: rng.draw gaussian {{.*}} stream 2147155968 : tensor<3x3xf64>
// PAIRS: rng.draw gaussian {{.*}} stream 2147155969 : tensor<3x3xf64>
// PAIRS: tensor.from_elements {{.*}} : tensor<2x2xf64>

func.func @loss(%theta: tensor<21xf64>, %xs: tensor<5x3xf64>, %idx: tensor<2xindex>) -> f64 {
  %j = jet.seed %xs, %idx : (tensor<5x3xf64>, tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<5x3xf64>, [onehot, zero]>
  %h = jet.dense %j, %theta[0] : (!jet.jet<order = 2, dirs = 2, tensor<5x3xf64>, [onehot, zero]>, tensor<21xf64>) -> !jet.jet<order = 2, dirs = 2, tensor<5x4xf64>, [dense, zero]>
  %a = jet.elementwise tanh %h : !jet.jet<order = 2, dirs = 2, tensor<5x4xf64>, [dense, zero]>
  %o = jet.dense %a, %theta[16] : (!jet.jet<order = 2, dirs = 2, tensor<5x4xf64>, [dense, dense]>, tensor<21xf64>) -> !jet.jet<order = 2, dirs = 2, tensor<5x1xf64>, [dense, dense]>
  %s = jet.sum %o : !jet.jet<order = 2, dirs = 2, tensor<5x1xf64>, [dense, dense]>
  %c = jet.coefficient %s[2] : !jet.jet<order = 2, dirs = 2, tensor<5xf64>, [dense, dense]> -> tensor<2x5xf64>
  %i0 = arith.constant 0 : index
  %v = tensor.extract %c[%i0, %i0] : tensor<2x5xf64>
  return %v : f64
}
