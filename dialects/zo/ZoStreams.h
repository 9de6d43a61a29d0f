//===- ZoStreams.h - Philox streams of the zeroth-order path ---*- C++ -*-===//
//
// The random roles of docs/MATH.md section 4, as Philox stream numbers (plain
// constants: the runtime and the tests use them too). Spatial draws (points,
// probe directions, sampled indices) keep the streams of the unpaired loss,
// keyed by the step: both sides of a pair see the same ones. Z and the bias
// perturbation ("param") are keyed by the step, one stream per layer and
// pair; the bases A and B ("subspace") by the refresh epoch.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_DIALECTS_ZO_ZOSTREAMS_H
#define STDE_DIALECTS_ZO_ZOSTREAMS_H

#include <cstdint>

namespace stde::zo_streams {

constexpr int64_t maxLayers = 256, maxPairs = 256;

/// Z (r x r) of `layer` for pair `pair`.
constexpr uint32_t core(int64_t layer, int64_t pair) {
  return 0x7ffb0000u | uint32_t(layer) << 8 | uint32_t(pair);
}
/// The bias perturbation (O values) of `layer` for pair `pair`.
constexpr uint32_t bias(int64_t layer, int64_t pair) {
  return 0x7ffa0000u | uint32_t(layer) << 8 | uint32_t(pair);
}
/// The input-side basis B (I x r) of `layer`.
constexpr uint32_t inputBasis(int64_t layer) { return 0x7ff90000u | uint32_t(layer) << 1; }
/// The output-side basis A (O x r) of `layer`.
constexpr uint32_t outputBasis(int64_t layer) { return 0x7ff90000u | uint32_t(layer) << 1 | 1u; }

} // namespace stde::zo_streams

#endif // STDE_DIALECTS_ZO_ZOSTREAMS_H
