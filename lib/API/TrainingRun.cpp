//===- TrainingRun.cpp - a whole training run over a compiled step --------===//
#include "stde/API/TrainingRun.h"

#include "DivergenceWatch.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace stde;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

template <typename T> void initializeAs(const TrainingProgram &program, uint64_t seed, void *out) {
  std::vector<T> initial;
  program.initialize(seed, initial);
  std::memcpy(out, initial.data(), initial.size() * sizeof(T));
}

/// Steps per second: over windows of 50 steps (evaluation time taken out),
/// the overall rate until the first window closes.
class RateMeter {
public:
  explicit RateMeter(int64_t start) : start(start) {}
  void stepped(int64_t done) {
    if (++windowSteps == 50) {
      rates.push_back(50.0 / since(window));
      window = Clock::now();
      windowSteps = 0;
    }
    rate = rates.empty() ? double(done - start) / std::max(1e-9, since(began)) : rates.back();
  }
  void exclude(Clock::duration pause) { window += pause; }
  double current() const { return rate; }
  double median() const {
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    return sorted.empty() ? rate : sorted[sorted.size() / 2];
  }
  double elapsed() const { return since(began); }

private:
  int64_t start;
  Clock::time_point began = Clock::now(), window = began;
  int64_t windowSteps = 0;
  double rate = 0.0;
  std::vector<double> rates;
};

class Run {
public:
  Run(const TrainingProgram &program, TrainingState &state, const RunSettings &settings,
      RunObserver &observer)
      : program(program), state(state), settings(settings), observer(observer),
        meter(settings.start) {
    result.done = settings.start;
    result.bestError = settings.bestError;
  }

  RunResult run();

private:
  bool cancelled() const { return settings.cancel && settings.cancel->load(); }
  double seconds() const { return settings.previousSeconds + meter.elapsed(); }
  /// Ends the run as `end` with `message`.
  RunResult &end(RunEnd end, std::string message = "") {
    result.end = end;
    result.message = std::move(message);
    result.medianRate = meter.median();
    result.seconds = seconds();
    return result;
  }
  /// Evaluates after step `done`; false when the run ended (result set).
  bool evaluate(int64_t done);
  /// Takes a checkpoint when one is due after step `done`; false when the
  /// observer failed (result set).
  bool checkpointIfDue(int64_t done, bool evaluated);

  const TrainingProgram &program;
  TrainingState &state;
  const RunSettings &settings;
  RunObserver &observer;
  RateMeter meter;
  DivergenceWatch watch;
  RunResult result;
  double lossSum = 0.0;
  int64_t lossCount = 0;
};

bool Run::evaluate(int64_t done) {
  Evaluation e;
  e.done = done;
  e.meanLoss = lossSum / double(std::max<int64_t>(1, lossCount));
  lossSum = 0.0;
  lossCount = 0;
  result.lossCurve.push_back({double(done), e.meanLoss});
  if (program.hasExactSolution()) {
    TestError test{};
    Clock::time_point began = Clock::now();
    Status status = program.testError(state.params.data(), settings.seed, settings.testPoints,
                                      &test, settings.cancel);
    if (!status) {
      end(cancelled() ? RunEnd::interrupted : RunEnd::failed, status.message());
      return false;
    }
    meter.exclude(Clock::now() - began); // evaluation time is not step time
    result.error = test.relL2;
    result.value = test.value;
    result.bestError =
        result.bestError < 0 ? test.relL2 : std::min(result.bestError, test.relL2);
    result.errorCurve.push_back({double(done), test.relL2});
  }
  e.error = result.error;
  e.value = result.value;
  e.rate = meter.current();
  e.seconds = seconds();
  if (Status status = observer.evaluated(e); !status) {
    end(RunEnd::failed, status.message());
    return false;
  }
  return true;
}

bool Run::checkpointIfDue(int64_t done, bool evaluated) {
  if (!observer.keepsCheckpoints() || !watch.healthy())
    return true;
  bool due = settings.checkpointEvery > 0 ? done % settings.checkpointEvery == 0 : evaluated;
  if (!due)
    return true;
  if (Status status = observer.checkpoint(done, seconds(), result.bestError); !status) {
    end(RunEnd::failed, status.message());
    return false;
  }
  return true;
}

RunResult Run::run() {
  int64_t evalEvery =
      settings.evalEvery > 0 ? settings.evalEvery : std::max<int64_t>(1, settings.steps / 10);
  for (int64_t step = settings.start; step < settings.steps; ++step) {
    double loss = 0.0;
    Status status = program.step(state.params.data(), state.m.data(), state.v.data(),
                                 settings.seed, step, &loss);
    if (!status)
      return end(RunEnd::failed, status.message());
    if (std::string diverged = watch.observe(step, loss); !diverged.empty())
      return end(RunEnd::diverged, diverged);
    int64_t done = step + 1;
    result.done = done;
    result.loss = loss;
    lossSum += loss;
    ++lossCount;
    meter.stepped(done);
    bool evaluating = done % evalEvery == 0 || done == settings.steps;
    if (evaluating && !evaluate(done))
      return result;
    observer.stepped(done, meter.current(), loss, result.error);
    if (!checkpointIfDue(done, evaluating))
      return result;
    if (settings.stopAfter > 0 && done - settings.start == settings.stopAfter &&
        done < settings.steps)
      return end(RunEnd::stopped);
    if (cancelled())
      return end(RunEnd::interrupted);
  }
  return end(RunEnd::finished);
}

} // namespace

Expected<TrainingState> TrainingState::allocate(const TrainingProgram &program) {
  size_t element = program.dtype() == DType::f64 ? sizeof(double) : sizeof(float);
  TrainingState state;
  for (auto [buffer, count] : {std::pair{&state.params, program.numParams()},
                               std::pair{&state.m, program.stateSize()},
                               std::pair{&state.v, program.stateSize()}}) {
    Expected<StateBuffer> allocated = program.allocateState(size_t(count) * element);
    if (!allocated)
      return Status::error(allocated.error());
    *buffer = std::move(*allocated);
  }
  return state;
}

void TrainingState::initialize(const TrainingProgram &program, uint64_t seed) {
  if (program.dtype() == DType::f64)
    initializeAs<double>(program, seed, params.data());
  else
    initializeAs<float>(program, seed, params.data());
}

RunResult stde::runTraining(const TrainingProgram &program, TrainingState &state,
                            const RunSettings &settings, RunObserver &observer) {
  return Run(program, state, settings, observer).run();
}
