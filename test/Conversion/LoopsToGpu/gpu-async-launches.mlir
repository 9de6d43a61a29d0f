// RUN: stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(stde-gpu-async-launches))" | FileCheck %s

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<8xf32>) kernel { gpu.return }
    gpu.func @scale(%a: memref<8xf32>, %b: memref<8xf32>) kernel { gpu.return }
  }

  // Launches chain on one token; the temporary only kernels use becomes
  // stream-ordered device memory, freed in the chain; the one wait is before
  // the return.
  // CHECK-LABEL: func.func @chain
  // CHECK:         %[[T0:.*]] = gpu.wait async
  // CHECK:         %[[TMP:.*]], %[[T1:.*]] = gpu.alloc async [%[[T0]]] () : memref<8xf32>
  // CHECK:         %[[T2:.*]] = gpu.launch_func async [%[[T1]]] @k::@fill {{.*}} args(%[[TMP]] : memref<8xf32>)
  // CHECK:         %[[T3:.*]] = gpu.launch_func async [%[[T2]]] @k::@scale {{.*}} args(%[[TMP]] : memref<8xf32>, %arg0 : memref<8xf32>)
  // CHECK:         %[[T4:.*]] = gpu.dealloc async [%[[T3]]] %[[TMP]] : memref<8xf32>
  // CHECK-NEXT:    gpu.wait [%[[T4]]]
  // CHECK-NEXT:    return
  // CHECK-NOT:     gpu.wait
  func.func @chain(%out: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    %tmp = memref.alloc() : memref<8xf32>
    %n = memref.dim %tmp, %c1 : memref<8xf32>
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%n, %c1, %c1) args(%tmp : memref<8xf32>)
    gpu.launch_func @k::@scale blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%tmp : memref<8xf32>, %out : memref<8xf32>)
    memref.dealloc %tmp : memref<8xf32>
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<8xf32>) kernel { gpu.return }
  }

  // A buffer the host reads, or the caller, stays managed memory (memref.alloc); the host waits
  // before the load, not before the allocation, and frees it after a wait.
  // CHECK-LABEL: func.func @returned
// CHECK:         memref.alloc() : memref<8xf32>
// CHECK-NOT:     gpu.alloc
// CHECK:         gpu.launch_func async
// CHECK-NEXT:    gpu.wait [
// CHECK-NEXT:    return
  func.func @returned() -> memref<8xf32> {
    %c1 = arith.constant 1 : index
    %buf = memref.alloc() : memref<8xf32>
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buf : memref<8xf32>)
    return %buf : memref<8xf32>
  }

// CHECK-LABEL: func.func @host_reads
  // CHECK:         %[[BUF:.*]] = memref.alloc() : memref<8xf32>
  // CHECK:         %[[T0:.*]] = gpu.wait async
  // CHECK:         %[[T1:.*]] = gpu.launch_func async [%[[T0]]] @k::@fill
  // CHECK-NEXT:    gpu.wait [%[[T1]]]
  // CHECK-NEXT:    memref.load %[[BUF]]
  // CHECK-NOT:     gpu.wait
  // CHECK:         memref.dealloc %[[BUF]]
  // CHECK:         return
  func.func @host_reads() -> f32 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %buf = memref.alloc() : memref<8xf32>
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buf : memref<8xf32>)
    %v = memref.load %buf[%c0] : memref<8xf32>
    memref.dealloc %buf : memref<8xf32>
    return %v : f32
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<8xf32>) kernel { gpu.return }
  }

  // Kernels queued in a host loop stay queued across iterations: no wait in
  // the body; the host waits after the loop, before it reads.
  // CHECK-LABEL: func.func @loop
  // CHECK:         scf.for
  // CHECK-NEXT:      %[[T0:.*]] = gpu.wait async
  // CHECK-NEXT:      gpu.launch_func async [%[[T0]]] @k::@fill
  // CHECK-NEXT:    }
  // CHECK-NEXT:    %[[T1:.*]] = gpu.wait async
  // CHECK-NEXT:    gpu.wait [%[[T1]]]
  // CHECK-NEXT:    memref.load
  func.func @loop(%buf: memref<8xf32>) -> f32 {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    scf.for %i = %c0 to %c4 step %c1 {
      gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buf : memref<8xf32>)
    }
    %v = memref.load %buf[%c0] : memref<8xf32>
    return %v : f32
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<8xf32>) kernel { gpu.return }
  }

  // A host store in a loop body that also launches: the second iteration's
  // store must wait for the first iteration's kernel, so the body waits first.
  // CHECK-LABEL: func.func @loop_with_host_store
  // CHECK:         scf.for
  // CHECK-NEXT:      %[[T0:.*]] = gpu.wait async
  // CHECK-NEXT:      gpu.wait [%[[T0]]]
  // CHECK-NEXT:      memref.store
  // CHECK-NEXT:      %[[T1:.*]] = gpu.wait async
  // CHECK-NEXT:      gpu.launch_func async [%[[T1]]] @k::@fill
  // CHECK-NEXT:    }
  // CHECK-NEXT:    %[[T2:.*]] = gpu.wait async
  // CHECK-NEXT:    gpu.wait [%[[T2]]]
  // CHECK-NEXT:    return
  func.func @loop_with_host_store(%buf: memref<8xf32>, %x: f32) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    scf.for %i = %c0 to %c4 step %c1 {
      memref.store %x, %buf[%c0] : memref<8xf32>
      gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buf : memref<8xf32>)
    }
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<8xf32>) kernel { gpu.return }
  }

  // A conditional host store after a launch waits inside the branch; the
  // other path reaches the return with the kernel still queued.
  // CHECK-LABEL: func.func @branch
  // CHECK:         %[[L:.*]] = gpu.launch_func async
  // CHECK:         scf.if
  // CHECK-NEXT:      %[[T:.*]] = gpu.wait async
  // CHECK-NEXT:      gpu.wait [%[[T]]]
  // CHECK-NEXT:      memref.store
  // CHECK-NEXT:    }
  // CHECK-NEXT:    gpu.wait [%[[L]]]
  // CHECK-NEXT:    return
  func.func @branch(%buf: memref<8xf32>, %c: i1, %x: f32) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%buf : memref<8xf32>)
    scf.if %c {
      memref.store %x, %buf[%c0] : memref<8xf32>
    }
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<8xf32>) kernel { gpu.return }
  }

  // A collective reads what the kernels wrote: the stream is drained before
  // it, and its buffers stay host-visible managed memory (memref.alloc).
  // CHECK-LABEL: func.func @collective
  // CHECK:         %[[S:.*]] = memref.alloc() : memref<8xf32>
  // CHECK:         %[[R:.*]] = memref.alloc() : memref<8xf32>
  // CHECK:         %[[T:.*]] = gpu.launch_func async [%{{.*}}] @k::@fill {{.*}} args(%[[S]] : memref<8xf32>)
  // CHECK:         gpu.wait [%[[T]]]
  // CHECK-NEXT:    mpi.allreduce(%[[S]], %[[R]], MPI_SUM, %{{.*}})
  func.func @collective(%out: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    %send = memref.alloc() : memref<8xf32>
    %receive = memref.alloc() : memref<8xf32>
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%send : memref<8xf32>)
    %world = mpi.comm_world : !mpi.comm
    mpi.allreduce(%send, %receive, MPI_SUM, %world) : memref<8xf32>, memref<8xf32>
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%receive : memref<8xf32>)
    memref.dealloc %send : memref<8xf32>
    memref.dealloc %receive : memref<8xf32>
    return
  }
}
