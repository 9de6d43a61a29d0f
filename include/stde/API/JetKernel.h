//===- JetKernel.h - compiled Taylor-mode evaluation -----------*- C++ -*-===//
#ifndef STDE_API_JETKERNEL_H
#define STDE_API_JETKERNEL_H

#include "stde/API/Field.h"
#include "stde/API/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace stde {

/// How the k-th input coefficient v_k of every direction is given.
enum class TangentKind {
  zero,   ///< v_k = 0: nothing to pass
  dense,  ///< R x N x D values (direction-major, row-major)
  onehot  ///< R int64 indices i_r: v_k = e_{i_r} at every point
};

/// What to compile: order K, R directions, N points per call, and the kind of
/// each input coefficient v_1..v_K (default: v_1 dense, the rest zero).
struct JetSpec {
  int64_t order = 2;
  int64_t directions = 1;
  int64_t batch = 1;
  std::vector<TangentKind> tangents;

  /// `tangents` with the default filled in; also used as the cache key.
  std::vector<TangentKind> tangentKinds() const;
  std::string key() const;
};

/// Pushes the curves x(t) = x + t v_1 + t^2/2 v_2 + ... through a field, for
/// a batch of points and directions at once, and returns
/// d^k/dt^k u(x(t)) at t = 0 for k = 0..K.
class JetKernel {
public:
  virtual ~JetKernel();

  const JetSpec &spec() const { return spec_; }
  int64_t inputDim() const { return inputDim_; }
  int64_t numParams() const { return numParams_; }
  DType dtype() const { return dtype_; }
  /// Values written by evaluate: N for u, then R*N per order k = 1..K
  /// (block k holds [r * N + n]).
  int64_t outputSize() const;

  /// `params`: numParams() values (ignored for a fixed field); `points`:
  /// N x D; `tangents[k-1]`: as spec().tangents says (nullptr for zero;
  /// const int64_t* for onehot). Nothing is copied: the kernel reads and
  /// writes the caller's memory.
  Status evaluate(const double *params, const double *points,
                  const std::vector<const void *> &tangents, double *out) const;
  Status evaluate(const float *params, const float *points,
                  const std::vector<const void *> &tangents, float *out) const;

protected:
  JetKernel(JetSpec spec, int64_t inputDim, int64_t numParams, DType dtype)
      : spec_(std::move(spec)), inputDim_(inputDim), numParams_(numParams), dtype_(dtype) {}
  Status check(DType callType, const void *params, const void *points,
               const std::vector<const void *> &tangents, const void *out) const;
  virtual Status run(const void *params, const void *points,
                     const std::vector<const void *> &tangents, void *out) const = 0;

  JetSpec spec_;
  int64_t inputDim_, numParams_;
  DType dtype_;
};

} // namespace stde

#endif // STDE_API_JETKERNEL_H
