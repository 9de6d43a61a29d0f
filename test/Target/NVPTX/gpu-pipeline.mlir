// RUN: stde-opt %s --stde-gpu-loops-pipeline | FileCheck %s --check-prefix=LOOPS
// RUN: stde-opt %s --stde-gpu-kernels-pipeline | FileCheck %s --check-prefix=KERNELS
// RUN: stde-opt %s --stde-gpu-pipeline="chip=sm_80" | FileCheck %s --check-prefix=BINARY
// RUN: stde-opt %s --stde-gpu-emulator-pipeline="libdevice=/nonexistent.bc" | FileCheck %s --check-prefix=EMULATOR
// RUN: not stde-opt %s --stde-gpu-pipeline="chip=sm_52" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not stde-opt %s --stde-gpu-pipeline="block-size=100" 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not stde-opt %s --stde-gpu-pipeline="libdevice=/nonexistent.bc" 2>&1 | FileCheck %s --check-prefix=LIBDEVICE

// A row-wise tanh and a full reduction, at the tensor level. After the first
// half: the host function only allocates and launches kernels, all of them
// in one gpu.module, queued on one stream; the tanh is fused into one
// parallel kernel whose result lives in stream-ordered device memory, the
// sum is a single-thread kernel, and the host waits once, at the end.
// Stopped before convert-loops-to-gpu: the future kernels as loops, the tanh
// a parallel nest, the full sum a sequential one carried in a register.
// LOOPS:        func.func @sum_tanh(%{{.*}}: memref<64x32xf32>) -> memref<f32>
// LOOPS:          scf.parallel ({{.*}}) = (%c0, %c0) to (%c64, %c32)
// LOOPS:            math.tanh
// LOOPS:          scf.for {{.*}} iter_args
// LOOPS-NOT:      gpu.
// LOOPS:          return

// KERNELS:      func.func @sum_tanh
// KERNELS-NOT:    memref.load
// KERNELS-NOT:    memref.store
// KERNELS:        gpu.wait async
// KERNELS:        gpu.alloc async
// KERNELS:        gpu.launch_func async [%{{.*}}] @stde_kernels::@[[TANH:.*]] blocks in ({{.*}}) threads in (%c256
// KERNELS-NOT:    memref.load
// KERNELS-NOT:    memref.store
// KERNELS-NOT:    gpu.wait [
// KERNELS:        gpu.launch_func async [%{{.*}}] @stde_kernels::@[[SUM:.*]] blocks in ({{.*}}) threads in (%c1
// KERNELS:        gpu.dealloc async
// KERNELS-NEXT:   gpu.wait [
// KERNELS-NEXT:   return
// KERNELS:      gpu.module @stde_kernels {
// KERNELS:        gpu.func @[[TANH]]({{.*}}) kernel
// KERNELS:          math.tanh
// KERNELS:        gpu.func @[[SUM]]({{.*}}) kernel
// KERNELS:          scf.for
// KERNELS:            arith.addf
// KERNELS:      }
// KERNELS-NOT:  gpu.module

// After the whole pipeline: one binary of PTX for the chip with libdevice
// linked, and an LLVM host function that launches from it.
// BINARY:      llvm.func @sum_tanh
// BINARY:        llvm.call @mgpuMemAlloc(
// BINARY:        gpu.launch_func <%{{.*}} : !llvm.ptr> @stde_kernels::
// BINARY:        llvm.call @mgpuStreamSynchronize(
// BINARY:      gpu.binary @stde_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80", link = ["{{.*}}libdevice{{.*}}.bc"]>
// BINARY-SAME:   assembly = "{{.*}}.target sm_80
// BINARY-NOT:    .extern .func __nv_

// The emulator's pipeline: the same launches call the GPU emulator, the
// kernels are host functions (reached through trampolines), no GPU module,
// no PTX, and libdevice is not needed.
// EMULATOR-NOT:  gpu.module
// EMULATOR:      llvm.func @sum_tanh
// EMULATOR:        llvm.call @mgpuMemAlloc(
// EMULATOR:        llvm.call @stde_emu_launch(
// EMULATOR:        llvm.call @stde_emu_launch(
// EMULATOR:        llvm.call @mgpuMemFree(
// EMULATOR-NEXT:   llvm.call @mgpuStreamSynchronize(
// EMULATOR:      llvm.func @__stde_emu.stde_kernels.sum_tanh_kernel(
// EMULATOR:        llvm.call @stde_emu_thread_id(
// EMULATOR:        llvm.intr.tanh
// EMULATOR:      llvm.func internal @__stde_emu.stde_kernels.sum_tanh_kernel.entry(
// EMULATOR-NOT:  gpu.binary
// EMULATOR-NOT:  gpu.launch_func

// CHIP: unknown GPU architecture 'sm_52': give sm_XY with XY >= 75
// BLOCK: threads per block must be a multiple of 32 in 32 ... 1024 (got 100)
// LIBDEVICE: libdevice '/nonexistent.bc' does not exist
func.func @sum_tanh(%x: tensor<64x32xf32>) -> tensor<f32> {
  %t = math.tanh %x : tensor<64x32xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<f32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<f32>) -> tensor<f32>
  %s = linalg.reduce ins(%t : tensor<64x32xf32>) outs(%acc : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %out: f32) {
      %a = arith.addf %in, %out : f32
      linalg.yield %a : f32
    }
  return %s : tensor<f32>
}
