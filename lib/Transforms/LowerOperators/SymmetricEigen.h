//===- SymmetricEigen.h - eigendecomposition by cyclic Jacobi --*- C++ -*-===//
#ifndef STDE_LIB_TRANSFORMS_LOWEROPERATORS_SYMMETRICEIGEN_H
#define STDE_LIB_TRANSFORMS_LOWEROPERATORS_SYMMETRICEIGEN_H

#include <cstdint>
#include <vector>

namespace stde::lowering {

/// Symmetric eigendecomposition by cyclic Jacobi rotations: eigenvalues and
/// eigenvectors (vectors[i] belongs to values[i]) of an n x n row-major
/// symmetric matrix.
void symmetricEigen(std::vector<double> matrix, int64_t n, std::vector<double> &values,
                    std::vector<std::vector<double>> &vectors);

} // namespace stde::lowering

#endif // STDE_LIB_TRANSFORMS_LOWEROPERATORS_SYMMETRICEIGEN_H
