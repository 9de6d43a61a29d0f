//===- main.cpp - time one compiled training step -------------------------===//
//
// Two-body Allen-Cahn, sparse STDE |J| = 16, 100 points, width 128, depth 4,
// f32, Adam: the setting of the STDE paper's speed table (docs/MATH.md section 5),
// through the installed C++ API alone. Times `steps` single steps after
// `warmup` and prints one JSON line (the median step time; peak RSS of this
// process, so run one d per process):
//   training_step D [steps] [warmup] [rewrites to turn off, e.g. collapse,one-hot]
// The line also carries the multiply-adds of the step's matrix products
// (counted from the shapes below, for the rewrites in effect) and their rate
// if the whole step were those products.
//   training_step --sgemm N [repeats]
// times a plain N x N x N OpenBLAS sgemm (the machine's measured f32 product
// rate that the step's rate is compared with).
//
//===----------------------------------------------------------------------===//
#include "stde/stde.h"

#include <cblas.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int sgemmPeak(int n, int repeats) {
  std::vector<float> a(size_t(n) * n, 0.5f), b(size_t(n) * n, 0.25f), c(size_t(n) * n, 0.0f);
  std::vector<double> rates;
  for (int r = 0; r < repeats + 1; ++r) {
    auto start = Clock::now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(),
                n, 0.0f, c.data(), n);
    double s = seconds(start);
    if (r > 0) // the first call warms the thread pool
      rates.push_back(2.0 * n * double(n) * n / s / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("{\"impl\": \"sgemm\", \"n\": %d, \"gflops_median\": %.1f, \"gflops_best\": %.1f}\n",
              n, rates[rates.size() / 2], rates.back());
  return 0;
}

/// Multiply-adds of the step's matrix products (forward and backward) for the
/// problem below: N points, R sampled directions, width w, 2 hidden layers.
/// Rows through a hidden layer: N (primal) + N R (first coefficient) + N
/// (collapsed top) or N R (top per direction). The first layer multiplies
/// the primal (N x d x w); without one-hot gathers also the first tangent
/// coefficient (N R x d x w), and without zero skipping also the (zero)
/// top coefficient (N x d x w collapsed, N R x d x w not); its weight
/// gradient costs the same again; hidden layers cost 3x their forward
/// product (forward, data and weight gradient).
double stepMultiplyAdds(int64_t d, const stde::Rewrites &r) {
  const double n = 100, dirs = 16, w = 128;
  double rows = n + n * dirs + (r.collapse ? n : n * dirs);
  double first = n * d * w;
  if (!r.oneHot)
    first += n * dirs * d * w;
  if (!r.zero)
    first += (r.collapse ? n : n * dirs) * d * w;
  return 2 * first + 3 * (2 * rows * w * w + rows * w);
}

} // namespace

int main(int argc, char **argv) {
  if (argc >= 3 && std::strcmp(argv[1], "--sgemm") == 0)
    return sgemmPeak(std::atoi(argv[2]), argc > 3 ? std::atoi(argv[3]) : 5);
  if (argc < 2) {
    std::fprintf(stderr, "usage: training_step D [steps] [warmup] [off,...] | --sgemm N [repeats]\n");
    return 2;
  }
  stde::ProblemOptions o;
  o.dim = std::atoll(argv[1]);
  int steps = argc > 2 ? std::atoi(argv[2]) : 20, warmup = argc > 3 ? std::atoi(argv[3]) : 2;
  std::string off = argc > 4 ? argv[4] : "";
  auto rewrites = stde::rewritesWithout(off);
  if (!rewrites) {
    std::fprintf(stderr, "%s\n", rewrites.error().c_str());
    return 2;
  }
  auto text = stde::problemModule(o);
  if (!text) {
    std::fprintf(stderr, "%s\n", text.error().c_str());
    return 2;
  }
  stde::Compiler compiler;
  stde::TrainingSpec spec;
  spec.rewrites = *rewrites;
  auto compiled = compiler.compileTraining(*text, spec);
  if (!compiled) {
    std::fprintf(stderr, "%s\n", compiled.error().c_str());
    return 2;
  }
  const stde::TrainingProgram &program = **compiled;
  std::vector<float> params, m(program.numParams(), 0.0f), v(program.numParams(), 0.0f);
  program.initialize(0, params);
  std::vector<double> times;
  double loss = 0.0;
  for (int s = 0; s < warmup + steps; ++s) {
    auto start = Clock::now();
    stde::Status status = program.step(params.data(), m.data(), v.data(), 0, s, &loss);
    double took = seconds(start);
    if (!status) {
      std::fprintf(stderr, "%s\n", status.message().c_str());
      return 3;
    }
    if (s >= warmup)
      times.push_back(took);
  }
  std::sort(times.begin(), times.end());
  double median = times[times.size() / 2];
  double macs = stepMultiplyAdds(o.dim, *rewrites);
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("{\"impl\": \"stde\", \"off\": \"%s\", \"dim\": %lld, \"step_ms_median\": %.3f, "
              "\"it_per_s\": %.3f, \"peak_rss_mb\": %.1f, \"params\": %lld, \"steps_timed\": %d, "
              "\"final_loss\": %.6g, \"product_gflop\": %.4f, \"step_gflops\": %.2f}\n",
              off.c_str(), (long long)o.dim, median * 1e3, 1.0 / median,
              usage.ru_maxrss / 1024.0, (long long)program.numParams(), steps, loss,
              2 * macs / 1e9, 2 * macs / median / 1e9);
  return 0;
}
