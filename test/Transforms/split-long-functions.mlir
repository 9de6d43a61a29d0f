// RUN: stde-opt %s --split-input-file --stde-split-long-functions=max-nests=2 | FileCheck %s
// RUN: not stde-opt %s --split-input-file --stde-split-long-functions=max-nests=0 2>&1 | FileCheck %s --check-prefix=ZERO

// ZERO: error: stde-split-long-functions: max-nests must be at least 1, not 0

// Five nests, at most two per part: three parts, called in order. A part
// takes what it uses as arguments and returns what later parts use (the
// buffer %b, the sum, the buffer %c); constants and the view %half are
// recomputed where they are used, so part 2 takes the whole buffer %b.
// CHECK-LABEL: func.func @long(
// CHECK-SAME:      %[[A:.*]]: memref<8xf32>, %[[S:.*]]: f32) -> memref<8xf32> {
// CHECK-NEXT:    %[[B:.*]] = call @long.part0(%[[A]], %[[S]]) : (memref<8xf32>, f32) -> memref<8xf32>
// CHECK-NEXT:    %[[R:.*]]:2 = call @long.part1(%[[B]]) : (memref<8xf32>) -> (f32, memref<8xf32>)
// CHECK-NEXT:    call @long.part2(%[[B]], %[[R]]#0, %[[R]]#1) : (memref<8xf32>, f32, memref<8xf32>) -> ()
// CHECK-NEXT:    return %[[R]]#1 : memref<8xf32>
//
// CHECK:       func.func private @long.part0(%[[A0:.*]]: memref<8xf32>, %[[S0:.*]]: f32) -> memref<8xf32>
// CHECK-SAME:      attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// CHECK:         %[[B0:.*]] = memref.alloc() : memref<8xf32>
// CHECK:         scf.for
// CHECK:           arith.mulf %{{.*}}, %[[S0]]
// CHECK:         %[[HALF0:.*]] = memref.subview %[[B0]][4] [4] [1]
// CHECK:         scf.for
// CHECK:           memref.store %{{.*}}, %[[HALF0]]
// CHECK:         return %[[B0]] : memref<8xf32>
//
// CHECK:       func.func private @long.part1(%[[B1:.*]]: memref<8xf32>) -> (f32, memref<8xf32>)
// CHECK:         %[[ZF:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[SUM:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[ZF]]) -> (f32)
// CHECK:         %[[C1:.*]] = memref.alloc() : memref<8xf32>
// CHECK:         scf.for
// CHECK:         return %[[SUM]], %[[C1]] : f32, memref<8xf32>
//
// CHECK:       func.func private @long.part2(%[[B2:.*]]: memref<8xf32>, %[[SUM2:.*]]: f32, %[[C2:.*]]: memref<8xf32>)
// CHECK-NOT:     arith.constant 0.000000e+00
// CHECK:         %[[HALF2:.*]] = memref.subview %[[B2]][4] [4] [1]
// CHECK:         scf.for
// CHECK:           memref.load %[[HALF2]]
// CHECK:           arith.mulf %{{.*}}, %[[SUM2]]
// CHECK:           memref.store %{{.*}}, %[[C2]]
// CHECK:         memref.dealloc %[[B2]]
// CHECK-NEXT:    return{{$}}
func.func @long(%a: memref<8xf32>, %s: f32) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %b = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %a[%i] : memref<8xf32>
    %y = arith.mulf %x, %s : f32
    memref.store %y, %b[%i] : memref<8xf32>
  }
  %half = memref.subview %b[4] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 4>>
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %half[%i] : memref<4xf32, strided<[1], offset: 4>>
    %y = arith.addf %x, %one : f32
    memref.store %y, %half[%i] : memref<4xf32, strided<[1], offset: 4>>
  }
  %sum = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %b[%i] : memref<8xf32>
    %y = arith.addf %acc, %x : f32
    scf.yield %y : f32
  }
  %c = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %b[%i] : memref<8xf32>
    memref.store %x, %c[%i] : memref<8xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %half[%i] : memref<4xf32, strided<[1], offset: 4>>
    %y = arith.mulf %x, %sum : f32
    memref.store %y, %c[%i] : memref<8xf32>
  }
  memref.dealloc %b : memref<8xf32>
  return %c : memref<8xf32>
}

// -----

// Stack memory is not returned: a cut before the third loop would end the
// alloca's part while that loop still reads it, so the first part takes all
// three loops (more than max-nests), and the cut comes before the scf.if
// (any op with regions is a nest).
// CHECK-LABEL: func.func @stack(
// CHECK-SAME:      %[[A:.*]]: memref<4xf32>, %[[FLAG:.*]]: i1)
// CHECK-NEXT:    call @stack.part0(%[[A]]) : (memref<4xf32>) -> ()
// CHECK-NEXT:    call @stack.part1(%[[A]], %[[FLAG]]) : (memref<4xf32>, i1) -> ()
// CHECK-NEXT:    return
// CHECK:       func.func private @stack.part0(
// CHECK:         memref.alloca() : memref<4xf32>
// CHECK-COUNT-3: scf.for
// CHECK:       func.func private @stack.part1(
// CHECK:         scf.if
// CHECK-NOT:     scf.for
func.func @stack(%a: memref<4xf32>, %flag: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.alloca() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %a[%i] : memref<4xf32>
    memref.store %x, %t[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %t[%i] : memref<4xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %t[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %t[%i] : memref<4xf32>
    memref.store %x, %a[%i] : memref<4xf32>
  }
  scf.if %flag {
    %z = arith.constant 0.0 : f32
    memref.store %z, %a[%c0] : memref<4xf32>
  }
  return
}

// -----

// Two nests: short enough, left alone.
// CHECK-LABEL: func.func @short(
// CHECK-NOT:     call
// CHECK-COUNT-2: scf.for
// CHECK-NOT:   func.func
func.func @short(%a: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %f = arith.constant 2.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %f, %a[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %a[%i] : memref<4xf32>
    %y = arith.mulf %x, %f : f32
    memref.store %y, %a[%i] : memref<4xf32>
  }
  return
}
