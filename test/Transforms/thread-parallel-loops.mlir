// RUN: stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(stde-thread-parallel-loops))" | FileCheck %s
// RUN: stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(stde-thread-parallel-loops{min-chunks=8}))" | FileCheck %s --check-prefix=CHUNKS
// RUN: stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(stde-thread-parallel-loops),convert-scf-to-openmp)" | FileCheck %s --check-prefix=OMP

// A directions x points x width elementwise nest (16 x 100 x 256 = 409,600
// iterations): directions alone give 16 chunks, with points 1,600 >= 64, so
// those two stay parallel and the width loop, the one LLVM vectorizes, is a
// plain loop inside.
// CHECK-LABEL: func.func @jet_coefficients
// CHECK:         scf.parallel (%[[D:.*]], %[[P:.*]]) = (%c0, %c0) to (%c16, %c100) step (%c1, %c1) {
// CHECK-NEXT:      scf.for %[[W:.*]] = %c0 to %c256 step %c1 {
// CHECK-NEXT:        %[[X:.*]] = memref.load %arg0[%[[D]], %[[P]], %[[W]]]
// CHECK-NEXT:        %[[Y:.*]] = math.tanh %[[X]]
// CHECK-NEXT:        memref.store %[[Y]], %arg1[%[[D]], %[[P]], %[[W]]]
// CHECK-NEXT:      }
// CHECK-NEXT:      scf.reduce
// With min-chunks = 8 the directions alone suffice.
// CHUNKS-LABEL: func.func @jet_coefficients
// CHUNKS:         scf.parallel (%{{.*}}) = (%c0) to (%c16) step (%c1) {
// CHUNKS-NEXT:      scf.for %{{.*}} = %c0 to %c100 step %c1 {
// CHUNKS-NEXT:        scf.for %{{.*}} = %c0 to %c256 step %c1 {
// convert-scf-to-openmp makes it a work-sharing loop over the kept dimensions.
// OMP-LABEL: func.func @jet_coefficients
// OMP:         omp.parallel {
// OMP:           omp.wsloop {
// OMP-NEXT:        omp.loop_nest (%{{.*}}, %{{.*}}) : index = (%c0, %c0) to (%c16, %c100) step (%c1, %c1) collapse(2) {
// OMP:               scf.for %{{.*}} = %c0 to %c256 step %c1 {
// OMP-NOT:     scf.parallel
func.func @jet_coefficients(%in: memref<16x100x256xf32>, %out: memref<16x100x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c100 = arith.constant 100 : index
  %c256 = arith.constant 256 : index
  scf.parallel (%d, %p, %w) = (%c0, %c0, %c0) to (%c16, %c100, %c256) step (%c1, %c1, %c1) {
    %x = memref.load %in[%d, %p, %w] : memref<16x100x256xf32>
    %y = math.tanh %x : f32
    memref.store %y, %out[%d, %p, %w] : memref<16x100x256xf32>
  }
  return
}

// -----

// The optimizer over 1M parameters: one dimension, kept parallel (OpenMP
// gives each thread a contiguous range, which LLVM still vectorizes).
// CHECK-LABEL: func.func @optimizer
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c1048576) step (%c1) {
// CHECK-NOT:       scf.for
// OMP-LABEL: func.func @optimizer
// OMP:         omp.loop_nest (%{{.*}}) : index = (%c0) to (%c1048576) step (%c1) {
func.func @optimizer(%theta: memref<1048576xf32>, %g: memref<1048576xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1048576 : index
  %lr = arith.constant 1.0e-3 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %t = memref.load %theta[%i] : memref<1048576xf32>
    %gi = memref.load %g[%i] : memref<1048576xf32>
    %s = arith.mulf %lr, %gi : f32
    %u = arith.subf %t, %s : f32
    memref.store %u, %theta[%i] : memref<1048576xf32>
  }
  return
}

// -----

// A reduction over k inside: the nest counts its innermost iterations
// (64 x 128 outputs x 512 terms = 4M), so the outputs go to the threads even
// though they are only 8,192 elements.
// CHECK-LABEL: func.func @row_sums
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c64) step (%c1) {
// CHECK-NEXT:      scf.for %{{.*}} = %c0 to %c128 step %c1 {
// CHECK-NEXT:        scf.for %{{.*}} = %c0 to %c512 step %c1 {
func.func @row_sums(%in: memref<64x128x512xf32>, %out: memref<64x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c512 = arith.constant 512 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c128) step (%c1, %c1) {
    scf.for %k = %c0 to %c512 step %c1 {
      %x = memref.load %in[%i, %j, %k] : memref<64x128x512xf32>
      %acc = memref.load %out[%i, %j] : memref<64x128xf32>
      %s = arith.addf %acc, %x : f32
      memref.store %s, %out[%i, %j] : memref<64x128xf32>
    }
  }
  return
}

// -----

// Too little work to pay for a thread team (100 x 128 = 12,800 < 2^18):
// plain loops, as convert-linalg-to-loops would have made them.
// CHECK-LABEL: func.func @small
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for %[[P:.*]] = %c0 to %c100 step %c1 {
// CHECK-NEXT:      scf.for %[[W:.*]] = %c0 to %c128 step %c1 {
// CHECK-NEXT:        memref.load %arg0[%[[P]], %[[W]]]
// OMP-LABEL: func.func @small
// OMP-NOT:     omp.
func.func @small(%in: memref<100x128xf32>, %out: memref<100x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %c128 = arith.constant 128 : index
  scf.parallel (%p, %w) = (%c0, %c0) to (%c100, %c128) step (%c1, %c1) {
    %x = memref.load %in[%p, %w] : memref<100x128xf32>
    %y = arith.negf %x : f32
    memref.store %y, %out[%p, %w] : memref<100x128xf32>
  }
  return
}

// -----

// A call in the body (it could do anything, e.g. allocate from a pool that
// is not thread-safe): sequential.
// CHECK-LABEL: func.func @calls
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for
// CHECK-NEXT:      scf.for
// CHECK-NEXT:        memref.load
// CHECK-NEXT:        func.call @opaque
// OMP-LABEL: func.func @calls
func.func private @opaque(f32) -> f32
func.func @calls(%in: memref<1024x1024xf32>, %out: memref<1024x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1024, %c1024) step (%c1, %c1) {
    %x = memref.load %in[%i, %j] : memref<1024x1024xf32>
    %y = func.call @opaque(%x) : (f32) -> f32
    memref.store %y, %out[%i, %j] : memref<1024x1024xf32>
  }
  return
}

// -----

// One team per nest: an inner scf.parallel (inside a sequential loop over
// layers of a larger parallel loop) becomes a plain loop.
// CHECK-LABEL: func.func @nested
// CHECK:         scf.parallel (%[[I:.*]]) = (%c0) to (%c1024) step (%c1) {
// CHECK-NEXT:      scf.for %{{.*}} = %c0 to %c4 step %c1 {
// CHECK-NEXT:        scf.for %{{.*}} = %c0 to %c1024 step %c1 {
// CHECK-NOT:     scf.parallel
func.func @nested(%buf: memref<1024x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c1024 = arith.constant 1024 : index
  scf.parallel (%i) = (%c0) to (%c1024) step (%c1) {
    scf.for %layer = %c0 to %c4 step %c1 {
      scf.parallel (%j) = (%c0) to (%c1024) step (%c1) {
        %x = memref.load %buf[%i, %j] : memref<1024x1024xf32>
        %y = arith.mulf %x, %x : f32
        memref.store %y, %buf[%i, %j] : memref<1024x1024xf32>
      }
    }
  }
  return
}

// -----

// A loop with a reduction across iterations is left as it is (it would not
// be bit-identical on threads; convert-linalg-to-parallel-loops makes none).
// CHECK-LABEL: func.func @reduction
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c65536) step (%c1) init (%{{.*}}) -> f32 {
func.func @reduction(%in: memref<65536xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 65536 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%zero) -> f32 {
    %x = memref.load %in[%i] : memref<65536xf32>
    scf.reduce(%x : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}

// -----

// Work is counted as the loops run: two loops one after the other inside
// add up (16 x (128 + 128) = 4,096 iterations: sequential), they do not
// multiply (16 x 128 x 128 = 262,144 would reach the threshold).
// CHECK-LABEL: func.func @siblings
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for %{{.*}} = %c0 to %c16 step %c1 {
func.func @siblings(%a: memref<16x128xf32>, %b: memref<16x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c128 = arith.constant 128 : index
  scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
    scf.for %j = %c0 to %c128 step %c1 {
      %x = memref.load %a[%i, %j] : memref<16x128xf32>
      %y = arith.negf %x : f32
      memref.store %y, %a[%i, %j] : memref<16x128xf32>
    }
    scf.for %j = %c0 to %c128 step %c1 {
      %x = memref.load %b[%i, %j] : memref<16x128xf32>
      %y = arith.negf %x : f32
      memref.store %y, %b[%i, %j] : memref<16x128xf32>
    }
  }
  return
}
