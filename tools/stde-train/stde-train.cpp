//===- stde-train.cpp - the main job: train a PINN, report its error ------===//
//
// Compiles the problem into one JIT training step (stde/API/Training.h),
// runs it with a progress bar, evaluates the relative L2 error on test
// points, and writes a CSV log, an SVG curve, a JSON summary and atomic
// checkpoints (Ctrl-C writes one before exiting). See --help.
//
//===----------------------------------------------------------------------===//
#include "Options.h"

#include "runtime/BufferPool.h"
#include "runtime/Checkpoint.h"
#include "runtime/Mpi.h"
#include "runtime/OutputFile.h"
#include "runtime/Plot.h"
#include "stde/stde.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

namespace {

std::atomic<bool> interrupted{false};
extern "C" void onInterrupt(int) { interrupted = true; }

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double peakRssMb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;
}

bool isFile(const std::string &problem) {
  return problem.size() > 5 && problem.compare(problem.size() - 5, 5, ".mlir") == 0;
}

const stde::ProblemInfo *builtInProblem(const std::string &name) {
  for (const stde::ProblemInfo &entry : stde::problemCatalog())
    if (entry.name == name)
      return &entry;
  return nullptr;
}

/// The estimator the run uses, as reported: the file's, "exact" for
/// problems that always use exact jets, else --estimator.
/// Threads of the CPU step: --threads, else OpenMP's default (every core, or
/// OMP_NUM_THREADS). With --disable threads its loops run on one of them.
int64_t cpuThreadsOf(const TrainOptions &o) {
  return o.threads > 0 ? o.threads : stde::defaultCpuThreads();
}

/// The program's estimators, joined ("none" without operators that have one).
std::string programEstimators(const stde::TrainingProgram &program) {
  std::string all;
  for (const std::string &e : program.estimators())
    all += (all.empty() ? "" : ", ") + e;
  return all.empty() ? "none" : all;
}

/// The sample count the program's random estimators use, when they agree
/// (-1: none is random, or they differ).
int64_t programSamples(const stde::TrainingProgram &program) {
  int64_t samples = -1;
  for (const std::string &e : program.estimators()) {
    size_t at = e.find("samples = ");
    if (at == std::string::npos)
      continue;
    int64_t s = std::atoll(e.c_str() + at + 10);
    if (samples >= 0 && s != samples)
      return -1;
    samples = s;
  }
  return samples;
}

std::string estimatorLabel(const TrainOptions &o) {
  if (isFile(o.problem))
    return "the file's";
  const stde::ProblemInfo *info = builtInProblem(o.problem);
  return info && !info->usesEstimator ? "exact" : o.estimator;
}

/// The options of a built-in problem (Options.cpp accepted only names
/// these know).
stde::ProblemOptions builtInOptions(const TrainOptions &o) {
  const stde::ProblemInfo *info = builtInProblem(o.problem);
  stde::ProblemOptions p;
  p.name = o.problem;
  p.dim = info && info->fixedDim > 0 && !o.explicitDim ? info->fixedDim : o.dim;
  p.width = o.width;
  p.depth = o.depth;
  p.shareBlock = o.shareBlock;
  p.gradientWeight = o.gradientWeight;
  p.gradientTime = o.gradientTime;
  p.unbiasedLoss = o.lossForm == "unbiased";
  p.timeScale = o.timeScale;
  p.gradientSamples = o.gradientSamples >= 0 ? o.gradientSamples
                      : o.estimator == "sparse" ? o.samples
                                                : 0;
  p.points = o.points / o.ranks; // data parallel: the rank's share (checked by checkRanks)
  p.dtype = o.dtype == "f64" ? stde::DType::f64 : stde::DType::f32;
  if (auto activation = stde::activationNamed(o.activation))
    p.activation = *activation;
  if (auto estimator = stde::estimatorNamed(o.estimator, o.samples))
    p.estimator = *estimator;
  return p;
}

/// The training settings of the command line.
stde::TrainingSpec trainingSpecOf(const TrainOptions &o) {
  stde::TrainingSpec spec;
  spec.learningRate = o.lr;
  spec.decaySteps = o.steps;
  spec.optimizer = o.optimizer == "sgd" ? stde::OptimizerKind::sgd : stde::OptimizerKind::adam;
  spec.rewrites = *stde::rewritesWithout(o.disable); // checked by parseOptions
  if (o.method == "zo") {
    spec.method = stde::TrainingMethod::zo;
    spec.zo.eps = o.zoEps;
    spec.zo.rank = o.zoRank;
    spec.zo.pairs = o.zoPairs;
    spec.zo.refresh = o.zoRefresh;
    spec.zo.refreshGrowth = o.zoRefreshGrowth;
    spec.zo.momentum = o.zoMomentum;
  }
  spec.cpuThreads = o.threads;
  spec.leanMemory = o.leanMemory;
  spec.parallel.rank = o.rank;
  spec.parallel.ranks = o.ranks;
  if (o.target == "cuda") {
    spec.target = stde::Target::cuda;
    spec.gpuChip = o.gpuChip;
  }
  if (o.target == "gpu-emulator")
    spec.target = stde::Target::gpuEmulator;
  return spec;
}

/// A run whose memory cannot fit is refused before anything is built. On
/// the GPU targets the host still holds the state (emulator) or the device's
/// memory is another budget: only the CPU target is checked here. An STDE
/// step that fits only in lean memory (TrainingSpec::leanMemory) gets it,
/// with a note (o.leanMemory is set). With --memory-limit, the step's
/// temporaries get what the estimate's state and runtime leave of it.
/// Returns -1 to go on, else the exit code: 2 after printing the refusal,
/// 0 after printing the estimate for --estimate-memory.
int checkMemory(TrainOptions &o, const stde::TrainingSizes &sizes, stde::TrainingSpec spec) {
  if (o.target != "cpu" || !o.emitStep.empty())
    return -1;
  double limit = o.memoryLimitGb > 0 ? o.memoryLimitGb * 1e9 : stde::availableMemoryBytes();
  stde::Status fits = stde::checkTrainingMemory(sizes, spec, limit);
  if (!fits && spec.method == stde::TrainingMethod::stde && !spec.leanMemory) {
    stde::TrainingSpec lean = spec;
    lean.leanMemory = true;
    fits = stde::checkTrainingMemory(sizes, lean, limit);
    if (fits)
      std::fprintf(stderr,
                   "stde-train: the full-speed step needs %s, more than the %.1f GB %s; "
                   "compiling the lean-memory step instead (%s; slower)\n",
                   stde::estimateTrainingMemory(sizes, spec).describe().c_str(), limit / 1e9,
                   o.memoryLimitGb > 0 ? "allowed" : "available",
                   stde::estimateTrainingMemory(sizes, lean).describe().c_str());
    spec = lean;
    o.leanMemory = true;
  }
  if (!fits) {
    std::fprintf(stderr, "stde-train: %s%s\n",
                 spec.leanMemory ? "with the lean-memory step, " : "", fits.message().c_str());
    return 2;
  }
  stde::MemoryEstimate estimate = stde::estimateTrainingMemory(sizes, spec);
  if (o.memoryLimitGb > 0)
    stde::setTemporaryMemoryLimit(
        std::max(o.memoryLimitGb * 1e9 - estimate.stateBytes - estimate.runtimeBytes, 1.0));
  if (!o.estimateMemory)
    return -1;
  std::printf("memory: %s%s; %.1f GB %s: fits\n", estimate.describe().c_str(),
              spec.leanMemory ? " with the lean-memory step" : "", limit / 1e9,
              o.memoryLimitGb > 0 ? "allowed (--memory-limit)" : "available");
  return 0;
}

/// This process under an MPI launch (a one-process run: rank 0 of 1, no MPI).
struct Ranks {
  int64_t rank = 0, size = 1;
  stde::runtime::Mpi *mpi = nullptr;
  std::FILE *held = nullptr; ///< ranks other than 0: their stderr, shown only if they fail
  int stderrFd = 2;          ///< the real stderr
};
Ranks ranks;

/// Rank 0 is the run's one voice: the other ranks print nothing and write
/// no files; what they write to stderr is held back and shown, each line
/// naming the rank, only when the rank fails.
void quietenOtherRanks() {
  if (ranks.rank == 0)
    return;
  std::fflush(stdout);
  std::fflush(stderr);
  ranks.held = std::tmpfile();
  if (!ranks.held)
    return;
  ranks.stderrFd = dup(2);
  dup2(fileno(ranks.held), 2);
  if (!std::freopen("/dev/null", "w", stdout))
    return; // stdout stays: only noisier
}

/// A failing rank says so on the real stderr, with what it held back.
void reportRankFailure(int code) {
  std::fflush(stderr);
  int fd = ranks.stderrFd;
  dprintf(fd, "stde-train: rank %lld of %lld failed (exit code %d); ending every rank\n",
          (long long)ranks.rank, (long long)ranks.size, code);
  if (!ranks.held)
    return;
  std::rewind(ranks.held);
  char line[4096];
  while (std::fgets(line, sizeof line, ranks.held))
    dprintf(fd, "  rank %lld: %s%s", (long long)ranks.rank, line,
            std::strchr(line, '\n') ? "" : "\n");
}

/// The command line as one process would run it (the whole batch).
TrainOptions oneProcess(const TrainOptions &o) {
  TrainOptions whole = o;
  whole.ranks = 1;
  whole.rank = 0;
  return whole;
}

/// The data-parallel split of the command line's points, or an error that
/// says what to change. Returns false after printing it.
bool checkRanks(const TrainOptions &o) {
  if (o.ranks == 1)
    return true;
  std::string error;
  if (isFile(o.problem))
    error = "data-parallel training builds the problem with each rank's share of the points; a "
            "problem file fixes its points: train a built-in --problem under mpirun, or run the "
            "file in one process";
  else if (o.points % o.ranks != 0)
    error = "--points " + std::to_string(o.points) + " does not split over " +
            std::to_string(o.ranks) + " ranks: use a multiple of " + std::to_string(o.ranks);
  else {
    auto all = stde::problemSizes(builtInOptions(oneProcess(o)));
    auto share = stde::problemSizes(builtInOptions(o));
    if (all && share && all->boundaryPoints != share->boundaryPoints * o.ranks)
      error = "problem '" + o.problem + "' draws " + std::to_string(all->boundaryPoints) +
              " boundary points per step, which do not split over " + std::to_string(o.ranks) +
              " ranks: choose --points so that they do (they are --points / 5, at least 2)";
  }
  if (error.empty())
    return true;
  std::fprintf(stderr, "stde-train: %s\n", error.c_str());
  return false;
}

/// At large d the time coordinate of a space-time problem is one input of
/// d + 1 at Kaiming scale: say what balances it (docs/MATH.md section 5).
/// From this d on the measured runs needed it (benchmarks/RESULTS.md).
constexpr int64_t kTimeScaleAdviceDim = 1000;
void adviseTimeScale(const TrainOptions &o) {
  if (o.rank != 0 || isFile(o.problem) || o.explicitTimeScale || o.dim < kTimeScaleAdviceDim ||
      !stde::problemHasTime(o.problem))
    return;
  std::fprintf(stderr,
               "stde-train: note: t is one of %lld inputs of the first layer, each weighing "
               "1/sqrt(d + 1) at the start: at this d the network follows t slowly; "
               "--time-scale %.0f (about sqrt(d)) balances t against x\n",
               (long long)o.dim + 1, std::round(std::sqrt(double(o.dim))));
}

/// The problem's text, or an error message in `error`.
std::string problemText(const TrainOptions &o, std::string &error) {
  if (isFile(o.problem)) {
    if (o.explicitWidth || o.explicitDepth || o.explicitPoints || o.explicitShareBlock ||
        o.explicitTimeScale) {
      error = "the problem file fixes the network and the number of points: drop --width, "
              "--depth, --share-block, --time-scale and --points (or edit the file)";
      return "";
    }
    if (o.gradientWeight != 0 || o.gradientSamples >= 0 || o.gradientTime) {
      error = "the problem file states its loss: drop --gradient-weight, --gradient-samples and "
              "--gradient-time, or write them on its stde.loss (gradient_weights [W] "
              "gradient_samples M gradient_time)";
      return "";
    }
    if (o.explicitLossForm) {
      error = "the problem file states its loss: drop --loss-form, or write the form on its "
              "stde.loss (stde.loss %r form unbiased ...)";
      return "";
    }
    if (o.explicitEstimator) {
      error = "the problem file chooses its estimators (stde.loss ... estimator(...)): drop "
              "--estimator and --samples, or edit the file";
      return "";
    }
    std::ifstream file(o.problem);
    if (!file) {
      error = "cannot read the problem file '" + o.problem + "': " + std::strerror(errno);
      return "";
    }
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }
  const stde::ProblemInfo *info = builtInProblem(o.problem);
  if (info && !info->usesEstimator && o.explicitEstimator) {
    error = "problem '" + o.problem + "' computes its derivatives with exact jets: drop "
            "--estimator and --samples";
    return "";
  }
  auto text = stde::problemModule(builtInOptions(o));
  if (!text) {
    error = text.error();
    return "";
  }
  return *text;
}

/// A floating setting with every bit: 17 significant digits print two
/// doubles alike only when they are the same number.
std::string exactNumber(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

/// What a checkpoint must agree on to be resumed by this command line, one
/// `key=value` per line.
std::string configText(const TrainOptions &o, const std::string &problem) {
  std::ostringstream os;
  os << "problem=" << o.problem << "\nproblem-hash=" << std::hash<std::string>()(problem)
     << "\nestimator=" << o.estimator << "\nsamples=" << o.samples << "\noptimizer=" << o.optimizer
     << "\nlr=" << exactNumber(o.lr) << "\nsteps=" << o.steps << "\nseed=" << o.seed
     << "\nmethod=" << o.method << "\n";
  if (o.shareBlock > 0) // another network (the problem hash says so too)
    os << "share-block=" << o.shareBlock << "\n";
  if (o.leanMemory) // sums in another order: not the same numbers to the last bit
    os << "lean-memory=1\n";
  if (o.method == "zo") // the checkpoint's state is the zeroth-order cores
    os << "zo-eps=" << exactNumber(o.zoEps) << "\nzo-rank=" << o.zoRank << "\nzo-pairs="
       << o.zoPairs << "\nzo-refresh=" << o.zoRefresh << "\nzo-refresh-growth="
       << exactNumber(o.zoRefreshGrowth) << "\nzo-momentum=" << exactNumber(o.zoMomentum)
       << "\n";
  return os.str();
}

/// The settings on which a checkpoint's config and this command line's
/// differ, a line each ("  seed: 1 in the checkpoint, 2 here").
std::string configDifferences(const std::string &stored, const std::string &now) {
  auto parse = [](const std::string &text) {
    std::vector<std::pair<std::string, std::string>> entries;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      size_t eq = line.find('=');
      if (eq != std::string::npos)
        entries.push_back({line.substr(0, eq), line.substr(eq + 1)});
    }
    return entries;
  };
  auto valueOf = [](const auto &entries, const std::string &key) -> std::string {
    for (const auto &[k, v] : entries)
      if (k == key)
        return v;
    return "(none)";
  };
  auto before = parse(stored), after = parse(now);
  std::vector<std::string> keys;
  for (const auto *entries : {&before, &after})
    for (const auto &entry : *entries)
      if (std::find(keys.begin(), keys.end(), entry.first) == keys.end())
        keys.push_back(entry.first);
  std::string out;
  for (const std::string &key : keys) {
    std::string was = valueOf(before, key), is = valueOf(after, key);
    if (was != is)
      out += "  " + key + ": " + was + " in the checkpoint, " + is + " on this command line" +
             (key == "problem-hash" ? " (the problem's text differs)" : "") + "\n";
  }
  return out;
}

/// A JSON number with 7 significant digits (std::to_string would print
/// 4.4e-05 as 0.000044), or null.
std::string jsonNumber(double v, bool present = true) {
  if (!present || !std::isfinite(v))
    return "null";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.7g", v);
  return buffer;
}

std::string jsonEscape(const std::string &s) {
  std::string out;
  for (char c : s)
    out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out;
}

struct Progress {
  bool tty = isatty(STDERR_FILENO);
  bool quiet = false;
  Clock::time_point last = Clock::now();

  void show(int64_t step, int64_t steps, double rate, double loss, double error, bool force) {
    if (quiet || (!tty && !force) || (!force && since(last) < 0.25))
      return;
    last = Clock::now();
    int filled = int(30.0 * double(step) / double(steps));
    double eta = rate > 0 ? double(steps - step) / rate : 0;
    int h = int(eta) / 3600, m = int(eta) / 60 % 60, s = int(eta) % 60;
    std::fprintf(stderr, "%s[%.*s%*s] %lld/%lld %.1f it/s ETA %02d:%02d:%02d loss %.3e%s",
                 tty ? "\r" : "", filled, "##############################", 30 - filled, "",
                 (long long)step, (long long)steps, rate, h, m, s, loss,
                 error >= 0 ? "" : "   ");
    if (error >= 0)
      std::fprintf(stderr, " rel L2 %.3e", error);
    std::fprintf(stderr, tty && !force ? "" : "\n");
    std::fflush(stderr);
  }
};

/// Reads the checkpoint to resume and compares its settings with this
/// command line's, before anything is compiled. Returns 0 to go on, else the
/// exit code (a finished run: 0 with `finished` set).
int loadResume(const TrainOptions &o, const std::string &config, stde::runtime::Checkpoint &c,
               bool &finished) {
  std::string error = stde::runtime::loadCheckpoint(o.resume, c);
  if (error.empty() && c.config != config)
    error = "the checkpoint '" + o.resume + "' was written by a different run:\n" +
            configDifferences(c.config, config) +
            "use the same problem and training options as the run that wrote it";
  if (!error.empty()) {
    std::fprintf(stderr, "stde-train: %s\n", error.c_str());
    return 2;
  }
  finished = c.nextStep >= o.steps;
  if (finished)
    std::fprintf(stderr, "stde-train: the run in '%s' is finished (step %lld of %lld): nothing "
                         "to train; it reported its results when it ended\n",
                 o.resume.c_str(), (long long)c.nextStep, (long long)o.steps);
  return 0;
}

/// Data parallel: every rank must hold the same parameters (each applies
/// the same update to the summed gradient). A cheap check at every
/// evaluation: each rank's FNV-1a hash of its parameters' bytes (40 bits,
/// exact in a double sum over up to 8192 ranks) is summed over the ranks;
/// unless all are equal, some rank's hash times P differs from the sum.
/// Returns 0, or 3 after an error naming the step.
stde::Status checkRanksAgree(const stde::StateBuffer &params, int64_t done) {
  if (ranks.size == 1)
    return stde::Status::success();
  uint64_t hash = 1469598103934665603ull;
  const auto *bytes = static_cast<const unsigned char *>(params.data());
  for (size_t i = 0; i < params.bytes(); ++i)
    hash = (hash ^ bytes[i]) * 1099511628211ull;
  double mine = double(hash & ((uint64_t(1) << 40) - 1)), sum = mine;
  std::string error;
  if (!ranks.mpi->sum(&sum, 1, error))
    return stde::Status::error(error);
  if (sum == mine * double(ranks.size))
    return stde::Status::success();
  return stde::Status::error(
      "after step " + std::to_string(done) + " the parameters of rank " +
      std::to_string(ranks.rank) +
      " differ from another rank's (their checksums differ): the ranks no longer train one "
      "model; the last checkpoint is from before the divergence");
}

/// The bytes of a state buffer, for a checkpoint.
std::vector<unsigned char> bytesOf(const stde::StateBuffer &buffer) {
  const auto *p = static_cast<const unsigned char *>(buffer.data());
  return {p, p + buffer.bytes()};
}

/// Checkpointed bytes into a state buffer (their size was checked against the network).
void fill(stde::StateBuffer &buffer, std::vector<unsigned char> &bytes) {
  std::memcpy(buffer.data(), bytes.data(), std::min(bytes.size(), buffer.bytes()));
  std::vector<unsigned char>().swap(bytes); // the state is in the buffer now: not held twice
}

/// What stde-train does at the points of a run (stde/API/TrainingRun.h):
/// the CSV log, the progress bar, the rank check and the checkpoints. A
/// failing hook leaves its exit code in `exitCode`.
class TrainObserver : public stde::RunObserver {
public:
  TrainObserver(const TrainOptions &o, const stde::TrainingProgram &program,
                const stde::TrainingState &state, const std::string &config, std::FILE *csv,
                std::string csvPath, int64_t checkpointStep)
      : o(o), program(program), state(state), config(config), csv(csv),
        csvPath(std::move(csvPath)), checkpointStep(checkpointStep) {
    progress.quiet = o.quiet;
  }

  void stepped(int64_t done, double rate, double loss, double lastError) override {
    progress.show(done, o.steps, rate, loss, lastError, false);
  }

  stde::Status evaluated(const stde::Evaluation &e) override {
    if (stde::Status agree = checkRanksAgree(state.params, e.done); !agree)
      return fail(3, agree.message());
    std::fprintf(csv, "%lld,%.9g,%.9g,%.4g,%.3f\n", (long long)e.done, e.meanLoss,
                 program.hasExactSolution() ? e.error : NAN, e.rate, e.seconds);
    if (!csvWritten())
      return fail(2, "");
    progress.show(e.done, o.steps, e.rate, e.meanLoss, e.error, true);
    return stde::Status::success();
  }

  bool keepsCheckpoints() const override { return !o.checkpoint.empty(); }
  stde::Status checkpoint(int64_t next, double seconds, double best) override {
    if (!save(o.checkpoint, next, seconds, best))
      return fail(2, "");
    return stde::Status::success();
  }

  /// Writes a checkpoint of the state after step next - 1 to `path` (rank 0
  /// only); false after an error message (the previous file is unchanged).
  bool save(const std::string &path, int64_t next, double seconds, double best) {
    if (ranks.rank != 0) { // rank 0 writes the run's one checkpoint
      if (path == o.checkpoint)
        checkpointStep = next;
      return true;
    }
    stde::runtime::Checkpoint c;
    c.config = config;
    c.elementSize = program.dtype() == stde::DType::f64 ? sizeof(double) : sizeof(float);
    c.numParams = program.numParams();
    c.nextStep = next;
    c.seed = o.seed;
    c.bestError = best;
    c.seconds = seconds;
    c.params = bytesOf(state.params);
    c.m = bytesOf(state.m);
    c.v = bytesOf(state.v);
    std::string error = stde::runtime::saveCheckpoint(path, c);
    if (!error.empty())
      std::fprintf(stderr, "\nstde-train: %s; the previous checkpoint (if any) is unchanged\n",
                   error.c_str());
    else if (path == o.checkpoint)
      checkpointStep = next;
    return error.empty();
  }

  /// A log line that cannot be written ends the run (a full disk is not success).
  bool csvWritten() {
    if (std::fflush(csv) == 0 && !std::ferror(csv))
      return true;
    std::fprintf(stderr, "\nstde-train: cannot write the log '%s': %s\n", csvPath.c_str(),
                 std::strerror(errno ? errno : EIO));
    logFailed = true;
    return false;
  }
  bool closeCsv() {
    if (logFailed) { // said once already
      std::fclose(csv);
      return false;
    }
    bool flushed = csvWritten();
    if (std::fclose(csv) != 0 && flushed) {
      std::fprintf(stderr, "\nstde-train: cannot write the log '%s': %s\n", csvPath.c_str(),
                   std::strerror(errno));
      flushed = false;
    }
    return flushed;
  }

  int exitCode = 0;
  int64_t lastCheckpoint() const { return checkpointStep; }

private:
  stde::Status fail(int code, const std::string &message) {
    exitCode = code;
    return stde::Status::error(message);
  }

  const TrainOptions &o;
  const stde::TrainingProgram &program;
  const stde::TrainingState &state;
  const std::string &config;
  std::FILE *csv;
  std::string csvPath;
  int64_t checkpointStep; // of the last checkpoint of o.checkpoint (-1: none)
  bool logFailed = false;
  Progress progress;
};

/// The run's end as stde-train reports it; returns the exit code, or -1
/// when it finished and the report follows.
int reportEnd(const TrainOptions &o, const stde::RunResult &r, TrainObserver &observer,
              double best) {
  switch (r.end) {
  case stde::RunEnd::finished:
    return -1;
  case stde::RunEnd::failed:
    if (!r.message.empty())
      std::fprintf(stderr, "\nstde-train: %s\n", r.message.c_str());
    observer.closeCsv();
    return observer.exitCode ? observer.exitCode : 3;
  case stde::RunEnd::diverged: {
    // Zeroth order: a radius so large that theta +- eps P leaves the
    // network's range diverges at any rate.
    char zoHint[64] = "";
    if (o.method == "zo")
      std::snprintf(zoHint, sizeof zoHint, " or --zo-eps (now %g)", o.zoEps);
    char kept[96] = "";
    if (!o.checkpoint.empty() && observer.lastCheckpoint() >= 0)
      std::snprintf(kept, sizeof kept, "; the checkpoint of step %lld is kept",
                    (long long)observer.lastCheckpoint());
    else if (!o.checkpoint.empty())
      std::snprintf(kept, sizeof kept, "; no checkpoint was written");
    std::fprintf(stderr, "\nstde-train: %s: training diverged. Lower --lr (now %g)%s%s\n",
                 r.message.c_str(), o.lr, zoHint, kept);
    observer.closeCsv();
    return 3;
  }
  case stde::RunEnd::interrupted: {
    // Ctrl-C (or SIGTERM): a checkpoint of the last finished step, then exit 130.
    std::string path = o.checkpoint.empty() ? o.out + ".interrupted.ckpt" : o.checkpoint;
    bool saved = observer.save(path, r.done, r.seconds, best);
    std::fprintf(stderr, "\ninterrupted at step %lld: %s '%s'%s%s\n", (long long)r.done,
                 saved ? "checkpoint written to" : "could NOT write", path.c_str(),
                 saved ? "; continue with --resume " : "", saved ? path.c_str() : "");
    observer.closeCsv();
    return 130;
  }
  case stde::RunEnd::stopped: {
    bool saved = observer.save(o.checkpoint, r.done, r.seconds, best);
    saved = observer.closeCsv() && saved;
    std::fprintf(stderr, "\nstopped after %lld steps at step %lld; %s; continue with --resume %s\n",
                 (long long)o.stopAfter, (long long)r.done,
                 saved ? "checkpoint written" : "the checkpoint could NOT be written",
                 o.checkpoint.c_str());
    return saved ? 0 : 2;
  }
  }
  return 3;
}

int train(const TrainOptions &o, const stde::TrainingProgram &program, const std::string &config,
          stde::runtime::Checkpoint *resumed, double compileSeconds, double compileRss) {
  stde::Expected<stde::TrainingState> allocated = stde::TrainingState::allocate(program);
  if (!allocated) {
    std::fprintf(stderr, "stde-train: %s\n", allocated.error().c_str());
    return 3;
  }
  stde::TrainingState &state = *allocated;
  stde::RunSettings settings;
  settings.steps = o.steps;
  settings.seed = o.seed;
  settings.evalEvery = o.evalEvery;
  settings.testPoints = o.testPoints;
  settings.checkpointEvery = o.checkpointEvery;
  settings.stopAfter = o.stopAfter;
  settings.cancel = &interrupted;
  if (resumed) {
    stde::runtime::Checkpoint &c = *resumed;
    if (c.numParams != program.numParams() || c.params.size() != state.params.bytes() ||
        c.m.size() != state.m.bytes()) {
      std::fprintf(stderr, "stde-train: the checkpoint's parameters or optimizer state do not "
                           "fit this network\n");
      return 2;
    }
    fill(state.params, c.params);
    fill(state.m, c.m);
    fill(state.v, c.v);
    settings.start = c.nextStep;
    settings.bestError = c.bestError;
    settings.previousSeconds = c.seconds;
    std::fprintf(stderr, "resuming '%s' at step %lld\n", o.resume.c_str(),
                 (long long)settings.start);
  } else {
    state.initialize(program, o.seed); // m and v start zero-filled
  }
  int64_t start = settings.start;

  std::string csvPath = ranks.rank == 0 ? o.out + ".csv" : "/dev/null";
  std::FILE *csv = std::fopen(csvPath.c_str(), start > 0 ? "a" : "w");
  if (!csv) {
    std::fprintf(stderr, "stde-train: cannot write the log '%s': %s\n", csvPath.c_str(),
                 std::strerror(errno));
    return 2;
  }
  if (start == 0)
    std::fprintf(csv, "step,loss,rel_l2,it_per_s,seconds\n");
  TrainObserver observer(o, program, state, config, csv, csvPath, start > 0 ? start : -1);
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  stde::RunResult run = stde::runTraining(program, state, settings, observer);
  if (int code = reportEnd(o, run, observer, run.bestError); code >= 0)
    return code;

  bool canEvaluate = program.hasExactSolution();
  bool atReference = program.errorMetric() == stde::ErrorMetric::referencePoint;
  double seconds = run.seconds, loss = run.loss, error = run.error, best = run.bestError,
         value = run.value, medianRate = run.medianRate;
  const auto &lossCurve = run.lossCurve, &errorCurve = run.errorCurve;
  if (!observer.closeCsv())
    return 2;
  if (!o.checkpoint.empty() && !observer.save(o.checkpoint, o.steps, seconds, best))
    return 2;

  double rss = peakRssMb();
  bool onDevice = o.target != "cpu";
  int64_t threads = onDevice ? 0 : cpuThreadsOf(o);
  std::printf("problem %s, d = %lld, %s estimator, %lld steps%s\n", o.problem.c_str(),
              (long long)program.spatialDim(),
              (isFile(o.problem) ? programEstimators(program) : estimatorLabel(o)).c_str(),
              (long long)o.steps,
              onDevice ? ""
                       : (", " + std::to_string(threads) + (threads == 1 ? " CPU thread" : " CPU threads"))
                             .c_str());
  if (atReference)
    std::printf("relative error %.4e (best %.4e) at the reference point: u = %.6f\n", error, best,
                value);
  else if (canEvaluate)
    std::printf("relative L2 error %.4e (best %.4e) on %lld test points\n", error, best,
                (long long)o.testPoints);
  else
    std::printf("the problem has no @u_exact and no reference value: no error measured (final "
                "loss %.4e)\n",
                loss);
  // The pool keeps what the step's temporaries needed at their peak.
  stde::runtime::BufferPoolStats pool = stde::runtime::bufferPoolStats();
  double temporariesMb = double(pool.pooledBytes + pool.liveBytes) / (1 << 20);
  std::printf("%.1f it/s (median), peak RSS %.0f MB (compiling %.0f MB, step temporaries %.0f "
              "MB), %.1f s training, %.1f s compiling\n",
              medianRate, rss, compileRss, temporariesMb, seconds, compileSeconds);
  if (ranks.size > 1)
    std::printf("data parallel on %lld MPI ranks: %lld of the %lld points per step each; rank "
                "0's memory and rates\n",
                (long long)ranks.size, (long long)program.points(),
                (long long)(program.points() * ranks.size));
  double deviceMb = double(program.deviceMemory().peakBytes) / (1 << 20);
  if (onDevice)
    std::printf("peak device memory %.1f MiB held by stde (%s)\n", deviceMb,
                o.target == "cuda" ? "parameters, optimizer state and the step's temporaries"
                                   : "the step's temporaries; state stays in host memory");

  if (ranks.rank != 0)
    return 0;
  std::string plotError = stde::runtime::writeSvgPlot(
      o.out + ".svg", o.problem + ", d = " + std::to_string(program.spatialDim()),
      {{"mean loss", "#1f77b4", lossCurve},
       {atReference ? "relative error at the reference point" : "relative L2 error", "#d62728",
        errorCurve}});
  if (!plotError.empty()) {
    std::fprintf(stderr, "stde-train: %s\n", plotError.c_str());
    return 2;
  }
  if (!o.params.empty()) {
    std::string written = stde::runtime::writeWholeFile(o.params, state.params.data(),
                                                        state.params.bytes(), "the parameters");
    if (!written.empty()) {
      std::fprintf(stderr, "stde-train: %s\n", written.c_str());
      return 2;
    }
  }
  if (!o.json.empty()) {
    // The settings of the program that ran (a problem file's, not the flags' defaults).
    int64_t samples = programSamples(program), depth = int64_t(program.layers().size());
    int64_t width = depth > 1 ? program.layers()[0].out : 0;
    std::ostringstream json;
    const char *metric = atReference ? "reference_point" : canEvaluate ? "test_points" : "none";
    json << "{\n  \"problem\": \"" << jsonEscape(o.problem) << "\",\n  \"dim\": "
         << program.spatialDim()
         << ",\n  \"estimator\": \"" << jsonEscape(estimatorLabel(o)) << "\""
         << ",\n  \"estimators\": \"" << jsonEscape(programEstimators(program)) << "\""
         << ",\n  \"samples\": " << jsonNumber(double(samples), samples >= 0)
         << ",\n  \"points\": " << program.points() * ranks.size
         << ",\n  \"ranks\": " << ranks.size;
    // The compiled steps' collectives, counted by the runtime (rank 0's).
    stde::runtime::Mpi::Traffic traffic = stde::runtime::Mpi::traffic();
    int64_t stepsRun = std::max<int64_t>(1, o.steps - start);
    json << ",\n  \"allreduce_bytes_per_step\": "
         << (ranks.size > 1 ? std::to_string(traffic.bytes / stepsRun) : "null")
         << ",\n  \"allreduce_seconds\": " << jsonNumber(traffic.seconds, ranks.size > 1)
         << ",\n  \"width\": " << width
         << ",\n  \"depth\": " << depth
         << ",\n  \"num_params\": " << program.numParams()
         << ",\n  \"share_block\": " << jsonNumber(double(o.shareBlock), o.shareBlock > 0)
         << ",\n  \"gradient_weight\": " << jsonNumber(o.gradientWeight, o.gradientWeight > 0)
         << ",\n  \"gradient_time\": " << (o.gradientTime ? "true" : "false")
         << ",\n  \"time_scale\": " << jsonNumber(o.timeScale, !isFile(o.problem))
         << ",\n  \"loss_form\": \"" << (isFile(o.problem) ? "the file's" : o.lossForm) << "\""
         << ",\n  \"steps\": " << o.steps
         << ",\n  \"seed\": " << o.seed << ",\n  \"dtype\": \""
         << (program.dtype() == stde::DType::f64 ? "f64" : "f32") << "\""
         << ",\n  \"rel_l2\": " << jsonNumber(error, canEvaluate)
         << ",\n  \"best_rel_l2\": " << jsonNumber(best, canEvaluate)
         << ",\n  \"error_metric\": \"" << metric << "\""
         << ",\n  \"u_reference_point\": " << jsonNumber(value, atReference)
         << ",\n  \"final_loss\": " << loss << ",\n  \"it_per_s\": " << medianRate
         << ",\n  \"peak_rss_mb\": " << rss << ",\n  \"compile_peak_rss_mb\": " << compileRss
         << ",\n  \"step_temporaries_mb\": " << temporariesMb
         << ",\n  \"peak_device_mb\": " << jsonNumber(deviceMb, onDevice)
         << ",\n  \"cpu_threads\": " << jsonNumber(double(threads), !onDevice)
         << ",\n  \"method\": \"" << o.method << "\""
         << ",\n  \"seconds\": " << seconds
         << ",\n  \"compile_seconds\": " << compileSeconds << ",\n  \"target\": \"" << o.target
         << "\",\n  \"remarks\": [";
    for (size_t i = 0; i < program.remarks().size(); ++i)
      json << (i ? ", " : "") << "\"" << jsonEscape(program.remarks()[i]) << "\"";
    json << "]\n}\n";
    std::string text = json.str();
    std::string written =
        stde::runtime::writeWholeFile(o.json, text.data(), text.size(), "the JSON summary");
    if (!written.empty()) {
      std::fprintf(stderr, "stde-train: %s\n", written.c_str());
      return 2;
    }
  }
  return 0;
}

/// The whole command: checks, compile, train (main adds MPI around it).
int run(TrainOptions &o) {
  if (!checkRanks(o))
    return 2;
  // A built-in problem's sizes first: a run that cannot fit is refused
  // before the module, whose size grows with d, is built (options the
  // problem refuses are reported by problemText).
  if (!isFile(o.problem) && !o.emitProblem)
    if (auto sizes = stde::problemSizes(builtInOptions(o)))
      if (int code = checkMemory(o, *sizes, trainingSpecOf(o)); code >= 0)
        return code;
  std::string error;
  std::string text = problemText(o, error);
  if (!error.empty()) {
    std::fprintf(stderr, "stde-train: %s\n", error.c_str());
    return 2;
  }
  adviseTimeScale(o);
  if (o.emitProblem) {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  // Outputs that could never be written are refused before the (long)
  // compile and run, not discovered at the first save.
  struct Output {
    std::string path;
    const char *flag;
    bool replaced; ///< written through PATH.tmp and renamed over PATH
  };
  for (const Output &output : {Output{o.checkpoint, "--checkpoint", true},
                               Output{o.json, "--json", false}, Output{o.params, "--params", false},
                               Output{o.out + ".svg", "--out", true}}) {
    if (output.path.empty() || ranks.rank != 0)
      continue;
    if (std::string error =
            stde::runtime::checkCanCreate(output.path, output.flag, output.replaced);
        !error.empty()) {
      std::fprintf(stderr, "stde-train: %s\n", error.c_str());
      return 2;
    }
  }
  stde::TrainingSpec spec = trainingSpecOf(o);
  if (!o.emitStep.empty()) {
    stde::Compiler compiler;
    auto ir = compiler.trainingIR(text, spec,
                                  o.emitStep == "tensor" ? stde::Stage::tensor : stde::Stage::llvm);
    if (!ir) {
      std::fprintf(stderr, "stde-train: %s\n", ir.error().c_str());
      return 2;
    }
    std::fputs(ir->c_str(), stdout);
    return 0;
  }
  stde::Compiler compiler;
  // Flags that a problem file fixes are refused before the (long) compile,
  // naming the file's value.
  if (isFile(o.problem)) {
    auto shape = compiler.inspectProblem(text);
    if (!shape) {
      std::fprintf(stderr, "stde-train: %s\n", shape.error().c_str());
      return 2;
    }
    if (o.explicitDtype) {
      std::fprintf(stderr, "stde-train: the problem file fixes the element type (it is %s): "
                           "drop --dtype, or edit the file\n",
                   shape->dtype == stde::DType::f64 ? "f64" : "f32");
      return 2;
    }
    if (o.explicitDim && shape->spatialDim != o.dim) {
      std::fprintf(stderr, "stde-train: --dim %lld but the problem file is %lld-dimensional: "
                           "drop --dim, or edit the file\n",
                   (long long)o.dim, (long long)shape->spatialDim);
      return 2;
    }
    // The file's estimators are not read here: one direction per point, a
    // lower bound of what its step holds.
    stde::TrainingSizes sizes;
    sizes.inputDim = shape->dim;
    sizes.points = shape->points;
    sizes.boundaryPoints = shape->boundaryPoints;
    sizes.numParams = shape->numParams;
    sizes.depth = int64_t(shape->layers.size());
    for (const stde::LayerShape &layer : shape->layers)
      sizes.width = std::max(sizes.width, layer.out);
    if (!shape->layers.empty())
      sizes.firstLayerInputs = shape->layers.front().in;
    sizes.dtype = shape->dtype;
    if (int code = checkMemory(o, sizes, spec); code >= 0)
      return code;
  }
  spec.leanMemory = o.leanMemory;
  // A checkpoint names the one-process problem: it resumes under any
  // number of ranks.
  std::string config = configText(o, text);
  if (o.ranks > 1) {
    std::string ignored;
    config = configText(o, problemText(oneProcess(o), ignored));
  }
  stde::runtime::Checkpoint resumed;
  if (!o.resume.empty()) {
    bool finished = false;
    if (int code = loadResume(o, config, resumed, finished); code != 0 || finished)
      return code;
  }
  stde::runtime::Checkpoint *resumeFrom = o.resume.empty() ? nullptr : &resumed;
  std::fprintf(stderr, "compiling %s ...", o.problem.c_str());
  Clock::time_point t0 = Clock::now();
  auto program = compiler.compileTraining(text, spec);
  if (!program) {
    std::fprintf(stderr, "\nstde-train: %s\n", program.error().c_str());
    return 2;
  }
  double compileSeconds = since(t0);
  double compileRss = peakRssMb(); // compiling's own peak (the step's may be above)
  std::fprintf(stderr, " %.1f s (%lld parameters, %lld points per step)\n", compileSeconds,
               (long long)(*program)->numParams(), (long long)(*program)->points());
  for (const std::string &remark : (*program)->remarks())
    std::fprintf(stderr, "stde-train: remark: %s\n", remark.c_str());
  return train(o, **program, config, resumeFrom, compileSeconds, compileRss);
}

} // namespace

int main(int argc, char **argv) {
  TrainOptions o;
  int exitCode = 0;
  if (!parseOptions(argc, argv, o, exitCode))
    return exitCode;
  if (o.emitRanks > 0) // the IR of a data-parallel step, without running it
    o.ranks = o.emitRanks;
  // Under a launcher, MPI says how many ranks there are (one: a one-process run).
  stde::runtime::Mpi *mpi = nullptr;
  if (o.emitStep.empty() && stde::runtime::Mpi::launched()) {
    std::string error;
    mpi = stde::runtime::Mpi::world(&error);
    if (!mpi) {
      std::fprintf(stderr, "stde-train: started by an MPI launcher, but %s\n", error.c_str());
      return 2;
    }
    if (mpi->size() > 1) {
      ranks = {mpi->rank(), mpi->size(), mpi};
      o.rank = ranks.rank;
      o.ranks = ranks.size;
      quietenOtherRanks();
    }
  }
  int code = run(o);
  if (ranks.mpi && code != 0) {
    reportRankFailure(code);
    ranks.mpi->abort(code); // the other ranks may wait in a collective
  }
  if (mpi) // a launch of one rank initialized MPI too
    mpi->finalize();
  return code;
}
