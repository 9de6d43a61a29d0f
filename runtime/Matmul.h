//===- Matmul.h - C += A B for compiled code ------------------------------===//
//
// The matrix products of a compiled step (dense layers, their adjoints and
// weight gradients) are calls into these two functions, made by the pass
// convert-linalg-to-runtime. Each operand arrives as a 2-D strided memref
// descriptor (the layout MLIR's C interface passes): row-major, column-major
// (a transposed view) or general strides. Products whose operands are
// row- or column-contiguous go to OpenBLAS (both cores); anything else is
// copied into a packed buffer first.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_MATMUL_H
#define STDE_RUNTIME_MATMUL_H

#include <cstdint>

namespace stde::runtime {

/// MLIR's descriptor of a rank-2 memref (StridedMemRefType<T, 2>).
template <typename T> struct MemRef2 {
  T *allocated;
  T *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
};

/// C[m, n] += sum_k A[m, k] B[k, n]; shapes A: M x K, B: K x N, C: M x N.
void matmulAccumulate(const MemRef2<float> &a, const MemRef2<float> &b, MemRef2<float> &c);
void matmulAccumulate(const MemRef2<double> &a, const MemRef2<double> &b, MemRef2<double> &c);

/// Number of threads the products use (OpenBLAS's pool).
int matmulThreads();

/// Sets the number of threads of the products (process-wide: OpenBLAS has one
/// pool). n >= 1.
void setMatmulThreads(int n);

} // namespace stde::runtime

/// The symbols compiled code calls (func.func private @stde_matmul_f32 with
/// llvm.emit_c_interface); the JIT resolves them to these.
extern "C" void _mlir_ciface_stde_matmul_f32(stde::runtime::MemRef2<float> *a,
                                             stde::runtime::MemRef2<float> *b,
                                             stde::runtime::MemRef2<float> *c);
extern "C" void _mlir_ciface_stde_matmul_f64(stde::runtime::MemRef2<double> *a,
                                             stde::runtime::MemRef2<double> *b,
                                             stde::runtime::MemRef2<double> *c);

#endif // STDE_RUNTIME_MATMUL_H
