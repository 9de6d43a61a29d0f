//===- ZoPlan.cpp - the zo.plan attribute ----------------------------------===//
#include "ZoPlan.h"

using namespace mlir;

DictionaryAttr stde::zo::planToAttr(Builder &b, const ZoPlan &plan) {
  SmallVector<Attribute> layers;
  for (const ZoLayer &l : plan.layers)
    layers.push_back(b.getDenseI64ArrayAttr({l.offset, l.in, l.out, l.rank, l.coreOffset}));
  return b.getDictionaryAttr({b.getNamedAttr("eps", b.getF64FloatAttr(plan.eps)),
                              b.getNamedAttr("pairs", b.getI64IntegerAttr(plan.pairs)),
                              b.getNamedAttr("layers", b.getArrayAttr(layers))});
}

FailureOr<stde::zo::ZoPlan> stde::zo::planFromAttr(DictionaryAttr attr) {
  if (!attr)
    return failure();
  auto eps = attr.getAs<FloatAttr>("eps");
  auto pairs = attr.getAs<IntegerAttr>("pairs");
  auto layers = attr.getAs<ArrayAttr>("layers");
  if (!eps || !pairs || !layers)
    return failure();
  ZoPlan plan;
  plan.eps = eps.getValueAsDouble();
  plan.pairs = pairs.getInt();
  for (Attribute a : layers) {
    auto v = dyn_cast<DenseI64ArrayAttr>(a);
    if (!v || v.size() != 5)
      return failure();
    plan.layers.push_back({v[0], v[1], v[2], v[3], v[4]});
  }
  return plan;
}
