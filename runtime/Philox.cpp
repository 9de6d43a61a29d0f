//===- Philox.cpp - Philox4x32-10 (Salmon et al., SC'11) ------------------===//
#include "runtime/Philox.h"

#include <cmath>

namespace stde::runtime {

PhiloxWords philox4x32(PhiloxWords c, std::array<uint32_t, 2> k) {
  constexpr uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
  constexpr uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = uint64_t(m0) * c[0], p1 = uint64_t(m1) * c[2];
    c = {uint32_t(p1 >> 32) ^ c[1] ^ k[0], uint32_t(p1), uint32_t(p0 >> 32) ^ c[3] ^ k[1],
         uint32_t(p0)};
    k = {k[0] + w0, k[1] + w1};
  }
  return c;
}

PhiloxWords philoxAt(uint64_t seed, uint32_t stream, uint64_t step, uint32_t index) {
  return philox4x32({index, stream, uint32_t(step), uint32_t(step >> 32)},
                    {uint32_t(seed), uint32_t(seed >> 32)});
}

namespace {
double unit53(uint32_t high, uint32_t low) {
  uint64_t bits = (uint64_t(high) << 21) ^ (low >> 11);
  return double(bits & ((uint64_t(1) << 53) - 1)) * 0x1p-53;
}
} // namespace

double uniformAt(uint64_t seed, uint32_t stream, uint64_t step, uint32_t index) {
  PhiloxWords w = philoxAt(seed, stream, step, index);
  return unit53(w[0], w[1]);
}

double gaussianAt(uint64_t seed, uint32_t stream, uint64_t step, uint32_t index) {
  PhiloxWords w = philoxAt(seed, stream, step, index);
  double u1 = 1.0 - unit53(w[0], w[1]); // (0, 1]: log is finite
  double u2 = unit53(w[2], w[3]);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

} // namespace stde::runtime
