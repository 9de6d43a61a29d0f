//===- RankShare.h - a function that computes one rank's share of a step -*- C++ -*-===//
//
// Data-parallel training splits every point batch of a step evenly over P
// ranks: rank r holds rows [r n, (r + 1) n) of each batch of P n points.
// A function marked `stde.rank_share = array<i64: r, P>` computes rank r's
// share; the passes that draw per-point random numbers (the point samplers,
// stde-lower-operators' dense tangents) then draw the window of the whole
// batch's draw that holds those rows, so every point keeps the numbers it has
// in a one-process run, and the sum over the ranks is the one-process step.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TRANSFORMS_RANKSHARE_H
#define STDE_TRANSFORMS_RANKSHARE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <cstdint>

namespace stde {

struct RankShare {
  int64_t rank = 0, ranks = 1;

  /// A share smaller than the whole batch.
  bool partial() const { return ranks > 1; }
  /// The first row of this rank's n of a batch of ranks x n rows.
  int64_t firstRow(int64_t n) const { return rank * n; }
};

inline constexpr const char *kRankShareAttr = "stde.rank_share";

/// The share a function is marked with (the whole batch when unmarked).
inline RankShare rankShareOf(mlir::func::FuncOp func) {
  RankShare share;
  if (auto attr = func->getAttrOfType<mlir::DenseI64ArrayAttr>(kRankShareAttr))
    if (attr.size() == 2) {
      share.rank = attr[0];
      share.ranks = attr[1];
    }
  return share;
}

inline void setRankShare(mlir::func::FuncOp func, RankShare share) {
  mlir::Builder b(func.getContext());
  func->setAttr(kRankShareAttr, b.getDenseI64ArrayAttr({share.rank, share.ranks}));
}

} // namespace stde

#endif // STDE_TRANSFORMS_RANKSHARE_H
