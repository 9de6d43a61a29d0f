// RUN: stde-opt %s --pass-pipeline="builtin.module(func.func(convert-loops-to-gpu{block-size=128}))" --split-input-file | FileCheck %s

// A 2-D parallel nest becomes one 1-D launch over its 4 x 6 iterations:
// ceil(24 / 128) blocks of 128 threads, a bounds check, the linear index
// delinearized with the innermost dimension fastest.
// CHECK-LABEL: func.func @elementwise
// CHECK:         %[[T0:.*]] = arith.ceildivui
// CHECK:         %[[N0:.*]] = arith.muli %{{.*}}, %[[T0]] : index
// CHECK:         %[[T1:.*]] = arith.ceildivui
// CHECK:         %[[N:.*]] = arith.muli %[[N0]], %[[T1]] : index
// CHECK:         %[[C128:.*]] = arith.constant 128 : index
// CHECK:         %[[B:.*]] = arith.ceildivui %[[N]], %[[C128]] : index
// CHECK:         %[[G:.*]] = arith.maxui %[[B]]
// CHECK:         gpu.launch blocks(%[[BX:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[G]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%[[BS:.*]] = %[[C128]],
// CHECK:           %[[L0:.*]] = arith.muli %[[BX]], %[[BS]] : index
// CHECK:           %[[L:.*]] = arith.addi %[[L0]], %[[TX]] : index
// CHECK:           %[[IN:.*]] = arith.cmpi ult, %[[L]], %[[N]] : index
// CHECK:           scf.if %[[IN]] {
// CHECK:             %[[J:.*]] = arith.remui %[[L]], %[[T1]] : index
// CHECK:             %[[I:.*]] = arith.divui %[[L]], %[[T1]] : index
// CHECK:             math.tanh
// CHECK:             memref.store
// CHECK:           }
// CHECK:           gpu.terminator
// CHECK-NOT:     scf.parallel
// CHECK:         return
func.func @elementwise(%x: memref<4x6xf32>, %y: memref<4x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c6) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<4x6xf32>
    %t = math.tanh %v : f32
    memref.store %t, %y[%i, %j] : memref<4x6xf32>
  }
  return
}

// -----

// A copy from a splat constant becomes a fill kernel that never reads the
// host global; a copy from another buffer a load/store kernel.
// CHECK-LABEL: func.func @copies
// CHECK-NOT:     memref.copy
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         gpu.launch
// CHECK-NOT:       memref.get_global
// CHECK:           memref.store %[[ZERO]], %arg0
// CHECK:         gpu.launch
// CHECK:           %[[V:.*]] = memref.load %arg0
// CHECK:           memref.store %[[V]], %arg1
memref.global "private" constant @zeros : memref<8xf32> = dense<0.0>
func.func @copies(%a: memref<8xf32>, %b: memref<8xf32>) {
  %z = memref.get_global @zeros : memref<8xf32>
  memref.copy %z, %a : memref<8xf32> to memref<8xf32>
  memref.copy %a, %b : memref<8xf32> to memref<8xf32>
  return
}

// -----

// A full reduction (a sequential loop) and the scalar arithmetic and store
// after it run as one single-thread kernel; the buffer it needs is allocated
// on the host before it, the deallocation stays after it.
// CHECK-LABEL: func.func @reduction
// CHECK:         %[[ACC:.*]] = memref.alloc() : memref<f32>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[ONE:[^,]*]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[ONE]],
// CHECK:           memref.store %{{.*}}, %[[ACC]][]
// CHECK:           scf.for
// CHECK:           memref.load %[[ACC]][]
// CHECK:           arith.mulf
// CHECK:           memref.store %{{.*}}, %arg1[
// CHECK:           gpu.terminator
// CHECK:         memref.dealloc %[[ACC]]
func.func @reduction(%x: memref<100xf32>, %out: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %acc = memref.alloc() : memref<f32>
  memref.store %zero, %acc[] : memref<f32>
  scf.for %i = %c0 to %c100 step %c1 {
    %v = memref.load %x[%i] : memref<100xf32>
    %s = memref.load %acc[] : memref<f32>
    %n = arith.addf %s, %v : f32
    memref.store %n, %acc[] : memref<f32>
  }
  %sum = memref.load %acc[] : memref<f32>
  %mean = arith.mulf %sum, %half : f32
  memref.store %mean, %out[%c0] : memref<1xf32>
  memref.dealloc %acc : memref<f32>
  return
}

// -----

// A value read from memory that the host needs (here: the upper bound of a
// later loop) keeps its run on the host: correct on managed memory.
// CHECK-LABEL: func.func @needed_on_host
// CHECK:         %[[N:.*]] = memref.load %arg0[]
// CHECK-NEXT:    %[[M:.*]] = arith.index_cast %[[N]]
// CHECK:         gpu.launch
// CHECK-NOT:       memref.load %arg0[]
// CHECK:           gpu.terminator
func.func @needed_on_host(%n: memref<i64>, %y: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %count = memref.load %n[] : memref<i64>
  %m = arith.index_cast %count : i64 to index
  scf.parallel (%i) = (%c0) to (%m) step (%c1) {
    memref.store %one, %y[%i] : memref<?xf32>
  }
  return
}

// -----

// A host loop around a parallel nest stays on the host; its body launches.
// Globals a kernel reads are re-materialized inside it.
// CHECK-LABEL: func.func @loop_of_kernels
// CHECK:         scf.for
// CHECK:           gpu.launch
// CHECK:             %[[G:.*]] = memref.get_global @table
// CHECK:             memref.load %[[G]]
memref.global "private" constant @table : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
func.func @loop_of_kernels(%y: memref<2x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %t = memref.get_global @table : memref<3xf32>
  scf.for %k = %c0 to %c2 step %c1 {
    scf.parallel (%j) = (%c0) to (%c3) step (%c1) {
      %v = memref.load %t[%j] : memref<3xf32>
      memref.store %v, %y[%k, %j] : memref<2x3xf32>
    }
  }
  return
}

// -----

// A collective (data parallel) is a call into the MPI library on host-
// readable buffers: it stays on the host between the kernels that write its
// send buffer and read its receive buffer.
// CHECK-LABEL: func.func @collective
// CHECK:         gpu.launch
// CHECK:           memref.store
// CHECK:           gpu.terminator
// CHECK:         %[[W:.*]] = mpi.comm_world
// CHECK-NEXT:    mpi.allreduce(%{{.*}}, %{{.*}}, MPI_SUM, %[[W]])
// CHECK:         gpu.launch
// CHECK:           memref.load
// CHECK:           gpu.terminator
func.func @collective(%send: memref<2xf32>, %receive: memref<2xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  memref.store %one, %send[%c0] : memref<2xf32>
  %world = mpi.comm_world : !mpi.comm
  mpi.allreduce(%send, %receive, MPI_SUM, %world) : memref<2xf32>, memref<2xf32>
  %sum = memref.load %receive[%c0] : memref<2xf32>
  memref.store %sum, %out[] : memref<f32>
  return
}
