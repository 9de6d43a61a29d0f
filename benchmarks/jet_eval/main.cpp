// Times one compiled 2-jet evaluation of the two-body Allen-Cahn network
// ((1 - |x|^2) * MLP, 3 hidden tanh layers of 128, d = 100 by default) at a
// batch of 100 points with 16 directions: the work of a sparse STDE Laplacian
// estimate (|J| = 16) without the parameter gradient. Tangents are passed as
// onehot (column gathers) and as the same basis vectors stored densely, side
// by side in one run. Prints medians over repetitions.
//
//   jet_eval [dim] [repetitions]
#include "stde/stde.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

double medianSeconds(const std::shared_ptr<const stde::JetKernel> &kernel,
                     const std::vector<double> &theta, const std::vector<double> &x,
                     const std::vector<const void *> &tangents, int repetitions) {
  std::vector<double> out(kernel->outputSize()), times;
  for (int i = 0; i < repetitions + 1; ++i) {
    auto start = std::chrono::steady_clock::now();
    stde::Status status = kernel->evaluate(theta.data(), x.data(), tangents, out.data());
    auto stop = std::chrono::steady_clock::now();
    if (!status) {
      std::fprintf(stderr, "error: %s\n", status.message().c_str());
      std::exit(1);
    }
    if (i > 0) // the first call warms caches
      times.push_back(std::chrono::duration<double>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  int64_t dim = argc > 1 ? std::atoll(argv[1]) : 100;
  int repetitions = argc > 2 ? std::atoi(argv[2]) : 21;
  const int64_t points = 100, directions = 16;
  auto field = stde::Field::mlp(dim, {128, 128, 128}, stde::ActivationKind::tanh, true);
  if (!field) {
    std::fprintf(stderr, "error: %s\n", field.error().c_str());
    return 1;
  }
  stde::Compiler compiler;
  stde::JetSpec onehotSpec;
  onehotSpec.order = 2;
  onehotSpec.directions = directions;
  onehotSpec.batch = points;
  onehotSpec.tangents = {stde::TangentKind::onehot, stde::TangentKind::zero};
  stde::JetSpec denseSpec = onehotSpec;
  denseSpec.tangents = {stde::TangentKind::dense, stde::TangentKind::zero};

  auto t0 = std::chrono::steady_clock::now();
  auto onehot = compiler.compileJet(*field, onehotSpec);
  auto t1 = std::chrono::steady_clock::now();
  auto dense = compiler.compileJet(*field, denseSpec);
  if (!onehot || !dense) {
    std::fprintf(stderr, "error: %s\n", (!onehot ? onehot.error() : dense.error()).c_str());
    return 1;
  }
  auto t2 = std::chrono::steady_clock::now();
  auto again = compiler.compileJet(*field, onehotSpec);
  auto t3 = std::chrono::steady_clock::now();

  std::mt19937_64 rng(0);
  std::uniform_real_distribution<double> u(-0.1, 0.1);
  std::vector<double> theta(field->numParams()), x(points * dim);
  for (double &t : theta) t = u(rng);
  for (double &p : x) p = u(rng) * 3;
  std::vector<int64_t> index(directions);
  std::vector<double> basis(directions * points * dim, 0.0);
  for (int64_t r = 0; r < directions; ++r) {
    index[r] = (r * 7919) % dim;
    for (int64_t n = 0; n < points; ++n)
      basis[(r * points + n) * dim + index[r]] = 1.0;
  }
  double tOnehot = medianSeconds(*onehot, theta, x, {index.data(), nullptr}, repetitions);
  double tDense = medianSeconds(*dense, theta, x, {basis.data(), nullptr}, repetitions);
  std::printf("d=%lld N=%lld R=%lld K=2 params=%lld\n", (long long)dim, (long long)points,
              (long long)directions, (long long)field->numParams());
  std::printf("compile (JIT, first): %.2f s; cached compile: %.3f ms\n",
              std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t3 - t2).count() * 1e3);
  std::printf("median evaluate, onehot tangents: %.2f ms\n", tOnehot * 1e3);
  std::printf("median evaluate, dense tangents:  %.2f ms (ratio dense/onehot %.2f)\n",
              tDense * 1e3, tDense / tOnehot);
  return 0;
}
