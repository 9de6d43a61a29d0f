// RUN: stde-opt %s --stde-gpu-launches-to-emulator --split-input-file -verify-diagnostics

// No host copy of the kernel: stde-gpu-kernels-to-host did not run.
module attributes {gpu.container_module} {
  llvm.func @host(%p: !llvm.ptr, %stream: !llvm.ptr) {
    %c1 = llvm.mlir.constant(1 : i64) : i64
    // expected-error @+1 {{no host copy '__stde_emu.kernels.k' of the kernel in the LLVM dialect: run stde-gpu-kernels-to-host}}
    gpu.launch_func <%stream : !llvm.ptr> @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) : i64 args(%p : !llvm.ptr)
    llvm.return
  }
  gpu.module @kernels {
    llvm.func @k() attributes {gpu.kernel}
  }
}

// -----

// The launch's operands do not match the host copy's parameters.
module attributes {gpu.container_module} {
  llvm.func @__stde_emu.kernels.k(%p: !llvm.ptr, %n: i64) {
    llvm.return
  }
  llvm.func @host(%p: !llvm.ptr, %stream: !llvm.ptr) {
    %c1 = llvm.mlir.constant(1 : i64) : i64
    // expected-error @+1 {{the launch passes 1 arguments, the kernel '__stde_emu.kernels.k' takes 2}}
    gpu.launch_func <%stream : !llvm.ptr> @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) : i64 args(%p : !llvm.ptr)
    llvm.return
  }
  gpu.module @kernels {
    llvm.func @k() attributes {gpu.kernel}
  }
}

// -----

module attributes {gpu.container_module} {
  llvm.func @__stde_emu.kernels.k(%n: i64) {
    llvm.return
  }
  llvm.func @host(%x: f64, %stream: !llvm.ptr) {
    %c1 = llvm.mlir.constant(1 : i64) : i64
    // expected-error @+1 {{argument 0 is 'f64', the kernel takes 'i64'}}
    gpu.launch_func <%stream : !llvm.ptr> @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) : i64 args(%x : f64)
    llvm.return
  }
  gpu.module @kernels {
    llvm.func @k() attributes {gpu.kernel}
  }
}

// -----

// A value wider than a slot.
module attributes {gpu.container_module} {
  llvm.func @__stde_emu.kernels.k(%v: vector<4xf32>) {
    llvm.return
  }
  llvm.func @host(%v: vector<4xf32>, %stream: !llvm.ptr) {
    %c1 = llvm.mlir.constant(1 : i64) : i64
    // expected-error @+1 {{argument 0 of type 'vector<4xf32>' does not fit an 8-byte slot}}
    gpu.launch_func <%stream : !llvm.ptr> @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) : i64 args(%v : vector<4xf32>)
    llvm.return
  }
  gpu.module @kernels {
    llvm.func @k() attributes {gpu.kernel}
  }
}

// -----

// Dynamic shared memory is not emulated.
module attributes {gpu.container_module} {
  llvm.func @__stde_emu.kernels.k() {
    llvm.return
  }
  llvm.func @host(%stream: !llvm.ptr) {
    %c1 = llvm.mlir.constant(1 : i64) : i64
    %bytes = llvm.mlir.constant(1024 : i32) : i32
    // expected-error @+1 {{dynamic shared memory and clusters are not supported by the GPU emulator}}
    gpu.launch_func <%stream : !llvm.ptr> @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) : i64 dynamic_shared_memory_size %bytes
    llvm.return
  }
  gpu.module @kernels {
    llvm.func @k() attributes {gpu.kernel}
  }
}

// -----

// Still at the memref level, with async tokens.
module attributes {gpu.container_module} {
  llvm.func @__stde_emu.kernels.k() {
    llvm.return
  }
  func.func @host() {
    %c1 = arith.constant 1 : index
    %t = gpu.wait async
    // expected-error @+1 {{the launch still uses async tokens: run gpu-to-llvm first}}
    %done = gpu.launch_func async [%t] @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.wait [%done]
    return
  }
  gpu.module @kernels {
    llvm.func @k() attributes {gpu.kernel}
  }
}
