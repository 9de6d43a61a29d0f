//===- TrainingChecks.cpp - settings checked before compiling -------------===//
#include "TrainingChecks.h"

#include "dialects/rng/RngLimits.h"

#include <cmath>

namespace {
/// More threads than any CPU this runs on has cores; a larger count is a typo.
constexpr int64_t kMaxCpuThreads = 4096;
} // namespace

using namespace mlir;

namespace stde::training {

/// The optimizer settings, each with what to change (they become IR
/// constants: an infinity or NaN would not even parse).
std::string checkOptimizerSpec(const TrainingSpec &spec) {
  if (!(spec.learningRate > 0.0) || !std::isfinite(spec.learningRate))
    return "the learning rate must be positive and finite (e.g. 1e-3)";
  if (spec.decaySteps < 0)
    return "decaySteps must be >= 0 (0: a constant learning rate)";
  if (!(spec.beta1 >= 0.0 && spec.beta1 < 1.0) || !(spec.beta2 >= 0.0 && spec.beta2 < 1.0))
    return "Adam's beta1 and beta2 must be in [0, 1) (the usual 0.9, 0.999)";
  if (!(spec.epsilon > 0.0) || !std::isfinite(spec.epsilon))
    return "Adam's epsilon must be positive and finite (the usual 1e-8)";
  if (spec.samples < 0 || spec.testBatch < 0)
    return "samples and testBatch must be >= 0 (0: keep the problem's, choose automatically)";
  if (spec.cpuThreads < 0 || spec.cpuThreads > kMaxCpuThreads)
    return "cpuThreads must be in 0 ... " + std::to_string(kMaxCpuThreads) +
           " (0: every core, 1: no thread team)";
  return "";
}

/// Each step draws its points' coordinates from one random stream.
std::string checkPointDraws(const TrainingModuleInfo &info) {
  // A rank's share draws its rows of the whole batch's draw.
  int64_t ranks = info.share.ranks;
  for (auto [count, what] : {std::pair(info.points * ranks, "residual"),
                             std::pair(info.boundaryPoints * ranks, "boundary")})
    if (double(count) * double(info.dim) > double(rng::kMaxDrawElements)) {
      std::ostringstream os;
      os << count << " " << what << " points of " << info.dim << " coordinates are "
         << double(count) * double(info.dim)
         << " random numbers per step, more than one random stream holds (2^32): use at most "
         << rng::kMaxDrawElements / info.dim << " " << what << " points per step";
      return os.str();
    }
  return "";
}

/// The zeroth-order settings, each with what to change.
std::string checkZoSpec(const ZoSpec &z, OptimizerKind optimizer) {
  if (!(z.eps > 0.0) || !std::isfinite(z.eps))
    return "the zeroth-order radius eps must be positive and finite (e.g. 1e-3)";
  if (z.rank < 1 || z.rank > 32)
    return "the zeroth-order rank must be in [1, 32] (each layer uses min(rank, its sizes))";
  if (z.pairs < 1 || z.pairs > 256)
    return "the number of +/- pairs per step must be in [1, 256]";
  if (z.refresh < 1 || !(z.refreshGrowth >= 1.0) || !std::isfinite(z.refreshGrowth))
    return "the subspace refresh needs an interval >= 1 step and a growth factor >= 1";
  if (!(z.momentum >= 0.0 && z.momentum < 1.0))
    return "the zeroth-order momentum must be in [0, 1) (0: plain ZO-SGD)";
  if (z.momentum > 0.0 && optimizer == OptimizerKind::adam)
    return "the zeroth-order momentum is heavy ball for OptimizerKind::sgd; Adam (the default) "
           "has its own (beta1): set momentum 0 or the optimizer to sgd";
  return "";
}

/// The data-parallel settings, each with what to change.
std::string checkDataParallel(const TrainingSpec &spec) {
  const DataParallel &p = spec.parallel;
  if (p.ranks < 1 || p.rank < 0 || p.rank >= p.ranks)
    return "data-parallel rank " + std::to_string(p.rank) + " of " + std::to_string(p.ranks) +
           " ranks: the rank must lie in [0, ranks)";
  return "";
}

} // namespace stde::training
