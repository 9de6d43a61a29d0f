//===- TrainingRun.h - a whole training run over a compiled step -*- C++ -*-===//
//
// runTraining takes a TrainingProgram's steps from a start to an end step,
// the way stde-train (and any other front end) trains:
//   - every step through TrainingProgram::step, in order;
//   - a divergence watch: a non-finite loss, or a running mean of the loss
//     grown 1000-fold over its smallest, ends the run at once; while the mean
//     is 10 times above its smallest no checkpoint is taken, so the last one
//     predates the blow-up;
//   - an evaluation every `evalEvery` steps and at the end: the mean loss
//     since the last one and the test error (when the problem has one), the
//     rate over the last 50 steps, evaluation time excluded;
//   - checkpoints at every evaluation or every `checkpointEvery` steps, while
//     the loss is healthy, through the caller's observer;
//   - cancellation (a signal handler's flag), also in the middle of a test
//     error evaluation, and a stop after `stopAfter` steps.
// The caller keeps what is its own: the files (logs, checkpoints, plots),
// the progress display and the exit codes.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_TRAININGRUN_H
#define STDE_API_TRAININGRUN_H

#include "stde/API/Training.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stde {

/// The parameters and optimizer moments of a run, in buffers the program's
/// calls use in place (TrainingProgram::allocateState): numParams() values
/// in `params`, stateSize() in `m` and `v`, of the program's dtype.
struct TrainingState {
  StateBuffer params, m, v;

  static Expected<TrainingState> allocate(const TrainingProgram &program);
  /// The program's initial parameters for `seed` (TrainingProgram::initialize);
  /// m and v are left as they are (zero after allocate).
  void initialize(const TrainingProgram &program, uint64_t seed);
};

struct RunSettings {
  int64_t start = 0;   ///< the first step (a resumed run's next step)
  int64_t steps = 0;   ///< the run ends before step `steps`
  uint64_t seed = 0;
  int64_t evalEvery = 0;       ///< 0: steps / 10 (at least 1)
  int64_t testPoints = 0;      ///< per evaluation (TrainingProgram::testError)
  int64_t checkpointEvery = 0; ///< 0: at every evaluation
  int64_t stopAfter = 0;       ///< stop after this many steps of this run (0: never)
  double bestError = -1.0;     ///< a resumed run's best error so far (-1: none)
  double previousSeconds = 0.0; ///< a resumed run's training time so far
  /// Becomes true to stop (a signal handler's flag): the run ends after the
  /// current step, or inside an evaluation after its current batch.
  const std::atomic<bool> *cancel = nullptr;
};

/// One evaluation: after step `done` (counted from 1).
struct Evaluation {
  int64_t done = 0;
  double meanLoss = 0.0; ///< of the steps since the previous evaluation
  double error = -1.0;   ///< test error; -1 when the problem has none
  double value = 0.0;    ///< u at the reference point (ErrorMetric::referencePoint)
  double rate = 0.0;     ///< steps per second, the last 50 steps
  double seconds = 0.0;  ///< training time, previous runs included
};

/// What a front end does at the points of a run. A Status error from a hook
/// ends the run (RunEnd::failed) with that message; nothing is retried.
class RunObserver {
public:
  virtual ~RunObserver() = default;
  /// After every step (after its evaluation, if it had one): for a progress
  /// display. `lastError` is -1 before the first evaluation with an error.
  virtual void stepped(int64_t done, double rate, double loss, double lastError) {}
  /// After every evaluation (write a log line, compare data-parallel ranks).
  virtual Status evaluated(const Evaluation &evaluation) { return Status::success(); }
  /// Whether checkpoints are kept at all (no checkpoint hook calls if not).
  virtual bool keepsCheckpoints() const { return false; }
  /// A checkpoint is due: the state holds the run after step next - 1.
  virtual Status checkpoint(int64_t next, double seconds, double bestError) {
    return Status::success();
  }
};

enum class RunEnd {
  finished,    ///< every step up to RunSettings::steps
  stopped,     ///< after RunSettings::stopAfter steps
  interrupted, ///< RunSettings::cancel became true
  diverged,    ///< the divergence watch ended it; `message` says what grew
  failed,      ///< a step, an evaluation or a hook failed; `message` says why
};

struct RunResult {
  RunEnd end = RunEnd::finished;
  std::string message;
  int64_t done = 0;       ///< the next step to take (the state is after done - 1)
  double loss = 0.0;      ///< the last step's
  double error = -1.0;    ///< the last evaluation's
  double bestError = -1.0;
  double value = 0.0;
  double medianRate = 0.0; ///< median of the 50-step windows (or the overall rate)
  double seconds = 0.0;
  std::vector<std::pair<double, double>> lossCurve, errorCurve; ///< (step, value)
};

/// Trains `state` with `program` as described at the top of this file.
RunResult runTraining(const TrainingProgram &program, TrainingState &state,
                      const RunSettings &settings, RunObserver &observer);

} // namespace stde

#endif // STDE_API_TRAININGRUN_H
