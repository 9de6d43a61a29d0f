//===- Options.cpp - stde-train's command line ----------------------------===//
#include "Options.h"

#include "stde/API/Problems.h"
#include "stde/API/Training.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <vector>

namespace {

/// More threads than any CPU this runs on has cores (the API's limit too).
constexpr int kMaxThreads = 4096;

const char *kUsage = R"(usage: stde-train [options]
Trains a PINN with stochastic Taylor derivative estimators and reports its error.
Under `mpirun -np P stde-train ...` the P processes train data-parallel: each takes N/P of
every step's points (--points a multiple of P; built-in problems), the compiled step sums
their losses and gradients with MPI_Allreduce, and rank 0 prints and writes the outputs.

problem
  --problem NAME|FILE.mlir  built-in problem (see --list) or a problem module (default allen-cahn-two-body)
  --dim D                   spatial dimension (default 100)
  --width W --depth L       MLP width (128) and number of dense layers (4)
  --share-block B           the first layer shares one width x B weight block across every block
                            of B input coordinates (B divides d): width x B weights instead of
                            width x d, the way very large d fits
  --gradient-weight W       gradient-enhanced loss (gPINN): adds W mean |grad_x r|^2 of the PDE
                            residual r, its partials d r / dx_j by jets (0: off, the default)
  --gradient-samples M      coordinates j per step for that term, sampled without replacement
                            (default: --samples with --estimator sparse, else all; 0: all)
  --gradient-time           space-time problems: the gradient term also takes d r / dt
  --time-scale C            space-time problems: the network reads (x, C t) (default 1); about
                            sqrt(d) balances t against the d space coordinates in the first
                            layer (large d)
  --loss-form F             biased: mean(r^2) (default); unbiased: mean(r r') with r' the
                            residual again from independent draws (random estimators), whose
                            mean is the exact loss instead of the exact loss plus the
                            estimator's variance
  --activation A            tanh | sin | cos | exp | sigmoid | softplus | identity (tanh)
  --dtype f32|f64           element type (f32)
  --emit-problem            print the problem module and exit
  --estimate-memory         print what the run would hold (CPU target) against the limit and exit
  --memory-limit GB         refuse runs whose memory estimate exceeds this (default: the memory
                            available now); step temporaries past it are an error (exit 3)
  --lean-memory             STDE: fuse the point expressions into their reductions (6 fewer
                            point-sized arrays, slower); chosen by itself when only it fits
  --emit-step tensor|llvm   print the compiled training step at that level and exit
  --emit-ranks P            with --emit-step: the data-parallel step, as rank 0 of P compiles it
  --disable R,...           turn optimizations off: collapse, merge, one-hot, zero, runtime-matmul,
                            threads, math-lanes, stack-products (zo)
  --list                    list the built-in problems
estimator
  --estimator E             exact | sparse | dense | dense-gaussian (sparse)
  --samples S               sampled terms / directions per point (16)
  --points N                residual points per step (100)
training
  --steps T                 optimizer steps; the learning rate decays linearly to 0 at T (10000)
  --lr R                    initial learning rate (1e-3; --method zo: 1e-2)
  --optimizer adam|sgd      (adam); with --method zo: Adam or ZO-SGD on the subspace cores and
                            biases (ZO-SGD needs --lr set for each d)
  --method stde|zo          STDE (Taylor jets + parameter gradients) or zeroth order (SDZE:
                            CRNS-paired low-rank perturbations, no backpropagation) (stde)
  --zo-eps E                zeroth-order perturbation radius (1e-3)
  --zo-rank R               rank of each layer's subspace, 1..32 (8)
  --zo-pairs Q              +/- pairs per step, 1..256 (1)
  --zo-refresh K            steps in the first subspace epoch (100)
  --zo-refresh-growth G     each epoch lasts G times longer, G >= 1 (1.5)
  --zo-momentum B           --optimizer sgd: heavy-ball momentum in the subspace, 0 <= B < 1 (0)
  --seed S                  seed of the initialization and of every random stream (0)
  --target cpu|cuda|gpu-emulator
                            where the step runs (cpu); cuda: an NVIDIA GPU through its driver;
                            gpu-emulator: the GPU code on the CPU, to check it (slow)
  --gpu-chip sm_XY          GPU architecture to compile for (default: the GPU's own; sm_90 for
                            --emit-step)
  --threads N               CPU threads for the step's loops and matrix products (default: every
                            core, or OMP_NUM_THREADS); 1: no thread team
evaluation and outputs
  --eval-every K            relative L2 error every K steps (steps / 10)
  --test-points M           test points (20000)
  --out PREFIX              writes PREFIX.csv (log) and PREFIX.svg (curves) (stde-train)
  --json FILE               summary as JSON
  --checkpoint FILE         write a checkpoint at every evaluation, at the end and on Ctrl-C
  --checkpoint-every K      checkpoint every K steps instead
  --stop-after K            stop after K steps of this run (checkpoint written; resume later)
  --resume FILE             continue a run from its checkpoint (bit-identical on the CPU)
  --params FILE             write the final parameters (raw little-endian floats)
  --quiet                   no progress bar
)";

bool parseInt(const char *flag, const char *text, int64_t &out, int64_t min) {
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (errno || !end || *end || end == text || v < min) {
    std::fprintf(stderr, "stde-train: %s expects an integer >= %lld, got '%s'\n", flag,
                 (long long)min, text);
    return false;
  }
  out = v;
  return true;
}

bool parseDouble(const char *flag, const char *text, double &out) {
  errno = 0;
  char *end = nullptr;
  double v = std::strtod(text, &end);
  if (errno || !end || *end || end == text || !(v > 0) || !std::isfinite(v)) {
    std::fprintf(stderr, "stde-train: %s expects a positive finite number, got '%s'\n", flag,
                 text);
    return false;
  }
  out = v;
  return true;
}

bool parseFraction(const char *flag, const char *text, double &out) {
  errno = 0;
  char *end = nullptr;
  double v = std::strtod(text, &end);
  if (errno || !end || *end || end == text || !(v >= 0.0 && v < 1.0)) {
    std::fprintf(stderr, "stde-train: %s expects a number in [0, 1), got '%s'\n", flag, text);
    return false;
  }
  out = v;
  return true;
}

bool oneOf(const char *flag, const std::string &value, std::initializer_list<const char *> allowed) {
  for (const char *a : allowed)
    if (value == a)
      return true;
  std::string list;
  for (const char *a : allowed)
    list += std::string(list.empty() ? "" : ", ") + a;
  std::fprintf(stderr, "stde-train: %s must be one of %s, got '%s'\n", flag, list.c_str(),
               value.c_str());
  return false;
}

} // namespace

bool parseOptions(int argc, char **argv, TrainOptions &o, int &exitCode) {
  exitCode = 2;
  using Handler = std::function<bool(const char *)>;
  int64_t seed = 0;
  std::vector<std::string> zoOptions; // given on the command line
  std::map<std::string, Handler> withValue = {
      {"--problem", [&](const char *v) { o.problem = v; return true; }},
      {"--dim", [&](const char *v) { o.explicitDim = true; return parseInt("--dim", v, o.dim, 1); }},
      {"--width", [&](const char *v) { o.explicitWidth = true; return parseInt("--width", v, o.width, 1); }},
      {"--depth", [&](const char *v) { o.explicitDepth = true; return parseInt("--depth", v, o.depth, 1); }},
      {"--share-block", [&](const char *v) { o.explicitShareBlock = true; return parseInt("--share-block", v, o.shareBlock, 1); }},
      {"--gradient-weight", [&](const char *v) { return parseDouble("--gradient-weight", v, o.gradientWeight); }},
      {"--gradient-samples", [&](const char *v) { return parseInt("--gradient-samples", v, o.gradientSamples, 0); }},
      {"--time-scale", [&](const char *v) { o.explicitTimeScale = true; return parseDouble("--time-scale", v, o.timeScale); }},
      {"--loss-form", [&](const char *v) { o.explicitLossForm = true; o.lossForm = v; return oneOf("--loss-form", o.lossForm, {"biased", "unbiased"}); }},
      {"--points", [&](const char *v) { o.explicitPoints = true; return parseInt("--points", v, o.points, 1); }},
      {"--samples", [&](const char *v) { o.explicitEstimator = true; return parseInt("--samples", v, o.samples, 1); }},
      {"--steps", [&](const char *v) { return parseInt("--steps", v, o.steps, 1); }},
      {"--seed", [&](const char *v) { return parseInt("--seed", v, seed, 0) && (o.seed = seed, true); }},
      {"--eval-every", [&](const char *v) { return parseInt("--eval-every", v, o.evalEvery, 1); }},
      {"--test-points", [&](const char *v) { return parseInt("--test-points", v, o.testPoints, 1); }},
      {"--checkpoint-every", [&](const char *v) { return parseInt("--checkpoint-every", v, o.checkpointEvery, 1); }},
      {"--stop-after", [&](const char *v) { return parseInt("--stop-after", v, o.stopAfter, 1); }},
      {"--lr", [&](const char *v) { o.explicitLr = true; return parseDouble("--lr", v, o.lr); }},
      {"--memory-limit", [&](const char *v) { return parseDouble("--memory-limit", v, o.memoryLimitGb); }},
      {"--estimator", [&](const char *v) { o.explicitEstimator = true; o.estimator = v; return oneOf("--estimator", o.estimator, {"exact", "sparse", "dense", "dense-gaussian"}); }},
      {"--method", [&](const char *v) { o.method = v; return oneOf("--method", o.method, {"stde", "zo"}); }},
      {"--zo-eps", [&](const char *v) { return parseDouble("--zo-eps", v, o.zoEps); }},
      {"--zo-rank", [&](const char *v) { return parseInt("--zo-rank", v, o.zoRank, 1); }},
      {"--zo-pairs", [&](const char *v) { return parseInt("--zo-pairs", v, o.zoPairs, 1); }},
      {"--zo-refresh", [&](const char *v) { return parseInt("--zo-refresh", v, o.zoRefresh, 1); }},
      {"--zo-refresh-growth", [&](const char *v) { return parseDouble("--zo-refresh-growth", v, o.zoRefreshGrowth); }},
      {"--zo-momentum", [&](const char *v) { return parseFraction("--zo-momentum", v, o.zoMomentum); }},
      {"--optimizer", [&](const char *v) { o.explicitOptimizer = true; o.optimizer = v; return oneOf("--optimizer", o.optimizer, {"adam", "sgd"}); }},
      {"--target", [&](const char *v) { o.target = v; return oneOf("--target", o.target, {"cpu", "cuda", "gpu-emulator"}); }},
      {"--gpu-chip", [&](const char *v) { o.gpuChip = v; return true; }},
      {"--threads", [&](const char *v) { return parseInt("--threads", v, o.threads, 1); }},
      {"--dtype", [&](const char *v) { o.explicitDtype = true; o.dtype = v; return oneOf("--dtype", o.dtype, {"f32", "f64"}); }},
      {"--activation", [&](const char *v) { o.activation = v; return oneOf("--activation", o.activation, {"tanh", "sin", "cos", "exp", "sigmoid", "softplus", "identity"}); }},
      {"--disable", [&](const char *v) {
         o.disable = v;
         auto r = stde::rewritesWithout(o.disable);
         if (!r)
           std::fprintf(stderr, "stde-train: --disable: %s\n", r.error().c_str());
         return bool(r);
       }},
      {"--emit-step", [&](const char *v) { o.emitStep = v; return oneOf("--emit-step", o.emitStep, {"tensor", "llvm"}); }},
      {"--emit-ranks", [&](const char *v) { return parseInt("--emit-ranks", v, o.emitRanks, 1); }},
      {"--checkpoint", [&](const char *v) { o.checkpoint = v; return true; }},
      {"--resume", [&](const char *v) { o.resume = v; return true; }},
      {"--json", [&](const char *v) { o.json = v; return true; }},
      {"--params", [&](const char *v) { o.params = v; return true; }},
      {"--out", [&](const char *v) { o.out = v; return true; }},
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool hasInline = false;
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      hasInline = true;
    }
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      exitCode = 0;
      return false;
    }
    if (arg == "--list") {
      for (const stde::ProblemInfo &p : stde::problemCatalog())
        std::printf("%-24s %s\n", p.name.c_str(), p.description.c_str());
      exitCode = 0;
      return false;
    }
    if (arg == "--emit-problem" || arg == "--quiet" || arg == "--estimate-memory" ||
        arg == "--lean-memory" || arg == "--gradient-time") {
      (arg == "--quiet"            ? o.quiet
       : arg == "--emit-problem"   ? o.emitProblem
       : arg == "--lean-memory"    ? o.leanMemory
       : arg == "--gradient-time"  ? o.gradientTime
                                   : o.estimateMemory) = true;
      continue;
    }
    auto it = withValue.find(arg);
    if (it == withValue.end()) {
      std::fprintf(stderr, "stde-train: unknown option '%s' (see --help)\n", arg.c_str());
      return false;
    }
    if (!hasInline) {
      // `--problem --steps 2` forgot the problem: say so, rather than take
      // "--steps" for its name and then complain about "2".
      if (i + 1 >= argc || std::string(argv[i + 1]).rfind("--", 0) == 0) {
        std::fprintf(stderr, "stde-train: %s needs a value\n", arg.c_str());
        return false;
      }
      value = argv[++i];
    }
    if (arg.rfind("--zo-", 0) == 0)
      zoOptions.push_back(arg);
    if (!it->second(value.c_str()))
      return false;
  }
  if (o.emitRanks > 0 && o.emitStep.empty()) {
    std::fprintf(stderr, "stde-train: --emit-ranks applies to --emit-step (a run takes its ranks "
                         "from mpirun)\n");
    return false;
  }
  if (!o.gpuChip.empty() && o.target != "cuda") {
    std::fprintf(stderr, "stde-train: --gpu-chip applies to --target cuda\n");
    return false;
  }
  if (o.threads > kMaxThreads) {
    std::fprintf(stderr, "stde-train: --threads must be at most %d\n", kMaxThreads);
    return false;
  }
  if (o.threads != 0 && o.target != "cpu") {
    std::fprintf(stderr, "stde-train: --threads applies to --target cpu (a GPU step runs its "
                         "loops as kernels)\n");
    return false;
  }
  if (o.method == "zo" && o.optimizer == "adam" && o.zoMomentum > 0.0) {
    std::fprintf(stderr, "stde-train: --zo-momentum is heavy ball for --optimizer sgd; the "
                         "zeroth-order Adam (the default) has its own momentum: drop "
                         "--zo-momentum or add --optimizer sgd\n");
    return false;
  }
  if (o.method != "zo" && !zoOptions.empty()) {
    std::fprintf(stderr, "stde-train: %s applies to --method zo (the STDE path trains with "
                         "--optimizer adam|sgd)\n", zoOptions.front().c_str());
    return false;
  }
  if (o.method == "zo" && o.optimizer == "sgd" && !o.explicitLr) {
    std::fprintf(stderr, "stde-train: --method zo --optimizer sgd needs an explicit --lr: a ZO-SGD "
                         "step is lr * c * P with |P|^2 about the parameter count and c about the "
                         "loss's slope, so the stable rate depends on both (two-body Allen-Cahn, "
                         "d = 100, width 128: --lr 1e-8); the default, Adam on the subspace "
                         "cores, needs none\n");
    return false;
  }
  // The zeroth-order Adam's rate: measured to train every built-in unit-ball
  // problem from d = 100 to 10^6 (benchmarks/zeroth_order).
  if (o.method == "zo" && !o.explicitLr)
    o.lr = stde::kZoAdamLearningRate;
  if (o.method == "zo" && !o.disable.empty()) {
    // Thread teams and math lanes are the CPU back end's, the same for both
    // methods, stacked products the zeroth-order step's; the jet rewrites
    // are measured on the STDE path only.
    stde::Rewrites r = *stde::rewritesWithout(o.disable); // checked above
    if (!(r.collapse && r.merge && r.oneHot && r.zero && r.runtimeMatmul)) {
      std::fprintf(stderr, "stde-train: --disable applies to the STDE jets of both methods, but "
                           "the zeroth-order path is measured with every rewrite on; drop --disable "
                           "(only --disable threads,math-lanes,stack-products applies to it)\n");
      return false;
    }
  }
  if (o.zoRank > 32 || o.zoPairs > 256 || o.zoRefreshGrowth < 1.0) {
    std::fprintf(stderr, "stde-train: --zo-rank must be <= 32, --zo-pairs <= 256 and "
                         "--zo-refresh-growth >= 1\n");
    return false;
  }
  if (o.estimateMemory && o.target != "cpu") {
    std::fprintf(stderr, "stde-train: --estimate-memory applies to --target cpu (a GPU's memory "
                         "is reported after a run: peak device memory)\n");
    return false;
  }
  if (o.stopAfter > 0 && o.checkpoint.empty()) {
    std::fprintf(stderr, "stde-train: --stop-after needs --checkpoint FILE to keep the state\n");
    return false;
  }
  exitCode = 0;
  return true;
}
