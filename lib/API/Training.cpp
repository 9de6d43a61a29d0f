//===- Training.cpp - compiled training steps on the CPU or a GPU ---------===//
#include "stde/API/Training.h"
#include "Jit.h"
#include "TrainingModule.h"

#include "runtime/CudaRuntime.h"
#include "runtime/GpuEmulator.h"
#include "runtime/Matmul.h"
#include "runtime/Philox.h"

#include <cmath>
#include <cstring>
#include <mutex>

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

/// Where a program's compiled calls run: the CPU (no runtime), the CUDA
/// runtime, or the GPU emulator (kernels on the CPU, in host memory).
struct Device {
  runtime::CudaRuntime *gpu = nullptr;
  bool emulated = false;
};

/// The caller's buffers as a compiled call sees them. On the CPU (and the
/// emulator) they are passed as they are. On the GPU the kernels cannot read
/// host memory: each buffer is copied into managed memory before the call
/// (unless the call only writes it) and back after it (unless it only reads
/// it), and finish() waits for the kernels and turns a CUDA error into a
/// Status. With the emulator, finish() reports what it found: an error, or
/// work the compiled code left queued after it returned (a missing wait).
class Staging {
public:
  explicit Staging(Device device) : gpu(device.gpu), emulated(device.emulated) {
    // The emulator has one queue for the process: one emulated call at a
    // time, so that each call's waits and checks see only its own work.
    if (emulated)
      emulatorCall = std::unique_lock<std::mutex>(emulatorCalls());
  }
  Staging(const Staging &) = delete;
  ~Staging() {
    for (Copy &c : copies)
      gpu->release(c.device);
  }

  void *in(const void *host, size_t bytes) { return stage(const_cast<void *>(host), bytes, true, false); }
  void *inOut(void *host, size_t bytes) { return stage(host, bytes, true, true); }
  void *out(void *host, size_t bytes) { return stage(host, bytes, false, true); }

  Status finish() {
    if (emulated)
      return emulatorStatus();
    if (!gpu)
      return Status::success();
    gpu->synchronize();
    if (std::string error = gpu->takeError(); !error.empty())
      return Status::error(error);
    for (Copy &c : copies)
      if (c.back)
        std::memcpy(c.host, c.device, c.bytes);
    return Status::success();
  }
  /// An allocation failed before the call (the message is the runtime's).
  Status failure() const { return failed; }
  bool ok() const { return failed.ok(); }

private:
  struct Copy {
    void *host, *device;
    size_t bytes;
    bool back;
  };
  void *stage(void *host, size_t bytes, bool copyIn, bool copyBack) {
    if (!gpu || gpu->owns(host, bytes))
      return host; // host memory on the CPU; a StateBuffer on the GPU
    void *device = gpu->allocate(bytes);
    if (!device) {
      if (failed.ok())
        failed = Status::error(gpu->takeError());
      return host; // never launched: the call is skipped
    }
    if (copyIn)
      std::memcpy(device, host, bytes);
    copies.push_back({host, device, bytes, copyBack});
    return device;
  }
  static Status emulatorStatus() {
    runtime::GpuEmulator &emulator = runtime::GpuEmulator::global();
    if (std::string error = emulator.takeError(); !error.empty())
      return Status::error("GPU emulator: " + error);
    size_t pending = emulator.pending();
    emulator.synchronize(); // the frees left queued, and whatever a missing wait left
    if (pending)
      return Status::error("internal: the compiled call returned with " + std::to_string(pending) +
                           " kernel launches or copies not yet run (a missing wait; GPU emulator)");
    if (std::string error = emulator.takeError(); !error.empty())
      return Status::error("GPU emulator: " + error);
    return Status::success();
  }
  static std::mutex &emulatorCalls() {
    static std::mutex calls;
    return calls;
  }
  runtime::CudaRuntime *gpu;
  bool emulated;
  std::unique_lock<std::mutex> emulatorCall;
  std::vector<Copy> copies;
  Status failed = Status::success();
};

/// The JIT entry points (null where the problem has no such entry).
struct Entries {
  void (*step)(void **) = nullptr, (*gradient)(void **) = nullptr,
      (*testError)(void **) = nullptr, (*samplePoints)(void **) = nullptr,
      (*sampleBoundary)(void **) = nullptr, (*loss)(void **) = nullptr;
  // TrainingMethod::zo (step and gradient are then null).
  void (*zoStep)(void **) = nullptr, (*zoFold)(void **) = nullptr, (*zoPair)(void **) = nullptr,
      (*zoDirections)(void **) = nullptr;
};

class JitTrainingProgram final : public TrainingProgram {
public:
  JitTrainingProgram(const TrainingModuleInfo &info, const TrainingSpec &spec,
                     std::shared_ptr<mlir::ExecutionEngine> engine, const Entries &entries,
                     Device device)
      : engine(std::move(engine)), entries(entries), device(device) {
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

  Expected<StateBuffer> allocateState(size_t bytes) const override {
    runtime::CudaRuntime *gpu = device.gpu;
    if (!gpu)
      return TrainingProgram::allocateState(bytes);
    void *memory = gpu->allocate(bytes);
    if (!memory)
      return Status::error(gpu->takeError());
    std::memset(memory, 0, bytes);
    return StateBuffer(std::shared_ptr<void>(memory, [gpu](void *p) { gpu->release(p); }), bytes);
  }

  DeviceMemory deviceMemory() const override {
    if (device.gpu) {
      runtime::CudaMemoryStats stats = device.gpu->memoryStats();
      return {stats.liveBytes, stats.peakBytes};
    }
    if (device.emulated) {
      runtime::GpuEmulatorStats stats = runtime::GpuEmulator::global().stats();
      return {stats.deviceBytes, stats.peakDeviceBytes};
    }
    return {};
  }

  Status loss(const void *params, uint64_t seed, int64_t step, double *loss) const override {
    if (!params || !loss)
      return Status::error("loss: params and loss must not be null");
    double scalars[1];
    Staging st(device);
    auto p = describe(st.in(params, bytes(numParams_)), {numParams_}),
         l = describe(st.out(scalars, bytes(1)), {1});
    if (!st.ok())
      return st.failure();
    void *pp = &p, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &s, &step, &pl};
    entries.loss(args);
    if (Status done = st.finish(); !done)
      return done;
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
    Staging stage(device);
    auto p = describe(stage.in(params, bytes(numParams_)), {numParams_}),
         st = describe(stage.in(state, bytes(stateSize_)), {stateSize_}),
         o = describe(stage.out(out.data(), bytes(2 * zoPairs)), {2 * zoPairs});
    if (!stage.ok())
      return stage.failure();
    void *pp = &p, *ps = &st, *po = &o;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &ps, &s, &spaceStep, &paramStep, &epoch, &po};
    entries.zoPair(args);
    if (Status done = stage.finish(); !done)
      return done;
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
    Staging st(device);
    auto d = describe(st.out(directions, bytes(zoPairs * numParams_)), {zoPairs * numParams_});
    if (!st.ok())
      return st.failure();
    void *pd = &d;
    int64_t s = int64_t(seed);
    void *args[] = {&s, &paramStep, &epoch, &pd};
    entries.zoDirections(args);
    return st.finish();
  }

  Status zoFold(void *params, void *state, uint64_t seed, int64_t epoch) const override {
    if (!isZerothOrder())
      return TrainingProgram::zoFold(params, state, seed, epoch);
    if (!params || !state)
      return Status::error("zoFold: params and state must not be null");
    Staging stage(device);
    auto p = describe(stage.inOut(params, bytes(numParams_)), {numParams_}),
         st = describe(stage.inOut(state, bytes(stateSize_)), {stateSize_});
    if (!stage.ok())
      return stage.failure();
    void *pp = &p, *ps = &st;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &ps, &s, &epoch};
    entries.zoFold(args);
    return stage.finish();
  }

  Status lossAndGradient(const void *params, uint64_t seed, int64_t step, double *loss,
                         void *grad) const override {
    if (isZerothOrder())
      return Status::error("lossAndGradient: a zeroth-order program (TrainingMethod::zo) "
                           "computes no gradient; use loss() or zoPairLosses()");
    if (!params || !grad || !loss)
      return Status::error("lossAndGradient: params, loss and grad must not be null");
    double scalars[1];
    Staging st(device);
    auto p = describe(st.in(params, bytes(numParams_)), {numParams_}),
         g = describe(st.out(grad, bytes(numParams_)), {numParams_}),
         l = describe(st.out(scalars, bytes(1)), {1});
    if (!st.ok())
      return st.failure();
    void *pp = &p, *pg = &g, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &s, &step, &pl, &pg};
    entries.gradient(args);
    if (Status done = st.finish(); !done)
      return done;
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
    Staging st(device);
    auto p = describe(st.inOut(params, bytes(numParams_)), {numParams_}),
         dm = describe(st.inOut(m, bytes(numParams_)), {numParams_}),
         dv = describe(st.inOut(v, bytes(numParams_)), {numParams_}),
         l = describe(st.out(scalars, bytes(1)), {1});
    if (!st.ok())
      return st.failure();
    void *pp = &p, *pm = &dm, *pv = &dv, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &pm, &pv, &s, &step, &pl};
    entries.step(args);
    if (Status done = st.finish(); !done)
      return done;
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
      Staging st(device);
      auto p = describe(st.in(params, bytes(numParams_)), {numParams_}),
           o = describe(st.out(scalars, bytes(3)), {3});
      if (!st.ok())
        return st.failure();
      void *pp = &p, *po = &o;
      int64_t s = int64_t(seed);
      void *args[] = {&pp, &s, &chunk, &po};
      entries.testError(args);
      if (Status done = st.finish(); !done)
        return done;
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
      Staging st(device);
      auto d = describe(st.out(buffer, bytes(n * dim_)), {n, dim_});
      if (!st.ok())
        return st.failure();
      void *pd = &d;
      void *args[] = {&s, &step, &pd};
      entry(args);
      return st.finish();
    };
    if (Status done = sample(entries.samplePoints, interior, points_); !done)
      return done;
    if (boundaryPoints_ > 0)
      return sample(entries.sampleBoundary, boundary, boundaryPoints_);
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
    Staging stage(device);
    auto p = describe(stage.inOut(params, bytes(numParams_)), {numParams_}),
         st = describe(stage.inOut(state, bytes(stateSize_)), {stateSize_}),
         l = describe(stage.out(scalars, bytes(1)), {1});
    if (!stage.ok())
      return stage.failure();
    void *pp = &p, *ps = &st, *pl = &l;
    int64_t s = int64_t(seed);
    void *args[] = {&pp, &ps, &s, &step, &epoch, &pl};
    entries.zoStep(args);
    if (Status done = stage.finish(); !done)
      return done;
    if (loss)
      *loss = readScalar(scalars, 0);
    return Status::success();
  }

  /// Bytes of `n` values of the module's element type.
  size_t bytes(int64_t n) const { return size_t(n) * (dtype_ == DType::f32 ? 4 : 8); }

  /// Scalars come back in the module's element type.
  double readScalar(const double *buffer, int i) const {
    return dtype_ == DType::f32 ? double(reinterpret_cast<const float *>(buffer)[i]) : buffer[i];
  }

  std::shared_ptr<mlir::ExecutionEngine> engine;
  Entries entries;
  Device device;
  int64_t zoPairs = 0;
};

} // namespace

DeviceMemory TrainingProgram::deviceMemory() const { return {}; }

Expected<StateBuffer> TrainingProgram::allocateState(size_t bytes) const {
  void *memory = std::calloc(std::max<size_t>(bytes, 1), 1);
  if (!memory)
    return Status::error("cannot allocate " + std::to_string(bytes) +
                         " bytes of host memory for the training state");
  return StateBuffer(std::shared_ptr<void>(memory, std::free), bytes);
}

void TrainingProgram::initialize(uint64_t seed, std::vector<double> &params) const {
  kaimingUniform(layers_, numParams_, seed, params);
}
void TrainingProgram::initialize(uint64_t seed, std::vector<float> &params) const {
  kaimingUniform(layers_, numParams_, seed, params);
}

Expected<std::shared_ptr<const TrainingProgram>>
stde::makeJitTrainingProgram(TrainingModule &built, const TrainingSpec &spec) {
  Device device;
  device.emulated = spec.target == Target::gpuEmulator;
  if (spec.target == Target::cuda) {
    std::string error;
    device.gpu = runtime::CudaRuntime::global(&error);
    if (!device.gpu)
      return Status::error(error);
  }
  if (spec.target == Target::cpu && spec.cpuThreads > 0)
    runtime::setMatmulThreads(int(spec.cpuThreads));
  auto engine = jitCompile(*built.module, device.gpu        ? JitRuntime::cuda
                                          : device.emulated ? JitRuntime::emulator
                                                            : JitRuntime::cpu);
  if (device.gpu)
    if (std::string error = device.gpu->takeError(); !error.empty())
      return Status::error(error); // loading the PTX failed
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
      std::make_shared<JitTrainingProgram>(info, spec, std::move(*engine), entries, device));
}

Expected<Rewrites> stde::rewritesWithout(const std::string &names) {
  Rewrites r;
  const std::pair<const char *, bool Rewrites::*> known[] = {
      {"collapse", &Rewrites::collapse},
      {"merge", &Rewrites::merge},
      {"one-hot", &Rewrites::oneHot},
      {"zero", &Rewrites::zero},
      {"runtime-matmul", &Rewrites::runtimeMatmul},
      {"threads", &Rewrites::threads}};
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
                           "' (known: collapse, merge, one-hot, zero, runtime-matmul, threads)");
  }
  return r;
}
