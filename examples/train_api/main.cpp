// Train a PINN for the two-body Allen-Cahn equation with the C++ API:
// build the problem, compile one training step, run it, measure the error.
//
//   Lap u + u - u^3 = f on the unit ball in d = 10, u = 0 on the sphere,
//   sparse STDE with |J| = 4 sampled coordinates per point, Adam.
#include "stde/stde.h"

#include <cstdio>
#include <vector>

int main() {
  stde::ProblemOptions problem;
  problem.name = "allen-cahn-two-body";
  problem.dim = 10;
  problem.width = 32;
  problem.depth = 4;
  problem.points = 100;
  problem.estimator = stde::Estimator::sparse(4);
  stde::Expected<std::string> module = stde::problemModule(problem);
  if (!module) {
    std::fprintf(stderr, "%s\n", module.error().c_str());
    return 1;
  }

  stde::TrainingSpec spec;
  spec.learningRate = 1e-3;
  spec.decaySteps = 500; // linear decay to 0 over the run
  stde::Compiler compiler;
  auto program = compiler.compileTraining(*module, spec);
  if (!program) {
    std::fprintf(stderr, "%s\n", program.error().c_str());
    return 1;
  }
  const stde::TrainingProgram &train = **program;

  std::vector<float> params, m, v;
  train.initialize(/*seed=*/0, params);
  m.assign(params.size(), 0.0f);
  v.assign(params.size(), 0.0f);

  stde::TestError before{}, after{};
  if (stde::Status s = train.testError(params.data(), /*seed=*/0, 5000, &before); !s) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  double loss = 0.0;
  for (int64_t step = 0; step < spec.decaySteps; ++step) {
    stde::Status status = train.step(params.data(), m.data(), v.data(), /*seed=*/0, step, &loss);
    if (!status) {
      std::fprintf(stderr, "%s\n", status.message().c_str());
      return 1;
    }
    if ((step + 1) % 100 == 0)
      std::printf("step %4lld  loss %.4e\n", (long long)(step + 1), loss);
  }
  if (stde::Status s = train.testError(params.data(), /*seed=*/0, 5000, &after); !s) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  std::printf("parameters: %lld, points per step: %lld\n", (long long)train.numParams(),
              (long long)train.points());
  std::printf("relative L2 error: %.4e before training, %.4e after %lld steps\n", before.relL2,
              after.relL2, (long long)spec.decaySteps);
  std::printf("%s\n", after.relL2 < 0.5 * before.relL2 ? "training reduced the error: ok"
                                                       : "training did NOT reduce the error");
  return after.relL2 < 0.5 * before.relL2 ? 0 : 1;
}
