//===- Matmul.cpp - C += A B through OpenBLAS ------------------------------===//
#include "Matmul.h"

#include <cblas.h>

#include <algorithm>
#include <optional>
#include <vector>


using namespace stde::runtime;

namespace {

/// A rows x cols matrix as a row-major BLAS operand: its storage read with or
/// without transposition and its leading dimension.
template <typename T> struct BlasOperand {
  T *data;
  CBLAS_TRANSPOSE trans;
  int64_t ld;
  BlasOperand flipped() const {
    return {data, trans == CblasNoTrans ? CblasTrans : CblasNoTrans, ld};
  }
};

/// The BLAS form of a strided view, if one exists: unit stride along the
/// columns (row-major) or along the rows (a transposed row-major matrix).
/// Size-1 dimensions may have any stride.
template <typename T>
std::optional<BlasOperand<T>> asBlas(T *data, int64_t rows, int64_t cols, int64_t rs,
                                     int64_t cs) {
  if (cs == 1 || cols == 1) {
    int64_t ld = rows == 1 ? std::max<int64_t>(cols, 1) : rs;
    if (ld >= std::max<int64_t>(cols, 1))
      return BlasOperand<T>{data, CblasNoTrans, ld};
  }
  if (rs == 1 || rows == 1) {
    int64_t ld = cols == 1 ? std::max<int64_t>(rows, 1) : cs;
    if (ld >= std::max<int64_t>(rows, 1))
      return BlasOperand<T>{data, CblasTrans, ld};
  }
  return std::nullopt;
}

/// A packed row-major copy of a strided view (for layouts BLAS cannot read).
template <typename T> struct Packed {
  std::vector<T> storage;
  Packed(const MemRef2<T> &m) : storage(m.sizes[0] * m.sizes[1]) {
    const T *base = m.aligned + m.offset;
    for (int64_t i = 0; i < m.sizes[0]; ++i)
      for (int64_t j = 0; j < m.sizes[1]; ++j)
        storage[i * m.sizes[1] + j] = base[i * m.strides[0] + j * m.strides[1]];
  }
  void copyBack(MemRef2<T> &m) const {
    T *base = m.aligned + m.offset;
    for (int64_t i = 0; i < m.sizes[0]; ++i)
      for (int64_t j = 0; j < m.sizes[1]; ++j)
        base[i * m.strides[0] + j * m.strides[1]] = storage[i * m.sizes[1] + j];
  }
};

void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k, const float *a,
          int64_t lda, const float *b, int64_t ldb, float *c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 1.0f, c, ldc);
}
void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t k, const double *a,
          int64_t lda, const double *b, int64_t ldb, double *c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 1.0, c, ldc);
}

/// Whether the element ranges of two views overlap (then C is computed in a
/// separate buffer, so the product never reads what it has written).
template <typename T> bool overlaps(const MemRef2<T> &x, const MemRef2<T> &y) {
  auto range = [](const MemRef2<T> &m) {
    const T *first = m.aligned + m.offset;
    int64_t extent = (m.sizes[0] - 1) * m.strides[0] + (m.sizes[1] - 1) * m.strides[1];
    return std::pair<const T *, const T *>(first, first + extent);
  };
  auto [x0, x1] = range(x);
  auto [y0, y1] = range(y);
  return x0 <= y1 && y0 <= x1;
}

template <typename T> void accumulate(const MemRef2<T> &a, const MemRef2<T> &b, MemRef2<T> &c) {
  int64_t m = c.sizes[0], n = c.sizes[1], k = a.sizes[1];
  if (m == 0 || n == 0 || k == 0)
    return;
  // Operands BLAS cannot read as they are are packed first.
  std::optional<Packed<T>> packedA, packedB, packedC;
  auto operand = [](const MemRef2<T> &x, std::optional<Packed<T>> &packed) {
    T *base = x.aligned + x.offset;
    if (auto view = asBlas(base, x.sizes[0], x.sizes[1], x.strides[0], x.strides[1]))
      return *view;
    packed.emplace(x);
    return BlasOperand<T>{packed->storage.data(), CblasNoTrans, std::max<int64_t>(x.sizes[1], 1)};
  };
  BlasOperand<T> opA = operand(a, packedA), opB = operand(b, packedB);
  std::optional<BlasOperand<T>> opC;
  if (!overlaps(c, a) && !overlaps(c, b))
    opC = asBlas(c.aligned + c.offset, m, n, c.strides[0], c.strides[1]);
  if (!opC) {
    packedC.emplace(c);
    opC = BlasOperand<T>{packedC->storage.data(), CblasNoTrans, n};
  }
  if (opC->trans == CblasNoTrans)
    gemm(opA.trans, opB.trans, m, n, k, opA.data, opA.ld, opB.data, opB.ld, opC->data, opC->ld);
  else // C is column-major: compute C^T = B^T A^T row-major in its storage.
    gemm(opB.flipped().trans, opA.flipped().trans, n, m, k, opB.data, opB.ld, opA.data, opA.ld,
         opC->data, opC->ld);
  if (packedC)
    packedC->copyBack(c);
}

} // namespace

void stde::runtime::matmulAccumulate(const MemRef2<float> &a, const MemRef2<float> &b,
                                     MemRef2<float> &c) {
  accumulate(a, b, c);
}
void stde::runtime::matmulAccumulate(const MemRef2<double> &a, const MemRef2<double> &b,
                                     MemRef2<double> &c) {
  accumulate(a, b, c);
}

int stde::runtime::matmulThreads() { return openblas_get_num_threads(); }

void stde::runtime::setMatmulThreads(int n) { openblas_set_num_threads(n); }

extern "C" void _mlir_ciface_stde_matmul_f32(MemRef2<float> *a, MemRef2<float> *b,
                                             MemRef2<float> *c) {
  matmulAccumulate(*a, *b, *c);
}
extern "C" void _mlir_ciface_stde_matmul_f64(MemRef2<double> *a, MemRef2<double> *b,
                                             MemRef2<double> *c) {
  matmulAccumulate(*a, *b, *c);
}
