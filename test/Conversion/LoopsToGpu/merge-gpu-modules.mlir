// RUN: stde-opt %s --stde-merge-gpu-modules | FileCheck %s
// RUN: stde-opt %s --stde-merge-gpu-modules="module-name=k" | FileCheck %s --check-prefix=NAMED

// Two outlined modules, both with a kernel @f and a clone of one global:
// one module remains, the second @f is renamed, the global is shared, and
// each launch names the kernel it launched before.
// CHECK:       gpu.module @stde_kernels {
// CHECK-COUNT-1: memref.global "private" constant @table
// CHECK:         gpu.func @f(%{{.*}}: memref<3xf32>) kernel
// CHECK:           arith.addf
// CHECK:         gpu.func @[[F2:f_[0-9]+]](%{{.*}}: memref<3xf32>) kernel
// CHECK:           arith.mulf
// A different global of the same name is renamed, and so are its uses.
// CHECK:         memref.global "private" constant @[[T2:table_[0-9]+]] : memref<3xf32> = dense<[4.0
// CHECK:         gpu.func @g
// CHECK:           memref.get_global @[[T2]]
// CHECK:       }
// CHECK-NOT:   gpu.module
// CHECK:       func.func @host
// CHECK:         gpu.launch_func @stde_kernels::@f
// CHECK:         gpu.launch_func @stde_kernels::@[[F2]]
// CHECK:         gpu.launch_func @stde_kernels::@g

// NAMED: gpu.module @k
// NAMED: gpu.launch_func @k::@f
module attributes {gpu.container_module} {
  gpu.module @first {
    memref.global "private" constant @table : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
    gpu.func @f(%y: memref<3xf32>) kernel {
      %c0 = arith.constant 0 : index
      %t = memref.get_global @table : memref<3xf32>
      %v = memref.load %t[%c0] : memref<3xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %y[%c0] : memref<3xf32>
      gpu.return
    }
  }
  gpu.module @second {
    memref.global "private" constant @table : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
    gpu.func @f(%y: memref<3xf32>) kernel {
      %c0 = arith.constant 0 : index
      %t = memref.get_global @table : memref<3xf32>
      %v = memref.load %t[%c0] : memref<3xf32>
      %w = arith.mulf %v, %v : f32
      memref.store %w, %y[%c0] : memref<3xf32>
      gpu.return
    }
  }
  gpu.module @third {
    memref.global "private" constant @table : memref<3xf32> = dense<[4.0, 5.0, 6.0]>
    gpu.func @g(%y: memref<3xf32>) kernel {
      %c0 = arith.constant 0 : index
      %t = memref.get_global @table : memref<3xf32>
      %v = memref.load %t[%c0] : memref<3xf32>
      memref.store %v, %y[%c0] : memref<3xf32>
      gpu.return
    }
  }
  func.func @host(%y: memref<3xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @first::@f blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%y : memref<3xf32>)
    gpu.launch_func @second::@f blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%y : memref<3xf32>)
    gpu.launch_func @third::@g blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%y : memref<3xf32>)
    return
  }
}
