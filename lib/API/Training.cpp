//===- Training.cpp - compiled training steps on the CPU or a GPU ---------===//
#include "stde/API/Training.h"
#include "ZerothOrderProbe.h"
#include "Jit.h"
#include "DeviceCalls.h"
#include "TrainingModule.h"

#include "runtime/CudaRuntime.h"
#include "runtime/GpuEmulator.h"
#include "runtime/Matmul.h"
#include "runtime/Mpi.h"
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

class JitTrainingProgram final : public TrainingProgram {
public:
  JitTrainingProgram(const TrainingModuleInfo &info, const TrainingSpec &spec,
                     std::shared_ptr<mlir::ExecutionEngine> engine, CompiledEntries entries,
                     Device device, std::vector<std::string> remarks,
                     std::vector<std::string> estimators, std::string source)
      : engine(std::move(engine)), entries(std::move(entries)), device(device),
        sizes(info.entrySizes()), source(std::move(source)) {
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
    spec_ = spec;
    remarks_ = std::move(remarks);
    estimators_ = std::move(estimators);
  }

  bool isZerothOrder() const { return spec_.method == TrainingMethod::zo; }

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
    EntryCall c = call(entry::loss);
    c.input("params", params).integer("seed", int64_t(seed)).integer("step", step);
    c.buffer("loss", scalars);
    if (Status done = c.run(); !done)
      return done;
    *loss = readScalar(scalars, 0);
    return Status::success();
  }

  Status zoPairLosses(const void *params, const void *state, uint64_t seed, int64_t spaceStep,
                      int64_t paramStep, int64_t epoch, double *losses) const {
    if (!isZerothOrder())
      return notZerothOrder();
    if (!params || !state || !losses)
      return Status::error("zoPairLosses: params, state and losses must not be null");
    const LoadedProgram *probe = probes();
    if (!probe)
      return Status::error(probeError);
    std::vector<double> out(2 * sizes.zoPairs);
    EntryCall c = call(*probe, entry::zoPair);
    c.input("params", params).input("state", state).integer("seed", int64_t(seed));
    c.integer("step", spaceStep).integer("pstep", paramStep).integer("epoch", epoch);
    c.buffer("losses", out.data());
    if (Status done = c.run(); !done)
      return done;
    for (int64_t i = 0; i < 2 * sizes.zoPairs; ++i)
      losses[i] = readScalar(out.data(), int(i));
    return Status::success();
  }

  Status zoDirections(uint64_t seed, int64_t paramStep, int64_t epoch,
                      void *directions) const {
    if (!isZerothOrder())
      return notZerothOrder();
    if (!directions)
      return Status::error("zoDirections: the output buffer must not be null");
    const LoadedProgram *probe = probes();
    if (!probe)
      return Status::error(probeError);
    EntryCall c = call(*probe, entry::zoDirections);
    c.integer("seed", int64_t(seed)).integer("pstep", paramStep).integer("epoch", epoch);
    c.buffer("directions", directions);
    return c.run();
  }

  Status zoFold(void *params, void *state, uint64_t seed, int64_t epoch) const {
    if (!isZerothOrder())
      return notZerothOrder();
    if (!params || !state)
      return Status::error("zoFold: params and state must not be null");
    EntryCall c = call(entry::zoFold);
    c.buffer("params", params).buffer("state", state).integer("seed", int64_t(seed));
    c.integer("epoch", epoch);
    return c.run();
  }

  Status lossAndGradient(const void *params, uint64_t seed, int64_t step, double *loss,
                         void *grad) const override {
    if (isZerothOrder())
      return Status::error("lossAndGradient: a zeroth-order program (TrainingMethod::zo) "
                           "computes no gradient; use loss() or step()");
    if (!params || !grad || !loss)
      return Status::error("lossAndGradient: params, loss and grad must not be null");
    double scalars[1];
    EntryCall c = call(entry::gradient);
    c.input("params", params).integer("seed", int64_t(seed)).integer("step", step);
    c.buffer("loss", scalars).buffer("grad", grad);
    if (Status done = c.run(); !done)
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
    EntryCall c = call(entry::trainStep);
    c.buffer("params", params).buffer("m", m).buffer("v", v);
    c.integer("seed", int64_t(seed)).integer("step", step).buffer("loss", scalars);
    if (Status done = c.run(); !done)
      return done;
    if (loss)
      *loss = readScalar(scalars, 0);
    return Status::success();
  }

  Status testError(const void *params, uint64_t seed, int64_t points, TestError *out,
                   const std::atomic<bool> *cancel = nullptr) const override {
    if (errorMetric_ == ErrorMetric::none)
      return Status::error("the problem defines no @u_exact and no stde.reference: there is no "
                           "error to measure");
    if (!params || !out)
      return Status::error("testError: params and out must not be null");
    int64_t chunks = errorMetric_ == ErrorMetric::referencePoint
                         ? 1
                         : std::max<int64_t>(1, points / testBatch_);
    double squaredError = 0.0, squaredNorm = 0.0, sum = 0.0;
    // Data parallel: rank r evaluates the batches r, r + P, ... and the
    // sums are added over the ranks. Every rank runs to the end (a rank
    // that stopped early would leave the others waiting in the sum).
    const DataParallel &parallel = spec_.parallel;
    for (int64_t chunk = parallel.rank; chunk < chunks; chunk += parallel.ranks) {
      if (parallel.ranks == 1 && cancel && cancel->load())
        return Status::error("the test-error evaluation was interrupted after " +
                             std::to_string(chunk) + " of " + std::to_string(chunks) +
                             " batches");
      double scalars[3];
      EntryCall c = call(entry::testError);
      c.input("params", params).integer("seed", int64_t(seed)).integer("chunk", chunk);
      c.buffer("sums", scalars);
      if (Status done = c.run(); !done)
        return done;
      squaredError += readScalar(scalars, 0);
      squaredNorm += readScalar(scalars, 1);
      sum += readScalar(scalars, 2);
    }
    if (parallel.ranks > 1) {
      std::string error;
      runtime::Mpi *mpi = runtime::Mpi::world(&error);
      double sums[3] = {squaredError, squaredNorm, sum};
      if (!mpi || !mpi->sum(sums, 3, error))
        return Status::error("summing the test error over the ranks: " + error);
      squaredError = sums[0];
      squaredNorm = sums[1];
      sum = sums[2];
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
    auto sample = [&](const EntrySignature &signature, void *buffer) {
      EntryCall c = call(signature);
      c.integer("seed", int64_t(seed)).integer("step", step).buffer("points", buffer);
      return c.run();
    };
    if (Status done = sample(entry::samplePoints, interior); !done)
      return done;
    if (boundaryPoints_ > 0)
      return sample(entry::sampleBoundary, boundary);
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
    EntryCall c = call(entry::zoStep);
    c.buffer("params", params).buffer("state", state).integer("seed", int64_t(seed));
    c.integer("step", step).integer("epoch", epoch).buffer("loss", scalars);
    if (Status done = c.run(); !done)
      return done;
    if (loss)
      *loss = readScalar(scalars, 0);
    return Status::success();
  }

  EntryCall call(const EntrySignature &signature) const { return call(entries, signature); }
  EntryCall call(const LoadedProgram &program, const EntrySignature &signature) const {
    return call(program.entries, signature);
  }
  EntryCall call(const CompiledEntries &from, const EntrySignature &signature) const {
    return from.call(signature, device, sizes, dtype_ == DType::f32 ? 4 : 8);
  }

  /// The zeroth-order probes' entries (EntrySet::zoProbes), compiled at
  /// their first use from the same problem and spec in a context of their
  /// own; null with probeError set if that failed.
  const LoadedProgram *probes() const {
    std::call_once(probesCompiled, [this] {
      mlir::MLIRContext context(compilerRegistry());
      prepareCompilerContext(context);
      auto built = buildTrainingModule(context, source, spec_, Stage::llvm, EntrySet::zoProbes);
      if (!built) {
        probeError = "compiling the zeroth-order probes: " + built.error();
        return;
      }
      auto loaded = loadProgram(*built, spec_);
      if (!loaded) {
        probeError = "compiling the zeroth-order probes: " + loaded.error();
        return;
      }
      probeProgram = std::make_unique<LoadedProgram>(std::move(*loaded));
    });
    return probeProgram.get();
  }

  /// Scalars come back in the module's element type.
  double readScalar(const double *buffer, int i) const {
    return dtype_ == DType::f32 ? double(reinterpret_cast<const float *>(buffer)[i]) : buffer[i];
  }

  std::shared_ptr<mlir::ExecutionEngine> engine;
  CompiledEntries entries;
  Device device;
  EntrySizes sizes;
  std::string source; ///< zeroth order: the problem, for the probes (else empty)
  mutable std::once_flag probesCompiled;
  mutable std::unique_ptr<LoadedProgram> probeProgram;
  mutable std::string probeError;
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

void stde::initializeParams(const std::vector<LayerShape> &layers, int64_t numParams,
                            uint64_t seed, std::vector<double> &params) {
  kaimingUniform(layers, numParams, seed, params);
}
void stde::initializeParams(const std::vector<LayerShape> &layers, int64_t numParams,
                            uint64_t seed, std::vector<float> &params) {
  kaimingUniform(layers, numParams, seed, params);
}

void TrainingProgram::initialize(uint64_t seed, std::vector<double> &params) const {
  initializeParams(layers_, numParams_, seed, params);
}
void TrainingProgram::initialize(uint64_t seed, std::vector<float> &params) const {
  initializeParams(layers_, numParams_, seed, params);
}

Expected<LoadedProgram> stde::loadProgram(TrainingModule &built, const TrainingSpec &spec) {
  LoadedProgram loaded;
  Device &device = loaded.device;
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
  loaded.engine = std::move(*engine);
  for (const EntrySignature &signature : built.entries) {
    auto found = lookupEntry(*loaded.engine, signature.symbol.str());
    if (!found)
      return Status::error(found.error());
    loaded.entries.add(signature, *found);
  }
  return loaded;
}

Expected<std::shared_ptr<const TrainingProgram>>
stde::makeJitTrainingProgram(TrainingModule &built, const TrainingSpec &spec) {
  auto loaded = loadProgram(built, spec);
  if (!loaded)
    return Status::error(loaded.error());
  return std::shared_ptr<const TrainingProgram>(std::make_shared<JitTrainingProgram>(
      built.info, spec, std::move(loaded->engine), std::move(loaded->entries), loaded->device,
      built.remarks, built.estimators,
      spec.method == TrainingMethod::zo ? built.source : std::string()));
}

Expected<Rewrites> stde::rewritesWithout(const std::string &names) {
  Rewrites r;
  const std::pair<const char *, bool Rewrites::*> known[] = {
      {"collapse", &Rewrites::collapse},
      {"merge", &Rewrites::merge},
      {"one-hot", &Rewrites::oneHot},
      {"zero", &Rewrites::zero},
      {"runtime-matmul", &Rewrites::runtimeMatmul},
      {"threads", &Rewrites::threads},
      {"math-lanes", &Rewrites::mathLanes},
      {"stack-products", &Rewrites::stackProducts}};
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
                           "' (known: collapse, merge, one-hot, zero, runtime-matmul, threads, "
                           "math-lanes, stack-products)");
  }
  return r;
}

// ZerothOrderProbe.h: the zeroth-order entries of a program compiled here.
static const JitTrainingProgram *jitProgram(const TrainingProgram &program) {
  return dynamic_cast<const JitTrainingProgram *>(&program);
}

static Status notCompiledHere() {
  return Status::error("ZerothOrderProbe: the program was not compiled by stde::Compiler");
}

Status ZerothOrderProbe::pairLosses(const void *params, const void *state, uint64_t seed,
                                    int64_t spaceStep, int64_t paramStep, int64_t epoch,
                                    double *losses) const {
  const JitTrainingProgram *jit = jitProgram(program);
  return jit ? jit->zoPairLosses(params, state, seed, spaceStep, paramStep, epoch, losses)
             : notCompiledHere();
}

Status ZerothOrderProbe::directions(uint64_t seed, int64_t paramStep, int64_t epoch,
                                    void *out) const {
  const JitTrainingProgram *jit = jitProgram(program);
  return jit ? jit->zoDirections(seed, paramStep, epoch, out) : notCompiledHere();
}

Status ZerothOrderProbe::fold(void *params, void *state, uint64_t seed, int64_t epoch) const {
  const JitTrainingProgram *jit = jitProgram(program);
  return jit ? jit->zoFold(params, state, seed, epoch) : notCompiledHere();
}
