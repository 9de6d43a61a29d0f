//===- DivergenceWatch.h - stop a run whose loss explodes -------*- C++ -*-===//
//
// A diverging run is stopped at once, before it writes a checkpoint of
// parameters that no longer train. Diverged means a non-finite loss, or a
// running mean of the loss (about the last 10 steps) grown to kGrowth times
// the smallest running mean the run has seen: far beyond the noise of a
// sampled loss (a few x), and long before a float overflows. While the
// running mean is above kSuspect times its smallest, periodic checkpoints
// wait (healthy() is false): the checkpoint a diverged run leaves is from
// before the loss took off.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_DIVERGENCEWATCH_H
#define STDE_LIB_API_DIVERGENCEWATCH_H

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace stde {

class DivergenceWatch {
public:
  static constexpr double kGrowth = 1e3;
  static constexpr double kSuspect = 10.0;
  static constexpr double kWeight = 0.1; // of the newest loss in the running mean
  static constexpr int64_t kWarmup = 10; // steps before the running mean is compared

  /// The step's loss; returns what diverged ("" if nothing did).
  std::string observe(int64_t step, double loss) {
    char text[200];
    if (!std::isfinite(loss)) {
      std::snprintf(text, sizeof text, "the loss became %g at step %lld", loss, (long long)step);
      return text;
    }
    mean_ = seen_ == 0 ? loss : (1.0 - kWeight) * mean_ + kWeight * loss;
    if (++seen_ < kWarmup)
      return "";
    if (seen_ == kWarmup || mean_ < lowest_) {
      lowest_ = mean_;
      lowestStep_ = step;
    }
    if (lowest_ > 0.0 && mean_ > kGrowth * lowest_) {
      std::snprintf(text, sizeof text,
                    "the loss's running mean grew from %.4g (step %lld) to %.4g at step %lld",
                    lowest_, (long long)lowestStep_, mean_, (long long)step);
      return text;
    }
    return "";
  }

  /// False while the running mean is kSuspect times above its smallest.
  bool healthy() const { return seen_ < kWarmup || !(mean_ > kSuspect * lowest_); }

private:
  double mean_ = 0.0, lowest_ = 0.0;
  int64_t seen_ = 0, lowestStep_ = 0;
};

} // namespace stde

#endif // STDE_LIB_API_DIVERGENCEWATCH_H
