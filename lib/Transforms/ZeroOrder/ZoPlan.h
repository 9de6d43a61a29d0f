//===- ZoPlan.h - what zo-pair perturbs, for zo-update ----------*- C++ -*-===//
//
// The perturbation plan of a paired loss: one entry per dense layer (where
// its weights and biases sit in theta, its rank, where its r x r core sits
// in the core vector), the radius and the number of pairs. zo-pair writes it
// on @f_zo as the `zo.plan` attribute; zo-update reads it back.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_TRANSFORMS_ZEROORDER_ZOPLAN_H
#define STDE_LIB_TRANSFORMS_ZEROORDER_ZOPLAN_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"

#include <cmath>

namespace stde::zo {

struct ZoLayer {
  int64_t offset = 0, in = 0, out = 0, rank = 0, coreOffset = 0;
  int64_t biasOffset() const { return offset + in * out; }
  /// The factor that gives A Z B^T the expected norm of a full Gaussian.
  double scale() const { return std::sqrt(double(in) * double(out)) / double(rank); }
};

struct ZoPlan {
  double eps = 1e-3;
  int64_t pairs = 1;
  llvm::SmallVector<ZoLayer> layers;
  int64_t coreSize() const {
    int64_t n = 0;
    for (const ZoLayer &l : layers)
      n += l.rank * l.rank;
    return n;
  }
  int64_t biasSize() const {
    int64_t n = 0;
    for (const ZoLayer &l : layers)
      n += l.out;
    return n;
  }
};

inline constexpr const char *kPlanAttr = "zo.plan";

/// {eps, pairs, layers = [array<i64: offset, in, out, rank, coreOffset>, ...]}.
mlir::DictionaryAttr planToAttr(mlir::Builder &b, const ZoPlan &plan);
mlir::FailureOr<ZoPlan> planFromAttr(mlir::DictionaryAttr attr);

} // namespace stde::zo

#endif // STDE_LIB_TRANSFORMS_ZEROORDER_ZOPLAN_H
