//===- JetKernel.cpp - argument checks shared by every jet kernel --------===//
#include "stde/API/JetKernel.h"

#include <sstream>

using namespace stde;

std::vector<TangentKind> JetSpec::tangentKinds() const {
  if (!tangents.empty())
    return tangents;
  std::vector<TangentKind> kinds(order > 0 ? order : 0, TangentKind::zero);
  if (!kinds.empty())
    kinds[0] = TangentKind::dense;
  return kinds;
}

std::string JetSpec::key() const {
  std::ostringstream os;
  os << "K" << order << "R" << directions << "N" << batch << "T";
  for (TangentKind kind : tangentKinds())
    os << static_cast<int>(kind);
  return os.str();
}

JetKernel::~JetKernel() = default;

int64_t JetKernel::outputSize() const {
  return spec_.batch * (1 + spec_.order * spec_.directions);
}

Status JetKernel::check(DType callType, const void *params, const void *points,
                        const std::vector<const void *> &tangents, const void *out) const {
  const char *name = dtype_ == DType::f32 ? "f32" : "f64";
  if (callType != dtype_)
    return Status::error(std::string("this kernel was compiled for ") + name +
                         " data: call evaluate with " +
                         (dtype_ == DType::f32 ? "float" : "double") + " buffers");
  if (numParams_ > 0 && !params)
    return Status::error("params is null but the field has " + std::to_string(numParams_) +
                         " parameters");
  if (!points || !out)
    return Status::error("points and out must not be null");
  std::vector<TangentKind> kinds = spec_.tangentKinds();
  if (tangents.size() != kinds.size())
    return Status::error("expected " + std::to_string(kinds.size()) +
                         " tangent entries (one per order, nullptr for a zero tangent), got " +
                         std::to_string(tangents.size()));
  for (size_t k = 0; k < kinds.size(); ++k) {
    bool given = tangents[k] != nullptr;
    if (given != (kinds[k] != TangentKind::zero))
      return Status::error("tangent " + std::to_string(k + 1) + " was compiled as " +
                           (kinds[k] == TangentKind::zero ? "zero (pass nullptr)"
                                                          : "stored (pass its buffer)"));
    // A one-hot index selects a coordinate: outside [0, D) the kernel would
    // read past each point.
    if (kinds[k] == TangentKind::onehot) {
      const int64_t *indices = static_cast<const int64_t *>(tangents[k]);
      for (int64_t r = 0; r < spec_.directions; ++r)
        if (indices[r] < 0 || indices[r] >= inputDim_)
          return Status::error("tangent " + std::to_string(k + 1) + ", direction " +
                               std::to_string(r) + ": one-hot index " +
                               std::to_string(indices[r]) + " is not a coordinate (0 .. " +
                               std::to_string(inputDim_ - 1) + ")");
    }
  }
  return Status::success();
}

Status JetKernel::evaluate(const double *params, const double *points,
                           const std::vector<const void *> &tangents, double *out) const {
  Status status = check(DType::f64, params, points, tangents, out);
  if (!status)
    return status;
  return run(params, points, tangents, out);
}

Status JetKernel::evaluate(const float *params, const float *points,
                           const std::vector<const void *> &tangents, float *out) const {
  Status status = check(DType::f32, params, points, tangents, out);
  if (!status)
    return status;
  return run(params, points, tangents, out);
}
