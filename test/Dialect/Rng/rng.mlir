// Round trip.
// RUN: stde-opt %s | stde-opt | FileCheck %s

// CHECK-LABEL: func.func @all
// CHECK: rng.philox %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : i32
// CHECK: rng.draw gaussian %{{.*}}, %{{.*}} stream 4 : tensor<2x3xf32>
// CHECK: rng.draw uniform %{{.*}}, %{{.*}} stream 4 slice [1, 0] of [4, 3] : tensor<2x3xf64>
// CHECK: rng.sample %{{.*}}, %{{.*}} stream 5 population 10 : tensor<3xindex>
// CHECK: rng.choice %{{.*}}, %{{.*}} stream 6 weights [1.000000e+00, 2.500000e-01] : tensor<4xindex>
func.func @all(%seed: i64, %step: i64, %w: i32) {
  %r:4 = rng.philox %w, %w, %w, %w, %w, %w : i32
  %g = rng.draw gaussian %seed, %step stream 4 : tensor<2x3xf32>
  %h = rng.draw uniform %seed, %step stream 4 slice [1, 0] of [4, 3] : tensor<2x3xf64>
  %s = rng.sample %seed, %step stream 5 population 10 : tensor<3xindex>
  %c = rng.choice %seed, %step stream 6 weights [1.0, 0.25] : tensor<4xindex>
  return
}
