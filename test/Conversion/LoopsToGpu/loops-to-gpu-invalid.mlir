// RUN: stde-opt %s --pass-pipeline="builtin.module(func.func(convert-loops-to-gpu))" --split-input-file --verify-diagnostics
// RUN: not stde-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(convert-loops-to-gpu{block-size=0}))" 2>&1 | FileCheck %s --check-prefix=SIZE
// SIZE: block-size must be in 1 ... 1024 (got 0)

// A kernel cannot read the host's stack.
func.func @stack(%y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %s = memref.alloca() : memref<f32>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    // expected-error @+1 {{a GPU kernel reads a host stack buffer (memref.alloca); allocate it with memref.alloc instead}}
    %v = memref.load %s[] : memref<f32>
    memref.store %v, %y[%i] : memref<4xf32>
  }
  return
}
