//===- LossProgram.cpp - a compiled loss called on the caller's points ----===//
#include "LossModule.h"

#include <cstring>

using namespace stde;

LossProgram::~LossProgram() = default;

void LossProgram::initialize(uint64_t seed, std::vector<double> &params) const {
  initializeParams(layers_, numParams_, seed, params);
}
void LossProgram::initialize(uint64_t seed, std::vector<float> &params) const {
  initializeParams(layers_, numParams_, seed, params);
}

int64_t LossProgram::operatorValueCount(int64_t n, int64_t m) const {
  int64_t total = 0;
  for (const OperatorInfo &op : operators_)
    total += (op.boundary ? m : n) * op.perPoint;
  return total;
}

namespace {

/// A batch of the compiled size: the caller's n points, then copies of the
/// first (finite values whatever the padding feeds), and the weights that
/// make the loss the mean over the caller's points.
struct PaddedBatch {
  std::vector<char> points, weights;
};

template <typename T>
PaddedBatch pad(const T *points, int64_t n, int64_t capacity, int64_t dim) {
  PaddedBatch batch;
  batch.points.resize(size_t(capacity * dim) * sizeof(T));
  batch.weights.resize(size_t(capacity) * sizeof(T));
  T *out = reinterpret_cast<T *>(batch.points.data());
  T *weights = reinterpret_cast<T *>(batch.weights.data());
  std::memcpy(out, points, size_t(n * dim) * sizeof(T));
  for (int64_t i = n; i < capacity; ++i)
    std::memcpy(out + i * dim, points, size_t(dim) * sizeof(T));
  for (int64_t i = 0; i < capacity; ++i)
    weights[i] = i < n ? T(1) / T(n) : T(0);
  return batch;
}

class JitLossProgram final : public LossProgram {
public:
  JitLossProgram(const TrainingModule &built, LoadedProgram loaded)
      : engine(std::move(loaded.engine)), entries(std::move(loaded.entries)),
        device(loaded.device), sizes(built.info.entrySizes()), offsets(built.operatorOffsets) {
    numParams_ = built.info.numParams;
    dim_ = built.info.dim;
    maxPoints_ = built.info.points;
    maxBoundaryPoints_ = built.info.boundaryPoints;
    dtype_ = built.info.dtype;
    operators_ = built.operators;
    layers_ = built.info.layers;
  }

private:
  Status run(Kind kind, DType element, Buffer params, Buffer points, Buffer boundary,
             uint64_t seed, int64_t call, double *loss, MutableBuffer out) const override {
    const char *name = kind == Kind::loss       ? "loss"
                       : kind == Kind::gradient ? "lossAndGradient"
                                                : "operatorValues";
    auto bad = [&](const std::string &what) {
      return Status::error(std::string(name) + ": " + what);
    };
    if (element != dtype_)
      return bad(std::string("the program computes in ") +
                 (dtype_ == DType::f32 ? "f32: pass float" : "f64: pass double") + " buffers");
    if (!params.data || params.size != size_t(numParams_))
      return bad("params must hold numParams() = " + std::to_string(numParams_) + " values, got " +
                 std::to_string(params.size));
    auto count = [&](Buffer buffer, int64_t capacity, const char *what,
                     int64_t &n) -> Status {
      if (!buffer.data || buffer.size == 0 || buffer.size % size_t(dim_) != 0)
        return bad(std::string(what) + " must hold n x dim() = n x " + std::to_string(dim_) +
                   " values with n >= 1, got " + std::to_string(buffer.size));
      n = int64_t(buffer.size) / dim_;
      if (n > capacity)
        return bad(std::to_string(n) + " " + what + " points, more than the " +
                   std::to_string(capacity) +
                   " the program was compiled for (the problem's batch): write the problem "
                   "with a larger batch");
      return Status::success();
    };
    int64_t n = 0, m = 0;
    if (Status s = count(points, maxPoints_, "interior", n); !s)
      return s;
    if (maxBoundaryPoints_ > 0) {
      if (Status s = count(boundary, maxBoundaryPoints_, "boundary", m); !s)
        return s;
    } else if (boundary.size != 0) {
      return bad("the problem's loss takes no boundary points: pass an empty boundary");
    }
    if (kind == Kind::operators) {
      size_t needed = size_t(operatorValueCount(n, m));
      if (!out.data || out.size != needed)
        return bad("values must hold operatorValueCount(n, m) = " + std::to_string(needed) +
                   " values, got " + std::to_string(out.size));
    } else if (!loss) {
      return bad("the loss output must not be null");
    }
    if (kind == Kind::gradient && (!out.data || out.size != size_t(numParams_)))
      return bad("grad must hold numParams() = " + std::to_string(numParams_) + " values, got " +
                 std::to_string(out.size));

    bool f32 = dtype_ == DType::f32;
    auto padded = [&](Buffer buffer, int64_t count, int64_t capacity) {
      return f32 ? pad(static_cast<const float *>(buffer.data), count, capacity, dim_)
                 : pad(static_cast<const double *>(buffer.data), count, capacity, dim_);
    };
    PaddedBatch interior = padded(points, n, maxPoints_), edge;
    if (maxBoundaryPoints_ > 0)
      edge = padded(boundary, m, maxBoundaryPoints_);
    size_t bytes = f32 ? 4 : 8;
    const EntrySignature &signature = kind == Kind::loss       ? entry::pointsLoss
                                      : kind == Kind::gradient ? entry::pointsGradient
                                                               : entry::pointsOperators;
    EntryCall c = entries.call(signature, device, sizes, bytes);
    c.input("params", params.data).input("points", interior.points.data());
    if (maxBoundaryPoints_ > 0)
      c.input("boundary", edge.points.data());
    c.integer("seed", int64_t(seed)).integer("call", call);
    alignas(double) char scalar[sizeof(double)] = {};
    std::vector<char> values;
    if (kind == Kind::operators) {
      values.resize(size_t(sizes.operatorValues) * bytes);
      c.buffer("values", values.data());
    } else {
      c.input("weights", interior.weights.data());
      if (maxBoundaryPoints_ > 0)
        c.input("boundaryWeights", edge.weights.data());
      c.buffer("loss", scalar);
      if (kind == Kind::gradient)
        c.buffer("grad", out.data);
    }
    if (Status s = c.run(); !s)
      return s;
    if (kind != Kind::operators) {
      float single;
      std::memcpy(f32 ? static_cast<void *>(&single) : static_cast<void *>(loss), scalar, bytes);
      if (f32)
        *loss = single;
      return Status::success();
    }
    // The compiled layout holds each operator at the full batch: keep the
    // caller's points.
    char *target = static_cast<char *>(out.data);
    for (auto [op, offset] : llvm::zip(operators_, offsets)) {
      size_t kept = size_t((op.boundary ? m : n) * op.perPoint) * bytes;
      std::memcpy(target, values.data() + size_t(offset) * bytes, kept);
      target += kept;
    }
    return Status::success();
  }

  std::shared_ptr<mlir::ExecutionEngine> engine;
  CompiledEntries entries;
  Device device;
  EntrySizes sizes;
  std::vector<int64_t> offsets;
};

} // namespace

Expected<std::shared_ptr<const LossProgram>> stde::makeJitLossProgram(TrainingModule &built,
                                                                       const LossSpec &spec) {
  auto loaded = loadProgram(built, trainingSpecOf(spec));
  if (!loaded)
    return Status::error(loaded.error());
  return std::shared_ptr<const LossProgram>(
      std::make_shared<JitLossProgram>(built, std::move(*loaded)));
}
