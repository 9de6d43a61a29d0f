//===- RngLimits.h - how much one random stream holds ---------------------===//
//
// Free of generated headers, so that passes and the API that only check a
// size need not depend on the dialect's tablegen targets.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_DIALECTS_RNG_RNGLIMITS_H
#define STDE_DIALECTS_RNG_RNGLIMITS_H

#include <cstdint>

namespace mlir::rng {

/// The element index of a draw is one 32-bit Philox counter word: one draw
/// (one random stream) holds at most 2^32 numbers.
constexpr int64_t kMaxDrawElements = int64_t(1) << 32;

} // namespace mlir::rng

#endif // STDE_DIALECTS_RNG_RNGLIMITS_H
