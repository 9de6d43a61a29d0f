// RUN: stde-translate --emit=ptx %s | FileCheck %s
// RUN: stde-translate --emit=ptx --chip=sm_80 %s | FileCheck %s --check-prefix=SM80
// RUN: not stde-translate --emit=ptx --chip=gfx90a %s 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not stde-translate --emit=cubin %s 2>&1 | FileCheck %s --check-prefix=EMIT
// RUN: %if ptxas %{ stde-translate --emit=ptx %s -o %t.sm90.ptx && %ptxas -arch=sm_90 %t.sm90.ptx -o /dev/null %}
// RUN: %if ptxas %{ stde-translate --emit=ptx --chip=sm_80 %s -o %t.sm80.ptx && %ptxas -arch=sm_80 %t.sm80.ptx -o /dev/null %}

// f32 and f64 transcendentals: libdevice is linked and inlined, so the PTX
// declares no external function and loads on any driver.
// CHECK:       .version 8.0
// CHECK:       .target sm_90
// CHECK-NOT:   .extern .func
// CHECK:       .visible .entry transcendental_kernel(
// CHECK:       mov.u32 {{.*}}%ctaid.x
// CHECK:       mov.u32 {{.*}}%tid.x
// CHECK:       ex2.approx
// CHECK:       st.global.b32
// CHECK:       .visible .entry transcendental_kernel_0(
// CHECK:       st.global.b64
// CHECK-NOT:   .extern .func
// SM80:        .target sm_80
// CHIP: unknown GPU architecture 'gfx90a'
// EMIT: stde-translate: unknown --emit=cubin (give --emit=llvm or --emit=ptx)
func.func @transcendental(%x: tensor<128xf32>, %y: tensor<128xf64>) -> (tensor<128xf32>, tensor<128xf64>) {
  %a = math.tanh %x : tensor<128xf32>
  %b = math.exp %a : tensor<128xf32>
  %c = math.sin %y : tensor<128xf64>
  %d = math.log %c : tensor<128xf64>
  return %b, %d : tensor<128xf32>, tensor<128xf64>
}
