//===- JetStructure.h - how coefficient structure propagates --------------===//
//
// The structure lattice of a Taylor coefficient across directions:
//   zero  <  onehot  <  dense,   zero  <  shared  <  dense.
// A sum or a product of two coefficients is as structured as both allow; the
// result kinds of every jet op follow from running its rule on kinds
// (KindAlgebra with the templates of TaylorRecurrences.h).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_DIALECTS_JET_JETSTRUCTURE_H
#define STDE_DIALECTS_JET_JETSTRUCTURE_H

#include "dialects/jet/TaylorRecurrences.h"

#include "llvm/ADT/SmallVector.h"

namespace mlir::jet {

using Structure = llvm::SmallVector<CoefficientKind, 8>;

/// Kind of a + b.
CoefficientKind addKinds(CoefficientKind a, CoefficientKind b);
/// Kind of a * b (elementwise), also of a / b.
CoefficientKind mulKinds(CoefficientKind a, CoefficientKind b);
/// Kind of L(a) for a linear map L that does not keep basis vectors basis
/// vectors (a dense layer, a reduction, a slice): onehot becomes dense.
CoefficientKind linearKind(CoefficientKind a);

/// Coefficient algebra on kinds, for structure inference.
struct KindAlgebra {
  using Coeff = CoefficientKind;
  Coeff zero() { return CoefficientKind::zero; }
  Coeff constant(double) { return CoefficientKind::shared; }
  Coeff add(Coeff a, Coeff b) { return addKinds(a, b); }
  Coeff sub(Coeff a, Coeff b) { return addKinds(a, b); }
  Coeff mul(Coeff a, Coeff b) { return mulKinds(a, b); }
  Coeff div(Coeff a, Coeff b) { return mulKinds(a, b); }
  Coeff scale(Coeff a, double) { return a; }
  Coeff primal(ElementwiseFn, Coeff) { return CoefficientKind::shared; }
};

/// The series of kinds of a jet: primal (shared) followed by `structure`.
taylor::Series<KindAlgebra> kindSeries(llvm::ArrayRef<CoefficientKind> structure);
/// Drops the primal of a kind series: the structure of a jet type.
Structure structureOf(llvm::ArrayRef<CoefficientKind> series);

/// Structure of a result, by rule.
Structure inferAddStructure(llvm::ArrayRef<CoefficientKind> a, llvm::ArrayRef<CoefficientKind> b);
Structure inferMulStructure(llvm::ArrayRef<CoefficientKind> a, llvm::ArrayRef<CoefficientKind> b);
Structure inferDivStructure(llvm::ArrayRef<CoefficientKind> a, llvm::ArrayRef<CoefficientKind> b);
Structure inferElementwiseStructure(ElementwiseFn fn, llvm::ArrayRef<CoefficientKind> a);
Structure inferPowiStructure(int64_t exponent, llvm::ArrayRef<CoefficientKind> a);
Structure inferLinearStructure(llvm::ArrayRef<CoefficientKind> a);

/// Whether a coefficient of kind `general` can hold every value of kind
/// `specific` (the order above; equal kinds included).
bool isAtLeastAsGeneral(CoefficientKind general, CoefficientKind specific);

} // namespace mlir::jet

#endif // STDE_DIALECTS_JET_JETSTRUCTURE_H
