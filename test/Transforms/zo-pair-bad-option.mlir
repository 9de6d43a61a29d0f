// RUN: not stde-opt %s --zo-pair="rank=40" 2>&1 | FileCheck %s
// RUN: not stde-opt %s --zo-pair="eps=-1.0" 2>&1 | FileCheck %s --check-prefix=EPS
// RUN: not stde-opt %s --zo-update="momentum=1.0" 2>&1 | FileCheck %s --check-prefix=MOMENTUM
// RUN: not stde-opt %s --zo-update="optimizer=lion" 2>&1 | FileCheck %s --check-prefix=OPTIMIZER
// RUN: not stde-opt %s --zo-update="optimizer=adam beta2=1.0" 2>&1 | FileCheck %s --check-prefix=ADAM
// RUN: not stde-opt %s --zo-update="optimizer=adam momentum=0.5" 2>&1 | FileCheck %s --check-prefix=ADAM

// CHECK: zo-pair: rank must be in [1, 32] and pairs in [1, 256], got rank 40, pairs 1
// EPS: zo-pair: eps must be a positive finite radius, got -1
// MOMENTUM: zo-update: needs learning-rate > 0, 0 <= momentum < 1 and decay-steps >= 0
// OPTIMIZER: zo-update: optimizer must be `sgd` (ZO-SGD, heavy ball with momentum > 0) or `adam` (Adam on the cores and biases), not `lion`
// ADAM: zo-update: Adam needs 0 <= beta1, beta2 < 1 and epsilon > 0, and no momentum (beta1 is Adam's)
func.func @f(%x: f64) -> f64 {
  return %x : f64
}

// RUN: not stde-opt %S/zo-update.mlir --zo-pair="functions=loss" --zo-update --zo-update 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: zo-update would add @loss_zo_step, which exists already (run zo-update once per paired loss)
