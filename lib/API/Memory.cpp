//===- Memory.cpp - what a training run will hold, known before compiling -===//
#include "stde/API/Memory.h"
#include "stde/API/Problems.h"
#include "runtime/BufferPool.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace stde;

namespace {

std::string gigabytes(double bytes) {
  char buffer[32];
  if (bytes >= 1e13)
    std::snprintf(buffer, sizeof buffer, "%.3g TB", bytes / 1e12);
  else
    std::snprintf(buffer, sizeof buffer, bytes >= 1e8 ? "%.1f GB" : "%.3f GB", bytes / 1e9);
  return buffer;
}

/// The value of the /proc/meminfo line that starts with `key`, in bytes
/// (the file states kB); negative when absent.
double meminfoValue(const std::string &key) {
  std::ifstream file("/proc/meminfo");
  for (std::string line; std::getline(file, line);)
    if (line.compare(0, key.size(), key) == 0)
      return std::strtod(line.c_str() + key.size(), nullptr) * 1024.0;
  return -1.0;
}

/// A cgroup v2 file's single number (negative when absent or "max").
double cgroupValue(const std::string &name) {
  std::ifstream file("/sys/fs/cgroup/" + name);
  std::string text;
  if (!(file >> text) || text == "max")
    return -1.0;
  return std::strtod(text.c_str(), nullptr);
}

/// The cgroup's page cache (reclaimable, so not counted as used).
double cgroupFileBytes() {
  std::ifstream file("/sys/fs/cgroup/memory.stat");
  for (std::string key, value; file >> key >> value;)
    if (key == "file")
      return std::strtod(value.c_str(), nullptr);
  return 0.0;
}

} // namespace

std::string MemoryEstimate::describe() const {
  return "about " + gigabytes(total()) + " (parameters and optimizer state " +
         gigabytes(stateBytes) + ", points " + gigabytes(pointsBytes) + ", activations " +
         gigabytes(activationBytes) + ", temporaries " + gigabytes(temporaryBytes) +
         ", runtime " + gigabytes(runtimeBytes) + ")";
}

MemoryEstimate stde::estimateTrainingMemory(const TrainingSizes &s, const TrainingSpec &spec) {
  double element = s.dtype == DType::f64 ? 8.0 : 4.0;
  double params = double(s.numParams);
  double perLayer = double(s.points) * (1.0 + double(s.order) * double(s.directions)) *
                    double(std::max<int64_t>(s.width, 1));
  double firstIn = double(s.firstLayerInputs > 0 ? s.firstLayerInputs : s.inputDim);
  MemoryEstimate e;
  e.pointsBytes = element * double(s.points + s.boundaryPoints) * double(s.inputDim);
  if (s.denseDirections)
    e.pointsBytes += element * double(s.points) * double(s.directions) * double(s.inputDim);
  // Arrays the size of the points, of the dense tangents and of a test batch.
  double points = double(s.points) * double(s.inputDim);
  double tangents = s.denseDirections ? points * double(s.directions) : 0.0;
  int64_t batch = s.testBatch > 0 ? s.testBatch : automaticTestBatch(s.inputDim);
  double testPoints = double(batch) * double(s.inputDim);
  if (spec.method == TrainingMethod::zo) {
    // The weights once; the pairs' two sides each hold two live layers.
    e.stateBytes = element * params;
    e.activationBytes = element * 2.0 * double(std::max<int64_t>(spec.zo.pairs, 1)) * 2.0 * perLayer;
    // The first layer's perturbation subspaces (rank x D, both sides).
    double subspace = 2.0 * double(std::max<int64_t>(spec.zo.rank, 1)) * firstIn;
    e.temporaryBytes = element * (points + subspace + 2.0 * testPoints);
  } else {
    double arrays = spec.optimizer == OptimizerKind::adam ? 4.0 : 2.0; // + gradient (+ m, v)
    e.stateBytes = element * arrays * params;
    e.activationBytes = element * 2.0 * double(std::max<int64_t>(s.depth, 1)) * perLayer;
    // Counted per array size (Memory.h): the lean step fuses the point
    // expressions, so it keeps fewer point- and test-batch-sized arrays.
    double firstLayer = firstIn * double(std::max<int64_t>(s.width, 1));
    double arraysOf = 2.0 * firstLayer;
    if (spec.leanMemory)
      arraysOf += points + 2.0 * testPoints;
    else
      arraysOf += 7.0 * points + 3.0 * tangents + 6.0 * testPoints;
    e.temporaryBytes = element * arraysOf;
  }
  // The compiler's own peak stays in the process: 0.3 GB, and about 200
  // bytes a coordinate (the Laplacian's d terms, listed while lowering).
  e.runtimeBytes = 0.3e9 + 200.0 * double(s.inputDim);
  return e;
}

double stde::availableMemoryBytes() {
  double available = meminfoValue("MemAvailable:");
  double limit = cgroupValue("memory.max"), used = cgroupValue("memory.current");
  if (limit > 0 && used >= 0) {
    used = std::max(0.0, used - cgroupFileBytes());
    double left = std::max(0.0, limit - used);
    available = available < 0 ? left : std::min(available, left);
  }
  return available > 0 ? available : 0.0;
}

Status stde::checkTrainingMemory(const TrainingSizes &sizes, const TrainingSpec &spec,
                                 double available) {
  MemoryEstimate need = estimateTrainingMemory(sizes, spec);
  if (available <= 0 || need.total() <= available)
    return Status::success();
  std::ostringstream os;
  os << "this run needs " << need.describe() << " but " << gigabytes(available)
     << " of memory are available: use fewer points per step";
  if (sizes.dtype == DType::f64)
    os << ", f32 instead of f64";
  os << ", a narrower network";
  // Most parameters in an unshared first layer: sharing it across input
  // blocks removes them.
  bool unshared = sizes.firstLayerInputs == 0 || sizes.firstLayerInputs == sizes.inputDim;
  if (unshared && 2.0 * double(sizes.inputDim) * double(sizes.width) > double(sizes.numParams))
    os << ", a first layer shared across blocks of input coordinates (--share-block B, B "
          "dividing the "
       << sizes.inputDim << " inputs)";
  if (spec.method != TrainingMethod::zo) {
    TrainingSpec zo = spec;
    zo.method = TrainingMethod::zo;
    MemoryEstimate other = estimateTrainingMemory(sizes, zo);
    os << ", or the zeroth-order method (--method zo), which keeps no gradient or moments and "
          "needs "
       << other.describe()
       << (other.total() <= available ? "" : ", also more than is available");
  }
  return Status::error(os.str());
}

Expected<TrainingSizes> stde::problemSizes(const ProblemOptions &o) {
  // The options the problem itself refuses are its messages, not ours.
  if (Status valid = problemOptionsValid(o, /*drawLimits=*/false); !valid)
    return valid;
  TrainingSizes s;
  s.dtype = o.dtype;
  s.points = o.points;
  s.width = o.width;
  s.depth = o.depth;
  std::string name = o.name;
  // The terminal-value problems on Brownian points (semilinear heat, the
  // time-dependent Allen-Cahn and Sine-Gordon) read (x, t).
  bool brownian = false, kdv = name == "gkdv", random = true;
  for (const ProblemInfo &info : problemCatalog())
    if (info.name == name) {
      brownian = info.domain == "brownian";
      random = info.usesEstimator;
    }
  s.inputDim = kdv ? 2 : brownian ? o.dim + 1 : o.dim;
  s.firstLayerInputs = o.shareBlock > 0 ? o.shareBlock : s.inputDim;
  int64_t in = s.firstLayerInputs, w = o.width;
  double params = o.depth == 1 ? double(in + 1)
                               : double(in) * double(w) + double(w) +
                                     double(o.depth - 2) * (double(w) * double(w) + double(w)) +
                                     double(w) + 1.0;
  s.numParams = int64_t(std::min(params, 9.0e18));
  s.order = name == "biharmonic" ? 4 : kdv ? 3 : 2;
  const Estimator &e = o.estimator;
  if (kdv) {
    s.directions = 1;
  } else if (e.kind == Estimator::Kind::exact) {
    s.directions = name == "biharmonic" ? o.dim * (o.dim + 1) / 2 : o.dim;
  } else {
    s.directions = e.samples;
    // Their sampled coordinates become dense tangents in the
    // step as compiled today (measured), like a dense estimator's. A time
    // scale (the input times (1, ..., 1, C)) keeps the space coordinates'
    // one-hot tangents one-hot (dialects/jet/OneHotTimesConstant.h).
    s.denseDirections = e.kind == Estimator::Kind::dense || brownian;
  }
  if (o.gradientWeight > 0 && !kdv) {
    // gPINN: the residual's partials push about three more jets of order
    // up to 4 per sampled coordinate j (u_iij by the planner's 4-jets, u_j):
    // max(m, samples) directions each (sparse, dense), or every (i, j) pair.
    int64_t spatial = o.dim;
    int64_t m = o.gradientSamples > 0 ? std::min(o.gradientSamples, spatial) : spatial;
    int64_t perJet = e.kind == Estimator::Kind::exact ? spatial * m : std::max(m, e.samples);
    s.directions += 3 * perJet;
    s.order = std::max<int64_t>(s.order, 4);
  }
  // The unbiased form computes every random residual twice.
  if (o.unbiasedLoss && random && e.kind != Estimator::Kind::exact)
    s.directions *= 2;
  if (brownian)
    s.testBatch = 1; // the error is measured at one reference point
  return s;
}

void stde::setTemporaryMemoryLimit(double bytes) {
  runtime::setBufferPoolLimit(bytes > 0 ? size_t(std::min(bytes, 1.8e19)) : 0);
}
