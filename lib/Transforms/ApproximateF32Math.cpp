//===- ApproximateF32Math.cpp - f32 transcendentals as polynomials -------===//
//
// On the CPU a libm call per element keeps every loop that calls one scalar
// (the sampler's log/cos, the sources' sin/cos, tanh in the network). For
// f32, MLIR's polynomial approximations are accurate to about an ulp of f32
// and are plain arithmetic that LLVM vectorizes. f64 is left to libm: the
// approximations are not f64-accurate.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace stde {
#define GEN_PASS_DEF_APPROXIMATEF32MATH
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

struct ApproximateF32Math : stde::impl::ApproximateF32MathBase<ApproximateF32Math> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, MathPolynomialApproximationOptions{});
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
