//===- PhiloxTest.cpp - the runtime's Philox against Random123's answers ---===//
//
// The host generator (parameter initialization, problem coefficients, the
// oracles of the numerical tests) must be Philox4x32-10 exactly, as the
// compiled lowering is (test/Conversion/RngToArith/philox-known-answers.mlir):
// the published known-answer vectors of docs/MATH.md section 6.
//
//===----------------------------------------------------------------------===//
#include "runtime/Philox.h"

#include <gtest/gtest.h>

namespace {

using stde::runtime::philox4x32;
using stde::runtime::PhiloxWords;

TEST(Philox, KnownAnswers) {
  EXPECT_EQ(philox4x32({0, 0, 0, 0}, {0, 0}),
            (PhiloxWords{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  EXPECT_EQ(philox4x32({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
                       {0xffffffffu, 0xffffffffu}),
            (PhiloxWords{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
  EXPECT_EQ(philox4x32({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
                       {0xa4093822u, 0x299f31d0u}),
            (PhiloxWords{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(Philox, CoordinatesAreTheCounterAndKey) {
  // key = seed (low, high word); counter = (index, stream, step low, step high).
  const uint64_t seed = 0x0123456789abcdefull, step = 0xfedcba9876543210ull;
  EXPECT_EQ(stde::runtime::philoxAt(seed, 7, step, 11),
            philox4x32({11, 7, uint32_t(step), uint32_t(step >> 32)},
                       {uint32_t(seed), uint32_t(seed >> 32)}));
}

} // namespace
