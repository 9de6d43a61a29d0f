// RUN: stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(stde-parallelize-owned-loops))" | FileCheck %s

// The one-hot weight-gradient scatter: G[w, idx[dir]] += T[dir, point, w].
// The width loop owns G's elements (its first index), whatever idx holds:
// it becomes the parallel loop, the others keep their order inside.
// CHECK-LABEL: func.func @scatter
// CHECK:         scf.parallel (%[[W:.*]]) = (%c0) to (%c32) step (%c1) {
// CHECK-NEXT:      scf.for %[[DIR:.*]] = %c0 to %c4 step %c1 {
// CHECK-NEXT:        scf.for %[[P:.*]] = %c0 to %c16 step %c1 {
// CHECK-NEXT:          %[[COL:.*]] = memref.load %{{.*}}[%[[DIR]]] : memref<4xindex>
// CHECK-NEXT:          memref.load %{{.*}}[%[[DIR]], %[[P]], %[[W]]] : memref<4x16x32xf32>
// CHECK-NEXT:          memref.load %[[G:.*]][%[[W]], %[[COL]]] : memref<32x100xf32>
// CHECK-NEXT:          arith.addf
// CHECK-NEXT:          memref.store %{{.*}}, %[[G]][%[[W]], %[[COL]]] : memref<32x100xf32>
// CHECK-NOT:     scf.for
func.func @scatter(%idx: memref<4xindex>, %t: memref<4x16x32xf32>) -> memref<32x100xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %g = memref.alloc() : memref<32x100xf32>
  scf.for %dir = %c0 to %c4 step %c1 {
    scf.for %p = %c0 to %c16 step %c1 {
      scf.for %w = %c0 to %c32 step %c1 {
        %col = memref.load %idx[%dir] : memref<4xindex>
        %v = memref.load %t[%dir, %p, %w] : memref<4x16x32xf32>
        %old = memref.load %g[%w, %col] : memref<32x100xf32>
        %new = arith.addf %old, %v : f32
        memref.store %new, %g[%w, %col] : memref<32x100xf32>
      }
    }
  }
  return %g : memref<32x100xf32>
}

// -----

// No loop owns the written element (a full reduction), or the owner's index
// moves between the load and the store, or the written buffer may be the one
// read (two function arguments): all left sequential.
// CHECK-LABEL: func.func @not_owned
// CHECK-NOT:     scf.parallel
func.func @not_owned(%x: memref<8x8xf32>, %y: memref<8x8xf32>) -> memref<f32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %acc = memref.alloc() : memref<f32>
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %a = memref.load %acc[] : memref<f32>
      %v = memref.load %x[%i, %j] : memref<8x8xf32>
      %s = arith.addf %a, %v : f32
      memref.store %s, %acc[] : memref<f32>
    }
  }
  %t = memref.alloc() : memref<8x8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %t[%j, %i] : memref<8x8xf32>
      memref.store %v, %t[%i, %j] : memref<8x8xf32>
    }
  }
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %x[%i, %j] : memref<8x8xf32>
      memref.store %v, %y[%i, %j] : memref<8x8xf32>
    }
  }
  return %acc : memref<f32>
}
