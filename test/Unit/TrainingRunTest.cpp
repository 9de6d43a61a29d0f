//===- TrainingRunTest.cpp - a whole training run (runTraining) -----------===//
//
// runTraining over a scripted TrainingProgram (no compilation): the losses
// and test errors each step returns are given, so every decision of the run
// (evaluations, mean losses, checkpoints, divergence, stops, cancellation,
// errors) is checked against numbers computed here.
//
//===----------------------------------------------------------------------===//
#include "stde/stde.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>

using namespace stde;

namespace {

/// One f64 parameter; step s adds 1 to it and returns loss(s); the test
/// error after the step that made the parameter p is error(p).
class ScriptedProgram : public TrainingProgram {
public:
  std::function<double(int64_t)> lossAt = [](int64_t) { return 1.0; };
  std::function<double(double)> errorAt = [](double p) { return 1.0 / (1.0 + p); };
  std::function<void(int64_t)> onStep = [](int64_t) {};
  int64_t failAtStep = -1;
  mutable std::vector<int64_t> stepsTaken;

  ScriptedProgram() {
    numParams_ = 1;
    stateSize_ = 1;
    dtype_ = DType::f64;
    errorMetric_ = ErrorMetric::testPoints;
  }
  Status lossAndGradient(const void *, uint64_t, int64_t, double *, void *) const override {
    return Status::error("not scripted");
  }
  Status loss(const void *, uint64_t, int64_t, double *) const override {
    return Status::error("not scripted");
  }
  Status step(void *params, void *, void *, uint64_t, int64_t step, double *loss) const override {
    if (step == failAtStep)
      return Status::error("the step failed");
    stepsTaken.push_back(step);
    *static_cast<double *>(params) += 1.0;
    *loss = lossAt(step);
    onStep(step);
    return Status::success();
  }
  Status testError(const void *params, uint64_t, int64_t, TestError *out,
                   const std::atomic<bool> *cancel) const override {
    if (cancel && cancel->load())
      return Status::error("interrupted");
    out->relL2 = errorAt(*static_cast<const double *>(params));
    return Status::success();
  }
  Status samplePoints(uint64_t, int64_t, void *, void *) const override {
    return Status::error("not scripted");
  }
};

/// Records what the run reported, and can refuse a checkpoint.
struct Recorder : RunObserver {
  bool keep = true;
  int64_t refuseCheckpointAt = -1;
  std::vector<Evaluation> evaluations;
  std::vector<int64_t> checkpoints;
  Status evaluated(const Evaluation &e) override {
    evaluations.push_back(e);
    return Status::success();
  }
  bool keepsCheckpoints() const override { return keep; }
  Status checkpoint(int64_t next, double, double) override {
    if (next == refuseCheckpointAt)
      return Status::error("disk full");
    checkpoints.push_back(next);
    return Status::success();
  }
};

struct Fixture {
  ScriptedProgram program;
  TrainingState state;
  Recorder observer;
  Fixture() {
    auto allocated = TrainingState::allocate(program);
    EXPECT_TRUE(allocated) << allocated.error();
    state = *allocated;
  }
  double param() const { return *state.params.as<double>(); }
  RunResult run(RunSettings settings) {
    return runTraining(program, state, settings, observer);
  }
};

TEST(TrainingRun, EvaluatesOnScheduleWithTheMeanLossAndTheBestError) {
  Fixture f;
  f.program.lossAt = [](int64_t s) { return double(s); };
  // Errors 1/(1+p) fall with p, except after step 8 (p = 8): a worse one.
  f.program.errorAt = [](double p) { return p == 8.0 ? 0.9 : 1.0 / (1.0 + p); };
  RunSettings settings;
  settings.steps = 10;
  settings.evalEvery = 4;
  RunResult r = f.run(settings);
  ASSERT_EQ(r.end, RunEnd::finished) << r.message;
  EXPECT_EQ(r.done, 10);
  EXPECT_EQ(f.param(), 10.0);
  ASSERT_EQ(f.observer.evaluations.size(), 3u); // after steps 4, 8 and the last
  EXPECT_EQ(f.observer.evaluations[0].done, 4);
  EXPECT_EQ(f.observer.evaluations[0].meanLoss, (0 + 1 + 2 + 3) / 4.0);
  EXPECT_EQ(f.observer.evaluations[1].meanLoss, (4 + 5 + 6 + 7) / 4.0);
  EXPECT_EQ(f.observer.evaluations[2].done, 10);
  EXPECT_EQ(f.observer.evaluations[2].meanLoss, (8 + 9) / 2.0);
  EXPECT_EQ(f.observer.evaluations[1].error, 0.9);
  EXPECT_EQ(r.error, 1.0 / 11.0);
  EXPECT_EQ(r.bestError, 1.0 / 11.0);
  EXPECT_EQ(r.loss, 9.0);
  ASSERT_EQ(r.lossCurve.size(), 3u);
  EXPECT_EQ(r.errorCurve[1].first, 8.0);
  EXPECT_EQ(r.errorCurve[1].second, 0.9);
  EXPECT_EQ(f.observer.checkpoints, (std::vector<int64_t>{4, 8, 10})); // at evaluations
}

TEST(TrainingRun, ResumesAtItsStartAndStopsAfterItsSteps) {
  Fixture f;
  RunSettings settings;
  settings.start = 5;
  settings.steps = 20;
  settings.stopAfter = 3;
  settings.checkpointEvery = 2;
  settings.bestError = 0.01; // better than anything this run measures
  RunResult r = f.run(settings);
  EXPECT_EQ(r.end, RunEnd::stopped);
  EXPECT_EQ(r.done, 8);
  EXPECT_EQ(f.program.stepsTaken, (std::vector<int64_t>{5, 6, 7}));
  EXPECT_EQ(f.observer.checkpoints, (std::vector<int64_t>{6, 8})); // every 2 steps
  // evalEvery 0: steps / 10 = 2, counted from step 0 like the checkpoints.
  ASSERT_EQ(f.observer.evaluations.size(), 2u);
  EXPECT_EQ(f.observer.evaluations[0].done, 6);
  EXPECT_EQ(f.observer.evaluations[0].meanLoss, 1.0); // of step 5 alone
  EXPECT_EQ(r.bestError, 0.01); // the resumed run's best stands
  EXPECT_EQ(r.error, 1.0 / 4.0);
}

TEST(TrainingRun, StopsWhenTheLossDivergesAndCheckpointsOnlyWhileHealthy) {
  Fixture f;
  // Flat at 1, then 100 (the running mean passes 10x its lowest: no more
  // checkpoints), then 1e7 (1000x: diverged).
  f.program.lossAt = [](int64_t s) { return s < 30 ? 1.0 : s < 40 ? 100.0 : 1e7; };
  RunSettings settings;
  settings.steps = 100;
  settings.checkpointEvery = 5;
  RunResult r = f.run(settings);
  ASSERT_EQ(r.end, RunEnd::diverged);
  EXPECT_NE(r.message.find("running mean grew"), std::string::npos) << r.message;
  EXPECT_GE(r.done, 40);
  EXPECT_LT(r.done, 45);
  ASSERT_FALSE(f.observer.checkpoints.empty());
  // The last checkpoint predates the blow-up by less than the mean's memory.
  EXPECT_LE(f.observer.checkpoints.back(), 40);
  EXPECT_GE(f.observer.checkpoints.back(), 30);
  for (int64_t c : f.observer.checkpoints)
    EXPECT_NE(c, 40) << "a checkpoint while the running mean was above 10x its lowest";
}

TEST(TrainingRun, ANonFiniteLossEndsTheRunAtThatStep) {
  Fixture f;
  f.program.lossAt = [](int64_t s) {
    return s == 3 ? std::numeric_limits<double>::quiet_NaN() : 1.0;
  };
  RunSettings settings;
  settings.steps = 10;
  RunResult r = f.run(settings);
  ASSERT_EQ(r.end, RunEnd::diverged);
  EXPECT_NE(r.message.find("at step 3"), std::string::npos) << r.message;
  EXPECT_EQ(r.done, 3); // steps 0..2 done; the state holds step 3's update, not trusted
}

TEST(TrainingRun, CancellationEndsAfterTheCurrentStepOrEvaluation) {
  Fixture f;
  std::atomic<bool> cancel{false};
  f.program.onStep = [&](int64_t s) { cancel = s == 6; };
  RunSettings settings;
  settings.steps = 100;
  settings.evalEvery = 50;
  settings.cancel = &cancel;
  RunResult r = f.run(settings);
  EXPECT_EQ(r.end, RunEnd::interrupted);
  EXPECT_EQ(r.done, 7);
  EXPECT_EQ(f.param(), 7.0);

  // Inside an evaluation: the test error sees the flag.
  Fixture g;
  g.program.onStep = [&](int64_t s) { cancel = s == 9; };
  settings.evalEvery = 10;
  r = g.run(settings);
  EXPECT_EQ(r.end, RunEnd::interrupted);
  EXPECT_EQ(r.done, 10);
  EXPECT_TRUE(g.observer.evaluations.empty());
}

TEST(TrainingRun, AFailingStepOrHookEndsTheRunWithItsMessage) {
  Fixture f;
  f.program.failAtStep = 4;
  RunSettings settings;
  settings.steps = 10;
  RunResult r = f.run(settings);
  EXPECT_EQ(r.end, RunEnd::failed);
  EXPECT_EQ(r.message, "the step failed");
  EXPECT_EQ(r.done, 4);

  Fixture g;
  g.observer.refuseCheckpointAt = 2;
  settings.checkpointEvery = 2;
  r = g.run(settings);
  EXPECT_EQ(r.end, RunEnd::failed);
  EXPECT_EQ(r.message, "disk full");
  EXPECT_EQ(r.done, 2);
}

} // namespace
