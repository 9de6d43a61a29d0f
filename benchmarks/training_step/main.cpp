//===- main.cpp - time one compiled training step -------------------------===//
//
// Two-body Allen-Cahn, sparse STDE |J| = 16, 100 points, width 128, depth 4,
// f32, Adam: the setting of the STDE paper's speed table (MATH.md section 5),
// through the installed C++ API alone. Times `steps` single steps after
// `warmup` and prints one JSON line (the median step time; peak RSS of this
// process, so run one d per process):
//   training_step D [steps] [warmup]
//
//===----------------------------------------------------------------------===//
#include "stde/stde.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: training_step D [steps] [warmup]\n");
    return 2;
  }
  stde::ProblemOptions o;
  o.dim = std::atoll(argv[1]);
  int steps = argc > 2 ? std::atoi(argv[2]) : 20, warmup = argc > 3 ? std::atoi(argv[3]) : 2;
  auto text = stde::problemModule(o);
  if (!text) {
    std::fprintf(stderr, "%s\n", text.error().c_str());
    return 2;
  }
  stde::Compiler compiler;
  auto compiled = compiler.compileTraining(*text, {});
  if (!compiled) {
    std::fprintf(stderr, "%s\n", compiled.error().c_str());
    return 2;
  }
  const stde::TrainingProgram &program = **compiled;
  std::vector<float> params, m(program.numParams(), 0.0f), v(program.numParams(), 0.0f);
  program.initialize(0, params);
  std::vector<double> seconds;
  double loss = 0.0;
  for (int s = 0; s < warmup + steps; ++s) {
    auto start = std::chrono::steady_clock::now();
    stde::Status status = program.step(params.data(), m.data(), v.data(), 0, s, &loss);
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (!status) {
      std::fprintf(stderr, "%s\n", status.message().c_str());
      return 3;
    }
    if (s >= warmup)
      seconds.push_back(took.count());
  }
  std::sort(seconds.begin(), seconds.end());
  double median = seconds[seconds.size() / 2];
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("{\"impl\": \"stde\", \"dim\": %lld, \"step_ms_median\": %.3f, \"it_per_s\": %.3f, "
              "\"peak_rss_mb\": %.1f, \"params\": %lld, \"steps_timed\": %d, \"final_loss\": %.6g}\n",
              (long long)o.dim, median * 1e3, 1.0 / median, usage.ru_maxrss / 1024.0,
              (long long)program.numParams(), steps, loss);
  return 0;
}
