// RUN: stde-opt %s --convert-jet-to-tensor --canonicalize | FileCheck %s

// jet.linear: a matrix given as a value on every coefficient.
// x B (input-major) with a one-hot tangent: the tangent's coefficient is a
// row of B (a gather, B read at [idx, o]), no product.
// CHECK-LABEL: func.func @project(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<5x3xf64>, %[[IDX:[a-z0-9]+]]: tensor<2xindex>, %[[B:[a-z0-9]+]]: tensor<3x2xf64>
// CHECK: linalg.generic {{.*}} ins(%[[IDX]] : tensor<2xindex>) outs(%{{.*}} : tensor<2x5x2xf64>)
// CHECK: ^bb0(%[[I:.*]]: index,
// CHECK: %[[O:.*]] = linalg.index 2
// CHECK: tensor.extract %[[B]][%[[I]], %[[O]]]
func.func @project(%x: tensor<5x3xf64>, %idx: tensor<2xindex>, %b: tensor<3x2xf64>) -> tensor<2x5x2xf64> {
  %j = jet.seed %x, %idx : (tensor<5x3xf64>, tensor<2xindex>) -> !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>
  %u = jet.linear %j, %b input_major : !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<3x2xf64>
  %c = jet.coefficient %u[1] : !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]> -> tensor<2x5x2xf64>
  return %c : tensor<2x5x2xf64>
}

// A (M u) + db as two maps: through the r x r core (stored (o, i)), then A
// with the bias on the primal only.
// CHECK-LABEL: func.func @lift(
// CHECK-SAME: %[[U0:[a-z0-9]+]]: tensor<5x2xf64>, %[[M:[a-z0-9]+]]: tensor<2x2xf64>, %[[A:[a-z0-9]+]]: tensor<4x2xf64>, %[[DB:[a-z0-9]+]]: tensor<4xf64>
// CHECK: %[[V:.*]] = linalg.generic {{.*}} ins(%[[U0]], %[[M]] : tensor<5x2xf64>, tensor<2x2xf64>)
// CHECK: %[[ROWS:.*]] = linalg.broadcast ins(%[[DB]] : tensor<4xf64>)
// CHECK: linalg.generic {{.*}} ins(%[[V]], %[[A]] : tensor<5x2xf64>, tensor<4x2xf64>) outs(%[[ROWS]] : tensor<5x4xf64>)
func.func @lift(%u0: tensor<5x2xf64>, %m: tensor<2x2xf64>, %a: tensor<4x2xf64>, %db: tensor<4xf64>) -> tensor<5x4xf64> {
  %j = jet.seed %u0 : (tensor<5x2xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [zero]>
  %v = jet.linear %j, %m : !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [zero]>, tensor<2x2xf64>
  %y = jet.linear %v, %a bias %db : !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [zero]>, tensor<4x2xf64>, tensor<4xf64>
  %c = jet.coefficient %y[0] : !jet.jet<order = 1, dirs = 2, tensor<5x4xf64>, [zero]> -> tensor<5x4xf64>
  return %c : tensor<5x4xf64>
}
