//===- Philox.cpp - Philox4x32-10 and its derived draws as arith ops ------===//
#include "Philox.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace {
constexpr uint32_t multiplier0 = 0xD2511F53, multiplier1 = 0xCD9E8D57;
constexpr uint32_t weyl0 = 0x9E3779B9, weyl1 = 0xBB67AE85;
constexpr int rounds = 10;

Value i32Constant(OpBuilder &b, Location loc, uint32_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), int64_t(int32_t(value)));
}
} // namespace

std::array<Value, 4> stde::philox::emitPhilox(OpBuilder &b, Location loc, Value k0, Value k1,
                                           std::array<Value, 4> c) {
  Value m0 = i32Constant(b, loc, multiplier0), m1 = i32Constant(b, loc, multiplier1);
  Value w0 = i32Constant(b, loc, weyl0), w1 = i32Constant(b, loc, weyl1);
  for (int round = 0; round < rounds; ++round) {
    if (round > 0) {
      k0 = arith::AddIOp::create(b, loc, k0, w0);
      k1 = arith::AddIOp::create(b, loc, k1, w1);
    }
    auto p0 = arith::MulUIExtendedOp::create(b, loc, m0, c[0]);
    auto p1 = arith::MulUIExtendedOp::create(b, loc, m1, c[2]);
    Value x0 = arith::XOrIOp::create(b, loc, p1.getHigh(), c[1]);
    Value x2 = arith::XOrIOp::create(b, loc, p0.getHigh(), c[3]);
    c = {arith::XOrIOp::create(b, loc, x0, k0), p1.getLow(),
         arith::XOrIOp::create(b, loc, x2, k1), p0.getLow()};
  }
  return c;
}

/// The low and high 32-bit halves of an i64.
static std::pair<Value, Value> split(OpBuilder &b, Location loc, Value value) {
  Value lo = arith::TruncIOp::create(b, loc, b.getI32Type(), value);
  Value shift = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 32);
  Value hi = arith::TruncIOp::create(b, loc, b.getI32Type(),
                                     arith::ShRUIOp::create(b, loc, value, shift));
  return {lo, hi};
}

std::array<Value, 4> stde::philox::emitBlock(OpBuilder &b, Location loc, Value seed, Value step,
                                          uint32_t stream, Value index) {
  auto [k0, k1] = split(b, loc, seed);
  auto [s0, s1] = split(b, loc, step);
  Value c0 = arith::IndexCastUIOp::create(b, loc, b.getI32Type(), index);
  return emitPhilox(b, loc, k0, k1, {c0, i32Constant(b, loc, stream), s0, s1});
}

/// (hi << 32) | lo as an i64.
static Value join(OpBuilder &b, Location loc, Value hi, Value lo) {
  Type i64 = b.getI64Type();
  Value shift = arith::ConstantIntOp::create(b, loc, i64, 32);
  Value high = arith::ShLIOp::create(b, loc, arith::ExtUIOp::create(b, loc, i64, hi), shift);
  return arith::OrIOp::create(b, loc, high, arith::ExtUIOp::create(b, loc, i64, lo));
}

Value stde::philox::emitUniform(OpBuilder &b, Location loc, Type type, Value hi, Value lo) {
  if (type.isF32()) {
    // The top 24 bits, times 2^-24.
    Value shift = i32Constant(b, loc, 8);
    Value bits = arith::ShRUIOp::create(b, loc, hi, shift);
    Value real = arith::UIToFPOp::create(b, loc, type, bits);
    return arith::MulFOp::create(
        b, loc, real, arith::ConstantFloatOp::create(b, loc, b.getF32Type(),
                                                     APFloat(0x1.0p-24f)));
  }
  // The top 53 bits of the 64, times 2^-53.
  Value word = join(b, loc, hi, lo);
  Value shift = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 11);
  Value bits = arith::ShRUIOp::create(b, loc, word, shift);
  Value real = arith::UIToFPOp::create(b, loc, type, bits);
  return arith::MulFOp::create(
      b, loc, real,
      arith::ConstantFloatOp::create(b, loc, b.getF64Type(), APFloat(0x1.0p-53)));
}

Value stde::philox::emitBelow(OpBuilder &b, Location loc, Value hi, Value lo, Value bound) {
  Value word = join(b, loc, hi, lo);
  return arith::MulUIExtendedOp::create(b, loc, word, bound).getHigh();
}
