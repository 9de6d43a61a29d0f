//===- Training.cpp - compiled training steps on the CPU ------------------===//
#include "stde/API/Training.h"
#include "Jit.h"
#include "TrainingModule.h"

#include "runtime/Philox.h"

#include <cmath>

using namespace stde;

TrainingProgram::~TrainingProgram() = default;

static Status notZerothOrder() {
  return Status::error("this program trains with STDE (TrainingMethod::stde): it has no "
                       "zeroth-order entry points; compile with TrainingSpec::method = zo");
}
Status TrainingProgram::zoPairLosses(const void *, const void *, uint64_t, int64_t, int64_t,
                                     int64_t, double *) const {
  return notZerothOrder();
}
Status TrainingProgram::zoDirections(uint64_t, int64_t, int64_t, void *) const {
  return notZerothOrder();
}
Status TrainingProgram::zoFold(void *, void *, uint64_t, int64_t) const { return notZerothOrder(); }

int64_t stde::zoEpochOf(const ZoSpec &zo, int64_t step) {
  int64_t epoch = 0;
  double length = double(std::max<int64_t>(1, zo.refresh));
  for (int64_t start = 0;; ++epoch) {
    start += int64_t(std::ceil(length));
    if (step < start)
      return epoch;
    length *= std::max(1.0, zo.refreshGrowth);
  }
}

namespace {

template <typename T>
void kaimingUniform(const std::vector<LayerShape> &layers, int64_t numParams, uint64_t seed,
                    std::vector<T> &params) {
  params.assign(numParams, T(0));
  for (const LayerShape &layer : layers) {
    double bound = 1.0 / std::sqrt(double(layer.in));
    int64_t size = layer.out * (layer.in + 1);
    for (int64_t i = 0; i < size; ++i) {
      int64_t index = layer.offset + i;
      double u = runtime::uniformAt(seed, runtime::streams::initialization, 0, uint32_t(index));
      params[index] = T((2.0 * u - 1.0) * bound);
    }
  }
}

/// The JIT entry points (null where the problem has no such entry).
struct Entries {
  void (*step)(void **) = nullptr, (*gradient)(void **) = nullptr,
      (*testError)(void **) = nullptr, (*samplePoints)(void **) = nullptr,
      (*sampleBoundary)(void **) = nullptr, (*loss)(void **) = nullptr;
  // TrainingMethod::zo (step and gradient are then null).
  void (*zoStep)(void **) = nullptr, (*zoFold)(void **) = nullptr, (*zoPair)(void **) = nullptr,
      (*zoDirections)(void **) = nullptr;
};

class CpuTrainingProgram final : public TrainingProgram {
public:
  CpuTrainingProgram(const TrainingModuleInfo &info, const TrainingSpec &spec,
                     std::shared_ptr<mlir::ExecutionEngine> engine, const Entries &entries)
      : engine(std::move(engine)), entries(entries) {
    numParams_ = info.numParams;
    dim_ = info.dim;
    spatialDim_ = info.spatialDim;
    points_ = info.points;
    boundaryPoints_ = info.boundaryPoints;
    testBatch_ = info.testBatch;
    dtype_ = info.dtype;
    errorMetric_ = info.errorMetric;
    layers_ = info.layers;
    stateSize_ = info.stateSize;
    zoPairs = info.zoPairs;
    spec_ = spec;
  }

  bool isZerothOrder() const { return entries.zoStep != nullptr; }

  Status loss(const void *params, uint64_t seed, int64_t step, double *loss) const override {
    if (!params || !loss)
      return Status::error("loss: params and loss must not be null");
    double scalars[1];
    auto p = describe(params, {numParams_}), l = describe(scalars, {1});
    void *pp = &p, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &s, &step, &pl};
    entries.loss(args);
    *loss = readScalar(scalars, 0);
    return Status::success();
  }

  Status zoPairLosses(const void *params, const void *state, uint64_t seed, int64_t spaceStep,
                      int64_t paramStep, int64_t epoch, double *losses) const override {
    if (!isZerothOrder())
      return TrainingProgram::zoPairLosses(params, state, seed, spaceStep, paramStep, epoch, losses);
    if (!params || !state || !losses)
      return Status::error("zoPairLosses: params, state and losses must not be null");
    std::vector<double> out(2 * zoPairs);
    auto p = describe(params, {numParams_}), st = describe(state, {stateSize_}),
         o = describe(out.data(), {2 * zoPairs});
    void *pp = &p, *ps = &st, *po = &o;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &ps, &s, &spaceStep, &paramStep, &epoch, &po};
    entries.zoPair(args);
    for (int64_t i = 0; i < 2 * zoPairs; ++i)
      losses[i] = readScalar(out.data(), int(i));
    return Status::success();
  }

  Status zoDirections(uint64_t seed, int64_t paramStep, int64_t epoch,
                      void *directions) const override {
    if (!isZerothOrder())
      return TrainingProgram::zoDirections(seed, paramStep, epoch, directions);
    if (!directions)
      return Status::error("zoDirections: the output buffer must not be null");
    auto d = describe(directions, {zoPairs * numParams_});
    void *pd = &d;
    int64_t s = int64_t(seed);
    void *args[] = {&s, &paramStep, &epoch, &pd};
    entries.zoDirections(args);
    return Status::success();
  }

  Status zoFold(void *params, void *state, uint64_t seed, int64_t epoch) const override {
    if (!isZerothOrder())
      return TrainingProgram::zoFold(params, state, seed, epoch);
    if (!params || !state)
      return Status::error("zoFold: params and state must not be null");
    auto p = describe(params, {numParams_}), st = describe(state, {stateSize_});
    void *pp = &p, *ps = &st;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &ps, &s, &epoch};
    entries.zoFold(args);
    return Status::success();
  }

  Status lossAndGradient(const void *params, uint64_t seed, int64_t step, double *loss,
                         void *grad) const override {
    if (isZerothOrder())
      return Status::error("lossAndGradient: a zeroth-order program (TrainingMethod::zo) "
                           "computes no gradient; use loss() or zoPairLosses()");
    if (!params || !grad || !loss)
      return Status::error("lossAndGradient: params, loss and grad must not be null");
    double scalars[1];
    auto p = describe(params, {numParams_}), g = describe(grad, {numParams_}),
         l = describe(scalars, {1});
    void *pp = &p, *pg = &g, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &s, &step, &pl, &pg};
    entries.gradient(args);
    *loss = readScalar(scalars, 0);
    return Status::success();
  }

  Status step(void *params, void *m, void *v, uint64_t seed, int64_t step,
              double *loss) const override {
    if (!params || !m || !v)
      return Status::error("step: params, m and v must not be null");
    if (step < 0)
      return Status::error("step: the step index must be >= 0");
    if (isZerothOrder())
      return zoStep(params, m, seed, step, loss);
    double scalars[1];
    auto p = describe(params, {numParams_}), dm = describe(m, {numParams_}),
         dv = describe(v, {numParams_}), l = describe(scalars, {1});
    void *pp = &p, *pm = &dm, *pv = &dv, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &pm, &pv, &s, &step, &pl};
    entries.step(args);
    if (loss)
      *loss = readScalar(scalars, 0);
    return Status::success();
  }

  Status testError(const void *params, uint64_t seed, int64_t points,
                   TestError *out) const override {
    if (errorMetric_ == ErrorMetric::none)
      return Status::error("the problem defines no @u_exact and no stde.reference: there is no "
                           "error to measure");
    if (!params || !out)
      return Status::error("testError: params and out must not be null");
    int64_t chunks = errorMetric_ == ErrorMetric::referencePoint
                         ? 1
                         : std::max<int64_t>(1, points / testBatch_);
    double squaredError = 0.0, squaredNorm = 0.0, sum = 0.0;
    for (int64_t chunk = 0; chunk < chunks; ++chunk) {
      double scalars[3];
      auto p = describe(params, {numParams_}), o = describe(scalars, {3});
      void *pp = &p, *po = &o;
      int64_t s = int64_t(seed);
      void *args[] = {&pp, &s, &chunk, &po};
      entries.testError(args);
      squaredError += readScalar(scalars, 0);
      squaredNorm += readScalar(scalars, 1);
      sum += readScalar(scalars, 2);
    }
    if (!(squaredNorm > 0.0))
      return Status::error("the exact solution is zero on every test point: the relative error "
                           "is undefined");
    out->relL2 = std::sqrt(squaredError / squaredNorm);
    out->points = chunks * testBatch_;
    out->value = sum / double(out->points);
    return Status::success();
  }

  Status samplePoints(uint64_t seed, int64_t step, void *interior,
                      void *boundary) const override {
    if (!interior || (boundaryPoints_ > 0 && !boundary))
      return Status::error("samplePoints: the interior buffer (and the boundary buffer when the "
                           "problem has boundary points) must not be null");
    int64_t s = int64_t(seed);
    auto sample = [&](void (*entry)(void **), void *buffer, int64_t n) {
      auto d = describe(buffer, {n, dim_});
      void *pd = &d;
      void *args[] = {&s, &step, &pd};
      entry(args);
    };
    sample(entries.samplePoints, interior, points_);
    if (boundaryPoints_ > 0)
      sample(entries.sampleBoundary, boundary, boundaryPoints_);
    return Status::success();
  }

private:
  /// A refresh between step - 1 and step first folds the old subspace's
  /// cores into the weights; then the paired evaluation and the update.
  Status zoStep(void *params, void *state, uint64_t seed, int64_t step, double *loss) const {
    int64_t epoch = zoEpochOf(spec_.zo, step);
    if (step > 0) {
      int64_t previous = zoEpochOf(spec_.zo, step - 1);
      if (previous != epoch)
        if (Status s = zoFold(params, state, seed, previous); !s)
          return s;
    }
    double scalars[1];
    auto p = describe(params, {numParams_}), st = describe(state, {stateSize_}),
         l = describe(scalars, {1});
    void *pp = &p, *ps = &st, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &ps, &s, &step, &epoch, &pl};
    entries.zoStep(args);
    if (loss)
      *loss = readScalar(scalars, 0);
    return Status::success();
  }

  /// Scalars come back in the module's element type.
  double readScalar(const double *buffer, int i) const {
    return dtype_ == DType::f32 ? double(reinterpret_cast<const float *>(buffer)[i]) : buffer[i];
  }

  std::shared_ptr<mlir::ExecutionEngine> engine;
  Entries entries;
  int64_t zoPairs = 0;
};

} // namespace

void TrainingProgram::initialize(uint64_t seed, std::vector<double> &params) const {
  kaimingUniform(layers_, numParams_, seed, params);
}
void TrainingProgram::initialize(uint64_t seed, std::vector<float> &params) const {
  kaimingUniform(layers_, numParams_, seed, params);
}

Expected<std::shared_ptr<const TrainingProgram>>
stde::makeCpuTrainingProgram(TrainingModule &built, const TrainingSpec &spec) {
  auto engine = jitCompile(*built.module);
  if (!engine)
    return Status::error(engine.error());
  Entries entries;
  auto find = [&](const char *name, void (*&entry)(void **)) -> Status {
    auto found = lookupEntry(**engine, name);
    if (!found)
      return Status::error(found.error());
    entry = *found;
    return Status::success();
  };
  const TrainingModuleInfo &info = built.info;
  bool zo = spec.method == TrainingMethod::zo;
  auto either = [&](bool which, const char *name, void (*&entry)(void **)) {
    return which ? find(name, entry) : Status::success();
  };
  for (Status s : {either(!zo, kTrainStepEntry, entries.step),
                   either(!zo, kGradientEntry, entries.gradient),
                   either(zo, kZoStepEntry, entries.zoStep), either(zo, kZoFoldEntry, entries.zoFold),
                   either(zo, kZoPairEntry, entries.zoPair),
                   either(zo, kZoDirectionsEntry, entries.zoDirections),
                   find(kLossEntry, entries.loss), find(kSamplePointsEntry, entries.samplePoints),
                   info.errorMetric != ErrorMetric::none ? find(kTestErrorEntry, entries.testError)
                                                         : Status::success(),
                   info.boundaryPoints > 0 ? find(kSampleBoundaryEntry, entries.sampleBoundary)
                                           : Status::success()})
    if (!s)
      return s;
  return std::shared_ptr<const TrainingProgram>(
      std::make_shared<CpuTrainingProgram>(info, spec, std::move(*engine), entries));
}

Expected<Rewrites> stde::rewritesWithout(const std::string &names) {
  Rewrites r;
  const std::pair<const char *, bool Rewrites::*> known[] = {
      {"collapse", &Rewrites::collapse},
      {"merge", &Rewrites::merge},
      {"one-hot", &Rewrites::oneHot},
      {"zero", &Rewrites::zero},
      {"runtime-matmul", &Rewrites::runtimeMatmul}};
  size_t start = 0;
  while (start < names.size()) {
    size_t comma = names.find(',', start);
    std::string name = names.substr(start, comma == std::string::npos ? comma : comma - start);
    start = comma == std::string::npos ? names.size() : comma + 1;
    if (name.empty())
      continue;
    bool found = false;
    for (const auto &[knownName, member] : known)
      if (name == knownName) {
        r.*member = false;
        found = true;
      }
    if (!found)
      return Status::error("unknown rewrite '" + name +
                           "' (known: collapse, merge, one-hot, zero, runtime-matmul)");
  }
  return r;
}
