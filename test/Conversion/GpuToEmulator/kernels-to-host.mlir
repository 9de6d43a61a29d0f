// RUN: stde-opt %s --stde-gpu-kernels-to-host --split-input-file | FileCheck %s

// A kernel with every coordinate, a barrier, workgroup and private memory and
// a global only the GPU module has. It becomes a host function whose
// coordinates and barrier are emulator calls, whose workgroup buffer is a
// host global (no GPU address space) and whose private buffer an alloca;
// the GPU module keeps a bodiless llvm.func so the launch still verifies.
// CHECK-DAG:  memref.global "private" constant @table : memref<4xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]>
// CHECK-DAG:  memref.global "private" @__stde_emu.kernels.reverse.shared0 : memref<64xf32> {alignment = 64 : i64}
// CHECK-DAG:  func.func private @stde_emu_thread_id(i32) -> index
// CHECK-DAG:  func.func private @stde_emu_block_id(i32) -> index
// CHECK-DAG:  func.func private @stde_emu_block_dim(i32) -> index
// CHECK-DAG:  func.func private @stde_emu_grid_dim(i32) -> index
// CHECK-DAG:  func.func private @stde_emu_barrier(i32)
// CHECK-LABEL: func.func @host
// CHECK:        gpu.launch_func @kernels::@reverse
// CHECK:      gpu.module @kernels
// CHECK:        llvm.func @reverse() attributes {gpu.kernel}
// CHECK-NEXT:   }
// CHECK:      func.func private @__stde_emu.kernels.reverse(%[[DATA:.*]]: memref<?xf32>)
// CHECK-NEXT:   %[[SHARED:.*]] = memref.get_global @__stde_emu.kernels.reverse.shared0 : memref<64xf32>
// CHECK-NEXT:   %[[PRIVATE:.*]] = memref.alloca() : memref<2xf32>
// CHECK-NEXT:   %[[X:.*]] = arith.constant 0 : i32
// CHECK-NEXT:   %[[TX:.*]] = call @stde_emu_thread_id(%[[X]]) : (i32) -> index
// CHECK-NEXT:   %[[Y:.*]] = arith.constant 1 : i32
// CHECK-NEXT:   call @stde_emu_block_id(%[[Y]]) : (i32) -> index
// CHECK-NEXT:   %[[X2:.*]] = arith.constant 0 : i32
// CHECK-NEXT:   call @stde_emu_block_dim(%[[X2]]) : (i32) -> index
// CHECK-NEXT:   %[[Z:.*]] = arith.constant 2 : i32
// CHECK-NEXT:   call @stde_emu_grid_dim(%[[Z]]) : (i32) -> index
// CHECK:        memref.store %{{.*}}, %[[SHARED]][%[[TX]]] : memref<64xf32>
// CHECK-NEXT:   %[[SITE0:.*]] = arith.constant 0 : i32
// CHECK-NEXT:   call @stde_emu_barrier(%[[SITE0]]) : (i32) -> ()
// CHECK:        memref.load %[[SHARED]]
// CHECK:        memref.store %{{.*}}, %[[PRIVATE]]
// CHECK:        memref.get_global @table : memref<4xf32>
// CHECK:        scf.if
// CHECK-NEXT:     %[[SITE1:.*]] = arith.constant 1 : i32
// CHECK-NEXT:     func.call @stde_emu_barrier(%[[SITE1]]) : (i32) -> ()
// CHECK:        return
// CHECK-NOT:  gpu.thread_id
// CHECK-NOT:  gpu.barrier
// CHECK-NOT:  #gpu.address_space
module attributes {gpu.container_module} {
  func.func @host(%data: memref<?xf32>) {
    %c1 = arith.constant 1 : index
    %c64 = arith.constant 64 : index
    gpu.launch_func @kernels::@reverse blocks in (%c1, %c1, %c1) threads in (%c64, %c1, %c1)
        args(%data : memref<?xf32>)
    return
  }
  gpu.module @kernels {
    memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
    gpu.func @reverse(%data: memref<?xf32>)
        workgroup(%shared: memref<64xf32, #gpu.address_space<workgroup>>)
        private(%mine: memref<2xf32, #gpu.address_space<private>>) kernel {
      %tx = gpu.thread_id x
      %by = gpu.block_id y
      %bx = gpu.block_dim x
      %gz = gpu.grid_dim z
      %v = memref.load %data[%tx] : memref<?xf32>
      memref.store %v, %shared[%tx] : memref<64xf32, #gpu.address_space<workgroup>>
      gpu.barrier
      %c63 = arith.constant 63 : index
      %other = arith.subi %c63, %tx : index
      %w = memref.load %shared[%other] : memref<64xf32, #gpu.address_space<workgroup>>
      %c0 = arith.constant 0 : index
      memref.store %w, %mine[%c0] : memref<2xf32, #gpu.address_space<private>>
      %t = memref.get_global @table : memref<4xf32>
      %s = memref.load %t[%c0] : memref<4xf32>
      %x = arith.addf %w, %s : f32
      memref.store %x, %data[%tx] : memref<?xf32>
      %first = arith.cmpi eq, %by, %gz : index
      scf.if %first {
        gpu.barrier
      }
      gpu.return
    }
  }
}
