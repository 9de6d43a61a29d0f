//===- MatmulTest.cpp - the runtime's C += A B against a double loop ------===//
//
// Every layout the compiled code can hand over (row-major, transposed views,
// general strides that need packing, offsets, an output overlapping an
// input, size-1 dimensions) against a plain triple loop in long double.
//
//===----------------------------------------------------------------------===//
#include "runtime/Matmul.h"

#include "Compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

using stde::runtime::MemRef2;

namespace {

/// A view into `storage` with the given strides and offset.
template <typename T>
MemRef2<T> view(std::vector<T> &storage, int64_t offset, int64_t rows, int64_t cols, int64_t rs,
                int64_t cs) {
  return MemRef2<T>{storage.data(), storage.data(), offset, {rows, cols}, {rs, cs}};
}

template <typename T> T &at(MemRef2<T> &m, int64_t i, int64_t j) {
  return m.aligned[m.offset + i * m.strides[0] + j * m.strides[1]];
}

/// Layout of one operand: (row stride, column stride) for a rows x cols view.
enum class Layout { rowMajor, columnMajor, general };

template <typename T>
MemRef2<T> makeOperand(std::vector<T> &storage, Layout layout, int64_t rows, int64_t cols,
                       std::mt19937 &rng) {
  int64_t offset = 3, rs = 1, cs = 1;
  switch (layout) {
  case Layout::rowMajor: rs = cols + 2; cs = 1; break;     // padded rows
  case Layout::columnMajor: rs = 1; cs = rows + 1; break;  // a transposed view
  case Layout::general: rs = 2 * cols + 1; cs = 2; break; // needs packing
  }
  storage.assign(offset + (rows - 1) * rs + (cols - 1) * cs + 1, T(0));
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  MemRef2<T> m = view(storage, offset, rows, cols, rs, cs);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      at(m, i, j) = T(u(rng));
  return m;
}

template <typename T> void checkAllLayouts(int64_t m, int64_t n, int64_t k, double tolerance) {
  std::mt19937 rng(7);
  for (Layout la : {Layout::rowMajor, Layout::columnMajor, Layout::general})
    for (Layout lb : {Layout::rowMajor, Layout::columnMajor, Layout::general})
      for (Layout lc : {Layout::rowMajor, Layout::columnMajor, Layout::general}) {
        std::vector<T> sa, sb, sc;
        MemRef2<T> a = makeOperand(sa, la, m, k, rng), b = makeOperand(sb, lb, k, n, rng),
                   c = makeOperand(sc, lc, m, n, rng);
        std::vector<long double> expected(m * n);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j) {
            long double sum = at(c, i, j);
            for (int64_t p = 0; p < k; ++p)
              sum += (long double)at(a, i, p) * at(b, p, j);
            expected[i * n + j] = sum;
          }
        std::vector<T> before = sc;
        stde::runtime::matmulAccumulate(a, b, c);
        double worst = 0.0;
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j)
            worst = stde::test::worseOf(worst, (double)std::fabs(at(c, i, j) - expected[i * n + j]));
        EXPECT_LE(worst, tolerance * std::sqrt(double(k)))
            << "layouts " << int(la) << int(lb) << int(lc) << " shape " << m << "x" << n << "x" << k;
        // Padding between rows/columns of C is not written.
        std::vector<bool> inside(sc.size(), false);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j)
            inside[c.offset + i * c.strides[0] + j * c.strides[1]] = true;
        for (size_t e = 0; e < sc.size(); ++e) {
          if (!inside[e]) {
            EXPECT_EQ(sc[e], before[e]) << "wrote outside C at " << e;
          }
        }
      }
}

TEST(RuntimeMatmul, F64EveryLayout) {
  checkAllLayouts<double>(37, 29, 41, 1e-15);
  checkAllLayouts<double>(1, 29, 41, 1e-15);
  checkAllLayouts<double>(37, 1, 41, 1e-15);
  checkAllLayouts<double>(37, 29, 1, 1e-15);
}

TEST(RuntimeMatmul, F32EveryLayout) {
  checkAllLayouts<float>(130, 70, 257, 2e-6);
  checkAllLayouts<float>(16, 1, 128, 2e-6);
}

TEST(RuntimeMatmul, EmptyProductsLeaveCAlone) {
  std::vector<double> sa(4, 1.0), sb(4, 1.0), sc(4, 5.0);
  MemRef2<double> a = view(sa, 0, 2, 0, 1, 1), b = view(sb, 0, 0, 2, 2, 1),
                  c = view(sc, 0, 2, 2, 2, 1);
  stde::runtime::matmulAccumulate(a, b, c);
  for (double v : sc)
    EXPECT_EQ(v, 5.0);
}

TEST(RuntimeMatmul, OutputOverlappingAnInput) {
  // C is A itself (square): C += C B must read the old C throughout.
  std::vector<double> sc{1, 2, 3, 4}, sb{0, 1, 1, 0};
  MemRef2<double> c = view(sc, 0, 2, 2, 2, 1), b = view(sb, 0, 2, 2, 2, 1);
  MemRef2<double> a = c;
  stde::runtime::matmulAccumulate(a, b, c);
  // [[1,2],[3,4]] + [[1,2],[3,4]] [[0,1],[1,0]] = [[3,3],[7,7]]
  EXPECT_EQ(sc, (std::vector<double>{3, 3, 7, 7}));
}

} // namespace
