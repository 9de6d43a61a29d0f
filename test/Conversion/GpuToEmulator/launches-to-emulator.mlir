// RUN: stde-opt %s --stde-gpu-launches-to-emulator --split-input-file | FileCheck %s

// Two launches after gpu-to-llvm, one in a loop. Each stores its arguments in
// 8-byte slots allocated once in the entry block and calls stde_emu_launch
// with the kernel's trampoline, the grid, the block and whether the kernel
// has barriers; the trampoline loads the slots back with the kernel's types.
// The GPU module and the container attribute are gone.
// CHECK-NOT:  gpu.container_module
// CHECK-LABEL: llvm.func @host(
// CHECK-SAME:      %[[P:.*]]: !llvm.ptr, %[[N:.*]]: i64, %[[X:.*]]: f32, %[[S:.*]]: !llvm.ptr, %{{.*}}: i1)
// CHECK:        %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK-NEXT:   %[[SLOTS1:.*]] = llvm.alloca %[[ONE]] x i64 {alignment = 8 : i64}
// CHECK-NEXT:   %[[THREE:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK-NEXT:   %[[SLOTS0:.*]] = llvm.alloca %[[THREE]] x i64 {alignment = 8 : i64}
// CHECK:        %[[A0:.*]] = llvm.getelementptr %[[SLOTS0]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NEXT:   llvm.store %[[P]], %[[A0]] : !llvm.ptr, !llvm.ptr
// CHECK-NEXT:   %[[A1:.*]] = llvm.getelementptr %[[SLOTS0]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NEXT:   llvm.store %[[N]], %[[A1]] : i64, !llvm.ptr
// CHECK-NEXT:   %[[A2:.*]] = llvm.getelementptr %[[SLOTS0]][2] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NEXT:   llvm.store %[[X]], %[[A2]] : f32, !llvm.ptr
// CHECK-NEXT:   %[[ENTRY:.*]] = llvm.mlir.addressof @__stde_emu.kernels.tiled.entry : !llvm.ptr
// CHECK-NEXT:   %[[NAME:.*]] = llvm.mlir.addressof @__stde_emu.kernels.tiled.name : !llvm.ptr
// CHECK-NEXT:   %[[COUNT:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK:        %[[BARRIERS:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:   llvm.call @stde_emu_launch(%[[ENTRY]], %[[NAME]], %[[SLOTS0]], %[[COUNT]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BARRIERS]])
// CHECK:        llvm.br ^[[LOOP:.*]]
// CHECK:      ^[[LOOP]]:
// CHECK:        llvm.store %[[P]], %{{.*}} : !llvm.ptr, !llvm.ptr
// CHECK:        llvm.mlir.addressof @__stde_emu.kernels.plain.entry
// CHECK:        %[[NONE:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-NEXT:   llvm.call @stde_emu_launch(%{{.*}}, %{{.*}}, %[[SLOTS1]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[NONE]])
// CHECK:      llvm.func internal @__stde_emu.kernels.tiled.entry(%[[ARGS:.*]]: !llvm.ptr)
// CHECK-NEXT:   %[[G0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NEXT:   %[[V0:.*]] = llvm.load %[[G0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:   %[[G1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NEXT:   %[[V1:.*]] = llvm.load %[[G1]] : !llvm.ptr -> i64
// CHECK-NEXT:   %[[G2:.*]] = llvm.getelementptr %[[ARGS]][2] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NEXT:   %[[V2:.*]] = llvm.load %[[G2]] : !llvm.ptr -> f32
// CHECK-NEXT:   llvm.call @__stde_emu.kernels.tiled(%[[V0]], %[[V1]], %[[V2]])
// CHECK-NEXT:   llvm.return
// CHECK:      llvm.mlir.global internal constant @__stde_emu.kernels.tiled.name("tiled\00")
// CHECK:      llvm.func @stde_emu_launch(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i32)
// CHECK-NOT:  gpu.module
module attributes {gpu.container_module} {
  llvm.func @stde_emu_barrier(i32)
  llvm.func @__stde_emu.kernels.tiled(%p: !llvm.ptr, %n: i64, %x: f32) {
    %site = llvm.mlir.constant(0 : i32) : i32
    llvm.call @stde_emu_barrier(%site) : (i32) -> ()
    llvm.return
  }
  llvm.func @__stde_emu.kernels.plain(%p: !llvm.ptr) {
    llvm.return
  }
  llvm.func @host(%p: !llvm.ptr, %n: i64, %x: f32, %stream: !llvm.ptr, %again: i1) {
    %c1 = llvm.mlir.constant(1 : i64) : i64
    %c4 = llvm.mlir.constant(4 : i64) : i64
    %c256 = llvm.mlir.constant(256 : i64) : i64
    gpu.launch_func <%stream : !llvm.ptr> @kernels::@tiled blocks in (%c4, %c1, %c1) threads in (%c256, %c1, %c1) : i64 args(%p : !llvm.ptr, %n : i64, %x : f32)
    llvm.br ^loop
  ^loop:
    gpu.launch_func <%stream : !llvm.ptr> @kernels::@plain blocks in (%c1, %c1, %c1) threads in (%c256, %c1, %c1) : i64 args(%p : !llvm.ptr)
    llvm.cond_br %again, ^loop, ^done
  ^done:
    llvm.return
  }
  gpu.module @kernels {
    llvm.func @tiled() attributes {gpu.kernel}
    llvm.func @plain() attributes {gpu.kernel}
  }
}
