// RUN: stde-opt %s --stde-approximate-f32-math | FileCheck %s

// f32 transcendentals become polynomial arithmetic (fma, no call); f64 ones
// stay for libm.
// CHECK-LABEL: func.func @scalars
// CHECK-NOT: math.tanh %{{.*}} : f32
// CHECK-NOT: math.log %{{.*}} : f32
// CHECK-NOT: math.cos %{{.*}} : f32
// CHECK: math.fma
// CHECK: math.tanh %{{.*}} : f64
// CHECK: return
func.func @scalars(%x: f32, %y: f64) -> (f32, f32, f32, f64) {
  %t = math.tanh %x : f32
  %l = math.log %x : f32
  %c = math.cos %x : f32
  %d = math.tanh %y : f64
  return %t, %l, %c, %d : f32, f32, f32, f64
}
