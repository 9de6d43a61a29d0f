// The shape of each lowered draw.
// RUN: stde-opt --convert-rng-to-arith %s | FileCheck %s

// CHECK-LABEL: func.func @rademacher
// CHECK: tensor.generate
// CHECK-COUNT-20: arith.mului_extended
// CHECK-NOT: arith.mului_extended
// CHECK: arith.andi
// CHECK: arith.sitofp
// CHECK: tensor.yield
func.func @rademacher(%seed: i64, %step: i64) -> tensor<4x3xf64> {
  %v = rng.draw rademacher %seed, %step stream 7 : tensor<4x3xf64>
  return %v : tensor<4x3xf64>
}

// Box-Muller: two uniforms of 53 bits, log, sqrt, cos.
// CHECK-LABEL: func.func @gaussian
// CHECK: tensor.generate
// CHECK: arith.shrui
// CHECK: arith.uitofp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.cos
func.func @gaussian(%seed: i64, %step: i64) -> tensor<8xf64> {
  %v = rng.draw gaussian %seed, %step stream 1 : tensor<8xf64>
  return %v : tensor<8xf64>
}

// A slice offsets each index and linearizes in the larger draw's shape.
// CHECK-LABEL: func.func @slice
// CHECK: tensor.generate
// CHECK-NEXT: ^bb0(%[[I:.*]]: index, %[[J:.*]]: index):
// CHECK: %[[THREE:.*]] = arith.constant 3 : index
// CHECK: %[[ROW:.*]] = arith.addi %[[I]], %[[THREE]] : index
// CHECK: %[[SIX:.*]] = arith.constant 6 : index
// CHECK: %[[R0:.*]] = arith.muli %{{.*}}, %[[SIX]] : index
// CHECK: %[[R1:.*]] = arith.addi %[[R0]], %[[ROW]] : index
// CHECK: %[[FIVE:.*]] = arith.constant 5 : index
// CHECK: %[[R2:.*]] = arith.muli %[[R1]], %[[FIVE]] : index
// CHECK: arith.addi %[[R2]], %[[J]] : index
func.func @slice(%seed: i64, %step: i64) -> tensor<2x5xf64> {
  %v = rng.draw uniform %seed, %step stream 1 slice [3, 0] of [6, 5] : tensor<2x5xf64>
  return %v : tensor<2x5xf64>
}

// Floyd's algorithm: k iterations, each scanning the values already taken.
// CHECK-LABEL: func.func @sample
// CHECK: %[[K:.*]] = arith.constant 5 : index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[K]]
// CHECK: arith.mului_extended %{{.*}}, %{{.*}} : i64
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[I]]
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: tensor.insert
func.func @sample(%seed: i64, %step: i64) -> tensor<5xindex> {
  %J = rng.sample %seed, %step stream 2 population 9 : tensor<5xindex>
  return %J : tensor<5xindex>
}

// Alias table: one column, one coin.
// CHECK-LABEL: func.func @choice
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<3xf64>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<3xindex>
// CHECK: tensor.generate
// CHECK: arith.cmpf olt
// CHECK: arith.select
func.func @choice(%seed: i64, %step: i64) -> tensor<6xindex> {
  %t = rng.choice %seed, %step stream 3 weights [1.0, 2.0, 5.0] : tensor<6xindex>
  return %t : tensor<6xindex>
}
