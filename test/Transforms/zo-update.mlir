// RUN: stde-opt %s --zo-pair="functions=loss rank=2 pairs=1 eps=0.01" --zo-update="learning-rate=0.1 decay-steps=100" --cse | FileCheck %s
// RUN: stde-opt %s --zo-pair="functions=loss rank=2 pairs=1 eps=0.01" --zo-update="learning-rate=0.1 momentum=0.9" --cse | FileCheck %s --check-prefix=MOMENTUM
// RUN: stde-opt %s --zo-pair="functions=loss rank=2 pairs=1 eps=0.01" --zo-update="learning-rate=0.1 optimizer=adam beta1=0.5 beta2=0.75" --cse | FileCheck %s --check-prefix=ADAM

// The step: c = (L+ - L-) / (2 eps) = 50 (L+ - L-), the cores and the biases
// move; the weights in theta are not written (only the bias slices [12, 16)
// and [20, 21) are inserted).
// CHECK-LABEL: func.func @loss_zo_step(
// CHECK-SAME: %[[THETA:[a-z0-9]+]]: tensor<21xf64>, %[[STATE:[a-z0-9]+]]: tensor<5xf64>, %{{.*}}: tensor<5x3xf64>, %{{.*}}: tensor<2xindex>, %[[SEED:[a-z0-9]+]]: i64, %[[PSTEP:[a-z0-9]+]]: i64, %[[EPOCH:[a-z0-9]+]]: i64) -> (tensor<21xf64>, tensor<5xf64>, f64)
// CHECK: %[[L:.*]] = call @loss_zo(
// CHECK-DAG: %[[LP:.*]] = tensor.extract %[[L]][%c0, %c0]
// CHECK-DAG: %[[LM:.*]] = tensor.extract %[[L]][%c0, %c1]
// CHECK: %[[D:.*]] = arith.subf %[[LP]], %[[LM]] : f64
// CHECK: %[[C:.*]] = arith.mulf %[[D]], %{{.*}} : f64
// Linear decay of the rate: lr0 * max(0, 1 - step / 100).
// CHECK: arith.sitofp %[[PSTEP]]
// CHECK: arith.maximumf
// CHECK: rng.draw gaussian %[[SEED]], %[[PSTEP]] stream 2147155968 : tensor<2x2xf64>
// CHECK: tensor.collapse_shape {{.*}} into tensor<4xf64>
// CHECK: tensor.insert_slice %{{.*}} into %[[STATE]][0] [4] [1]
// CHECK: tensor.insert_slice %{{.*}} into %[[THETA]][12] [4] [1]
// CHECK-NOT: into %[[THETA]][0]
// CHECK: tensor.insert_slice %{{.*}}[20] [1] [1]
// CHECK: return

// The fold: W += (A S) B^T with the epoch's bases, then the cores restart.
// CHECK-LABEL: func.func @loss_zo_fold(
// CHECK: %[[A:.*]] = zo.basis %{{.*}}, %{{.*}} stream 2147024897 : tensor<4x2xf64>
// CHECK: %[[B:.*]] = zo.basis %{{.*}}, %{{.*}} stream 2147024896 : tensor<3x2xf64>
// CHECK: %[[W:.*]] = tensor.expand_shape {{.*}} into tensor<4x3xf64>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[B]] : tensor<4x2xf64>, tensor<3x2xf64>) outs(%[[W]] : tensor<4x3xf64>)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<5xf64>
// CHECK: tensor.insert_slice %[[ZERO]] into %{{.*}}[0] [5] [1]

// The materialized directions, for tests: scale A Z B^T and z per pair.
// CHECK-LABEL: func.func @loss_zo_directions(
// CHECK-SAME: -> tensor<21xf64>

// Heavy ball: the state holds the cores (5), their momenta (5), the bias
// momenta (4 + 1).
// MOMENTUM-LABEL: func.func @loss_zo_step(
// MOMENTUM-SAME: tensor<15xf64>
// MOMENTUM: tensor.extract_slice %{{.*}}[5] [4] [1]
// MOMENTUM: tensor.extract_slice %{{.*}}[10] [4] [1]

// Adam: the state holds the cores (5), their m (5) and v (5), the biases' m
// (4 + 1) and v (4 + 1). Bias corrections 1 - beta^(step + 1); the first
// layer's cores step by lr scale = 0.1 sqrt(4 3) / 2, its biases by lr.
// ADAM-LABEL: func.func @loss_zo_step(
// ADAM-SAME: %[[THETA:[a-z0-9]+]]: tensor<21xf64>, %[[STATE:[a-z0-9]+]]: tensor<25xf64>, %{{.*}}: tensor<5x3xf64>, %{{.*}}: tensor<2xindex>, %{{.*}}: i64, %[[PSTEP:[a-z0-9]+]]: i64, %{{.*}}: i64) -> (tensor<21xf64>, tensor<25xf64>, f64)
// ADAM: %[[B1:.*]] = arith.constant 5.000000e-01 : f64
// ADAM: %[[LR:.*]] = arith.constant 1.000000e-01 : f64
// ADAM: %[[S:.*]] = arith.sitofp %[[PSTEP]] : i64 to f64
// ADAM: %[[T:.*]] = arith.addf %[[S]], %{{.*}} : f64
// ADAM: math.powf %[[B1]], %[[T]] : f64
// ADAM: %[[B2:.*]] = arith.constant 7.500000e-01 : f64
// ADAM: math.powf %[[B2]], %[[T]] : f64
// ADAM: %[[SCALE:.*]] = arith.constant 1.7320508075688772 : f64
// ADAM: tensor.extract_slice %[[STATE]][0] [4] [1]
// ADAM: arith.mulf %[[LR]], %[[SCALE]] : f64
// ADAM: %[[M:.*]] = tensor.extract_slice %[[STATE]][5] [4] [1]
// ADAM: %[[V:.*]] = tensor.extract_slice %[[STATE]][10] [4] [1]
// ADAM: math.sqrt
// ADAM: tensor.extract_slice %[[STATE]][15] [4] [1]
// ADAM: tensor.extract_slice %[[STATE]][20] [4] [1]
// ADAM: math.sqrt
// ADAM: %[[S1:.*]] = tensor.insert_slice %{{.*}} into %[[STATE]][0] [4] [1]
// ADAM: %[[S2:.*]] = tensor.insert_slice %{{.*}} into %[[S1]][5] [4] [1]
// ADAM: %[[S3:.*]] = tensor.insert_slice %{{.*}} into %[[S2]][10] [4] [1]
// ADAM: %[[S4:.*]] = tensor.insert_slice %{{.*}} into %[[S3]][15] [4] [1]
// ADAM: tensor.insert_slice %{{.*}} into %[[S4]][20] [4] [1]
// ADAM: tensor.insert_slice %{{.*}} into %[[THETA]][12] [4] [1]
// ADAM-NOT: into %[[THETA]][0]
// The output layer's: m at 5 + 4, v at 10 + 4, the bias's m at 19, v at 24.
// ADAM: [9] [1] [1]
// ADAM: [14] [1] [1]
// ADAM: [19] [1] [1]
// ADAM: [24] [1] [1]
// ADAM: return
// The fold clears the cores and their m (10 values), keeps v.
// ADAM-LABEL: func.func @loss_zo_fold(
// ADAM: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<10xf64>
// ADAM: tensor.insert_slice %[[ZERO]] into %{{.*}}[0] [10] [1]

func.func @loss(%theta: tensor<21xf64>, %xs: tensor<5x3xf64>, %idx: tensor<2xindex>) -> f64 {
  %j = jet.seed %xs, %idx : (tensor<5x3xf64>, tensor<2xindex>) -> !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>
  %h = jet.dense %j, %theta[0] : (!jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<21xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<5x4xf64>, [dense]>
  %a = jet.elementwise tanh %h : !jet.jet<order = 1, dirs = 2, tensor<5x4xf64>, [dense]>
  %o = jet.dense %a, %theta[16] : (!jet.jet<order = 1, dirs = 2, tensor<5x4xf64>, [dense]>, tensor<21xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<5x1xf64>, [dense]>
  %s = jet.sum %o : !jet.jet<order = 1, dirs = 2, tensor<5x1xf64>, [dense]>
  %c = jet.coefficient %s[0] : !jet.jet<order = 1, dirs = 2, tensor<5xf64>, [dense]> -> tensor<5xf64>
  %i0 = arith.constant 0 : index
  %v = tensor.extract %c[%i0] : tensor<5xf64>
  return %v : f64
}
