// RUN: stde-opt %s --split-input-file --stde-accumulate-in-registers | FileCheck %s

// A row sum into a fresh buffer: the accumulator is loaded once before the
// loop, carried as an iter_arg, stored once after it; the addition is the
// same.
// CHECK-LABEL: func.func @row_sums
// CHECK:         %[[ACC:.*]] = memref.alloc() : memref<4xf32>
// CHECK:         scf.parallel (%[[I:.*]]) =
// CHECK:           %[[INIT:.*]] = memref.load %[[ACC]][%[[I]]] : memref<4xf32>
// CHECK:           %[[SUM:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A:.*]] = %[[INIT]]) -> (f32) {
// CHECK:             %[[X:.*]] = memref.load %{{.*}}[%[[I]], %{{.*}}] : memref<4x8xf32>
// CHECK:             %[[NEW:.*]] = arith.addf %[[A]], %[[X]] : f32
// CHECK-NEXT:        scf.yield %[[NEW]] : f32
// CHECK:           memref.store %[[SUM]], %[[ACC]][%[[I]]] : memref<4xf32>
func.func @row_sums(%x: memref<4x8xf32>) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %acc = memref.alloc() : memref<4xf32>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %k = %c0 to %c8 step %c1 {
      %a = memref.load %acc[%i] : memref<4xf32>
      %v = memref.load %x[%i, %k] : memref<4x8xf32>
      %s = arith.addf %a, %v : f32
      memref.store %s, %acc[%i] : memref<4xf32>
    }
    scf.reduce
  }
  return %acc : memref<4xf32>
}

// -----

// A full reduction over two loops: the accumulator leaves both.
// CHECK-LABEL: func.func @total
// CHECK:         %[[ACC:.*]] = memref.alloc() : memref<f64>
// CHECK:         %[[INIT:.*]] = memref.load %[[ACC]][] : memref<f64>
// CHECK:         %[[OUTER:.*]] = scf.for {{.*}} iter_args(%[[A:.*]] = %[[INIT]]) -> (f64) {
// CHECK:           %[[INNER:.*]] = scf.for {{.*}} iter_args(%[[B:.*]] = %[[A]]) -> (f64) {
// CHECK-NOT:         memref.store
// CHECK:           scf.yield %[[INNER]] : f64
// CHECK:         memref.store %[[OUTER]], %[[ACC]][] : memref<f64>
func.func @total(%x: memref<16x32xf64>) -> memref<f64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f64
  %acc = memref.alloc() : memref<f64>
  memref.store %zero, %acc[] : memref<f64>
  scf.for %i = %c0 to %c16 step %c1 {
    scf.for %j = %c0 to %c32 step %c1 {
      %v = memref.load %x[%i, %j] : memref<16x32xf64>
      %a = memref.load %acc[] : memref<f64>
      %s = arith.addf %v, %a : f64
      memref.store %s, %acc[] : memref<f64>
    }
  }
  return %acc : memref<f64>
}

// -----

// Nothing proves that %out and %x are different buffers: untouched.
// CHECK-LABEL: func.func @may_alias
// CHECK-NOT:     iter_args
func.func @may_alias(%x: memref<8xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %k = %c0 to %c8 step %c1 {
    %a = memref.load %out[] : memref<f32>
    %v = memref.load %x[%k] : memref<8xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %out[] : memref<f32>
  }
  return
}

// -----

// A loop that may not run: storing after it would write memory the
// original never wrote. Untouched.
// CHECK-LABEL: func.func @maybe_empty
// CHECK-NOT:     iter_args
func.func @maybe_empty(%x: memref<?xf32>, %n: index) -> memref<f32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %acc = memref.alloc() : memref<f32>
  scf.for %k = %c0 to %n step %c1 {
    %a = memref.load %acc[] : memref<f32>
    %v = memref.load %x[%k] : memref<?xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %acc[] : memref<f32>
  }
  return %acc : memref<f32>
}

// -----

// The element changes with the loop (a map, not a reduction), or the loop
// calls something that may read the accumulator: untouched.
// CHECK-LABEL: func.func @not_reductions
// CHECK-NOT:     iter_args
func.func private @observe(memref<f32>)
func.func @not_reductions(%x: memref<8xf32>) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %y = memref.alloc() : memref<8xf32>
  scf.for %k = %c0 to %c8 step %c1 {
    %a = memref.load %y[%k] : memref<8xf32>
    %v = memref.load %x[%k] : memref<8xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %y[%k] : memref<8xf32>
  }
  %acc = memref.alloc() : memref<f32>
  scf.for %k = %c0 to %c8 step %c1 {
    %a = memref.load %acc[] : memref<f32>
    %v = memref.load %x[%k] : memref<8xf32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %acc[] : memref<f32>
    func.call @observe(%acc) : (memref<f32>) -> ()
  }
  return %y : memref<8xf32>
}

// -----

// The accumulator's column is a load of a buffer the loop never writes:
// that load moves before the loop, and the accumulator follows it.
// CHECK-LABEL: func.func @sampled_column
// CHECK:         scf.for %[[DIR:.*]] =
// CHECK-NEXT:      %[[COL:.*]] = memref.load %{{.*}}[%[[DIR]]] : memref<4xindex>
// CHECK-NEXT:      %[[INIT:.*]] = memref.load %[[G:.*]][%{{.*}}, %[[COL]]] : memref<32x100xf32>
// CHECK-NEXT:      %[[SUM:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (f32) {
// CHECK:           memref.store %[[SUM]], %[[G]][%{{.*}}, %[[COL]]] : memref<32x100xf32>
func.func @sampled_column(%idx: memref<4xindex>, %t: memref<4x16xf32>, %w: index) -> memref<32x100xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %g = memref.alloc() : memref<32x100xf32>
  scf.for %dir = %c0 to %c4 step %c1 {
    scf.for %p = %c0 to %c16 step %c1 {
      %col = memref.load %idx[%dir] : memref<4xindex>
      %v = memref.load %t[%dir, %p] : memref<4x16xf32>
      %old = memref.load %g[%w, %col] : memref<32x100xf32>
      %new = arith.addf %old, %v : f32
      memref.store %new, %g[%w, %col] : memref<32x100xf32>
    }
  }
  return %g : memref<32x100xf32>
}
