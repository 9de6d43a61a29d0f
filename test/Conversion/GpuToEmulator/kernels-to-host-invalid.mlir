// RUN: stde-opt %s --stde-gpu-kernels-to-host --split-input-file -verify-diagnostics

// The emulator runs kernels, not device functions.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{device functions (gpu.func without 'kernel') are not supported by the GPU emulator}}
    gpu.func @helper(%x: f32) {
      gpu.return
    }
  }
}

// -----

// A GPU op the emulator does not model is named.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @lanes(%out: memref<32xindex>) kernel {
      // expected-error @+1 {{the GPU emulator does not model 'gpu.lane_id'}}
      %lane = gpu.lane_id
      %c0 = arith.constant 0 : index
      memref.store %lane, %out[%c0] : memref<32xindex>
      gpu.return
    }
  }
}

// -----

// The host copy's name is taken.
module attributes {gpu.container_module} {
  func.func private @__stde_emu.kernels.k()
  gpu.module @kernels {
    // expected-error @+1 {{the module already has a symbol named '__stde_emu.kernels.k'}}
    gpu.func @k() kernel {
      gpu.return
    }
  }
}

// -----

// An emulator entry point declared with another type.
module attributes {gpu.container_module} {
  // expected-error @+1 {{'stde_emu_thread_id' is the emulator's and must have type '(i32) -> index'}}
  func.func private @stde_emu_thread_id(i64) -> index
  gpu.module @kernels {
    gpu.func @k(%out: memref<4xindex>) kernel {
      %t = gpu.thread_id x
      %c0 = arith.constant 0 : index
      memref.store %t, %out[%c0] : memref<4xindex>
      gpu.return
    }
  }
}
