//===- Philox.h - Philox4x32-10, the one random generator of stde -*- C++ -*-===//
//
// Random numbers are a pure function of counters (docs/DESIGN.md, invariants):
// key = the seed (low, high word), counter = (index, stream, step low, step
// high), as in the rng dialect's lowering, so host-side draws (parameter
// initialization, problem coefficients) follow the same convention as the
// compiled code. Known answers: docs/MATH.md section 6 (test/Unit/PhiloxTest.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_PHILOX_H
#define STDE_RUNTIME_PHILOX_H

#include <array>
#include <cstdint>

namespace stde::runtime {

using PhiloxWords = std::array<uint32_t, 4>;

/// One Philox4x32-10 block.
PhiloxWords philox4x32(PhiloxWords counter, std::array<uint32_t, 2> key);

/// The four words at (seed, stream, step, index).
PhiloxWords philoxAt(uint64_t seed, uint32_t stream, uint64_t step, uint32_t index);

/// A uniform double in [0, 1) from 53 bits of the block at the coordinates.
double uniformAt(uint64_t seed, uint32_t stream, uint64_t step, uint32_t index);

/// A standard normal: Box-Muller on two 53-bit uniforms from one block
/// (every index gives one independent value).
double gaussianAt(uint64_t seed, uint32_t stream, uint64_t step, uint32_t index);

/// Streams the host uses; compiled code uses the operator streams
/// (op index << 8) and the point streams below.
namespace streams {
// Point samplers (lib/API/Domain.cpp) draw a main N x D block and one
// auxiliary value per point (radius, time, face) from a pair of streams.
constexpr uint32_t trainPoints = 0x7fff0000u;      // residual points: main draw
constexpr uint32_t trainPointsAux = 0x7fff0001u;   //   and the per-point draw
constexpr uint32_t trainBoundary = 0x7fff0002u;    // boundary / terminal points
constexpr uint32_t trainBoundaryAux = 0x7fff0003u;
constexpr uint32_t testPoints = 0x7ffe0000u;       // test points
constexpr uint32_t testPointsAux = 0x7ffe0001u;
constexpr uint32_t initialization = 0x7ffd0000u;  // parameters
constexpr uint32_t coefficients = 0x7ffc0000u;    // problem constants (c_i)
} // namespace streams

} // namespace stde::runtime

#endif // STDE_RUNTIME_PHILOX_H
