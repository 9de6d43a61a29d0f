//===- JetStructure.cpp - how coefficient structure propagates ------------===//
#include "dialects/jet/JetStructure.h"

namespace mlir::jet {

using CK = CoefficientKind;

CoefficientKind addKinds(CK a, CK b) {
  // A summed coefficient absorbs whatever is added to it (summed over the
  // directions first).
  if (a == CK::summed || b == CK::summed)
    return CK::summed;
  if (a == CK::zero)
    return b;
  if (b == CK::zero)
    return a;
  if (a == CK::shared && b == CK::shared)
    return CK::shared;
  // onehot + onehot could be two-hot: no longer a basis vector.
  return CK::dense;
}

CoefficientKind mulKinds(CK a, CK b) {
  if (a == CK::zero || b == CK::zero)
    return CK::zero;
  if (a == CK::shared && b == CK::shared)
    return CK::shared;
  // A sum over directions times a factor common to all directions. The Taylor
  // rules only ever multiply the top coefficient by primals, so a summed
  // coefficient never meets a per-direction factor (convert-jet-to-tensor
  // reports it if it does).
  if (a == CK::summed || b == CK::summed)
    return CK::summed;
  // A basis vector scaled per point is no longer a basis vector.
  return CK::dense;
}

CoefficientKind linearKind(CK a) { return a == CK::onehot ? CK::dense : a; }

taylor::Series<KindAlgebra> kindSeries(llvm::ArrayRef<CK> structure) {
  taylor::Series<KindAlgebra> series{CK::shared};
  series.append(structure.begin(), structure.end());
  return series;
}

Structure structureOf(llvm::ArrayRef<CK> series) {
  return Structure(series.begin() + 1, series.end());
}

Structure inferAddStructure(llvm::ArrayRef<CK> a, llvm::ArrayRef<CK> b) {
  Structure result;
  for (size_t k = 0; k < a.size(); ++k)
    result.push_back(addKinds(a[k], b[k]));
  return result;
}

Structure inferMulStructure(llvm::ArrayRef<CK> a, llvm::ArrayRef<CK> b) {
  KindAlgebra alg;
  auto sa = kindSeries(a), sb = kindSeries(b);
  return structureOf(taylor::mul(alg, llvm::ArrayRef(sa), llvm::ArrayRef(sb)));
}

Structure inferDivStructure(llvm::ArrayRef<CK> a, llvm::ArrayRef<CK> b) {
  KindAlgebra alg;
  auto sa = kindSeries(a), sb = kindSeries(b);
  return structureOf(taylor::div(alg, llvm::ArrayRef(sa), llvm::ArrayRef(sb)));
}

Structure inferElementwiseStructure(ElementwiseFn fn, llvm::ArrayRef<CK> a) {
  KindAlgebra alg;
  auto sa = kindSeries(a);
  return structureOf(taylor::elementwise(alg, fn, llvm::ArrayRef(sa)));
}

Structure inferPowiStructure(int64_t exponent, llvm::ArrayRef<CK> a) {
  KindAlgebra alg;
  auto sa = kindSeries(a);
  return structureOf(taylor::powi(alg, llvm::ArrayRef(sa), exponent));
}

Structure inferLinearStructure(llvm::ArrayRef<CK> a) {
  Structure result;
  for (CK kind : a)
    result.push_back(linearKind(kind));
  return result;
}

bool isAtLeastAsGeneral(CK general, CK specific) {
  // A sum over the directions holds only sums: nothing per direction
  // converts to or from it (jet.collapse does, explicitly).
  if (general == CK::summed || specific == CK::summed)
    return specific == CK::zero || general == specific;
  if (general == specific || specific == CK::zero || general == CK::dense)
    return true;
  return false;
}

} // namespace mlir::jet
