// RUN: not stde-opt %s --pass-pipeline="builtin.module(func.func(stde-thread-parallel-loops{min-chunks=0}))" 2>&1 | FileCheck %s
// RUN: not stde-opt %s --pass-pipeline="builtin.module(func.func(stde-thread-parallel-loops{min-iterations=-5}))" 2>&1 | FileCheck %s

// CHECK: stde-thread-parallel-loops: min-iterations and min-chunks must be at least 1
func.func @f(%x: f64) -> f64 {
  return %x : f64
}
