//===- Training.cpp - compiled training steps on the CPU ------------------===//
#include "stde/API/Training.h"
#include "Jit.h"
#include "TrainingModule.h"

#include "runtime/Philox.h"

#include <cmath>

using namespace stde;

TrainingProgram::~TrainingProgram() = default;

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

class CpuTrainingProgram final : public TrainingProgram {
public:
  CpuTrainingProgram(const TrainingModuleInfo &info, const TrainingSpec &spec,
                     std::shared_ptr<mlir::ExecutionEngine> engine, void (*step)(void **),
                     void (*gradient)(void **), void (*testError)(void **))
      : engine(std::move(engine)), stepEntry(step), gradientEntry(gradient),
        testErrorEntry(testError) {
    numParams_ = info.numParams;
    dim_ = info.dim;
    points_ = info.points;
    testBatch_ = info.testBatch;
    dtype_ = info.dtype;
    hasExact_ = info.hasExact;
    layers_ = info.layers;
    spec_ = spec;
  }

  Status lossAndGradient(const void *params, uint64_t seed, int64_t step, double *loss,
                         void *grad) const override {
    if (!params || !grad || !loss)
      return Status::error("lossAndGradient: params, loss and grad must not be null");
    double scalars[1];
    auto p = describe(params, {numParams_}), g = describe(grad, {numParams_}),
         l = describe(scalars, {1});
    void *pp = &p, *pg = &g, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &s, &step, &pl, &pg};
    gradientEntry(args);
    *loss = readScalar(scalars, 0);
    return Status::success();
  }

  Status step(void *params, void *m, void *v, uint64_t seed, int64_t step,
              double *loss) const override {
    if (!params || !m || !v)
      return Status::error("step: params, m and v must not be null");
    if (step < 0)
      return Status::error("step: the step index must be >= 0");
    double scalars[1];
    auto p = describe(params, {numParams_}), dm = describe(m, {numParams_}),
         dv = describe(v, {numParams_}), l = describe(scalars, {1});
    void *pp = &p, *pm = &dm, *pv = &dv, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &pm, &pv, &s, &step, &pl};
    stepEntry(args);
    if (loss)
      *loss = readScalar(scalars, 0);
    return Status::success();
  }

  Status testError(const void *params, uint64_t seed, int64_t points,
                   TestError *out) const override {
    if (!hasExact_)
      return Status::error("the problem defines no @u_exact: there is no error to measure");
    if (!params || !out)
      return Status::error("testError: params and out must not be null");
    int64_t chunks = std::max<int64_t>(1, points / testBatch_);
    double squaredError = 0.0, squaredNorm = 0.0;
    for (int64_t chunk = 0; chunk < chunks; ++chunk) {
      double scalars[2];
      auto p = describe(params, {numParams_}), o = describe(scalars, {2});
      void *pp = &p, *po = &o;
      int64_t s = int64_t(seed);
      void *args[] = {&pp, &s, &chunk, &po};
      testErrorEntry(args);
      squaredError += readScalar(scalars, 0);
      squaredNorm += readScalar(scalars, 1);
    }
    if (!(squaredNorm > 0.0))
      return Status::error("the exact solution is zero on every test point: the relative error "
                           "is undefined");
    out->relL2 = std::sqrt(squaredError / squaredNorm);
    out->points = chunks * testBatch_;
    return Status::success();
  }

private:
  /// Scalars come back in the module's element type.
  double readScalar(const double *buffer, int i) const {
    return dtype_ == DType::f32 ? double(reinterpret_cast<const float *>(buffer)[i]) : buffer[i];
  }

  std::shared_ptr<mlir::ExecutionEngine> engine;
  void (*stepEntry)(void **), (*gradientEntry)(void **), (*testErrorEntry)(void **);
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
  auto step = lookupEntry(**engine, kTrainStepEntry);
  auto gradient = lookupEntry(**engine, kGradientEntry);
  if (!step || !gradient)
    return Status::error(step ? gradient.error() : step.error());
  void (*testError)(void **) = nullptr;
  if (built.info.hasExact) {
    auto entry = lookupEntry(**engine, kTestErrorEntry);
    if (!entry)
      return Status::error(entry.error());
    testError = *entry;
  }
  return std::shared_ptr<const TrainingProgram>(std::make_shared<CpuTrainingProgram>(
      built.info, spec, std::move(*engine), *step, *gradient, testError));
}
