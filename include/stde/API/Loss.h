//===- Loss.h - a problem's loss on the caller's own points ----*- C++ -*-===//
//
// A LossProgram is a problem module (stde/API/Problems.h) compiled into
// calls on points the caller supplies (measured data, an own sampler or
// adaptive resampling, an own optimizer loop):
//   loss             the problem's loss at (params, interior points[,
//                    boundary points]) with the estimators' random numbers
//                    drawn from (seed, call);
//   lossAndGradient  the loss and its parameter gradient;
//   operatorValues   the value of every operator of the loss at the points
//                    (u, the Laplacian estimate, ...), to inspect residuals.
// A program is compiled for the problem's batch: its @loss's N interior
// (and M boundary) points are maxPoints() (and maxBoundaryPoints()), so
// write the problem with the largest batch you will pass; each call may
// pass any number from 1 up to those. The loss is then the problem's loss over exactly the points
// given: each residual's mean runs over the caller's points only (the
// compiled batch is padded with copies of the first point, weighted 0).
// A point keeps its random numbers whatever the count: the same (seed, call)
// and the same point at the same position give the same estimate.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_LOSS_H
#define STDE_API_LOSS_H

#include "stde/API/Field.h"
#include "stde/API/Status.h"
#include "stde/API/Training.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace stde {

/// A view of caller-owned memory: a pointer and how many values it holds.
template <typename T> class Span {
public:
  Span() = default;
  Span(T *data, size_t size) : data_(data), size_(size) {}
  /// Any contiguous container of T (std::vector, std::array, ...).
  template <typename C, typename = std::enable_if_t<std::is_convertible_v<
                            decltype(std::declval<C &>().data()), T *>>>
  Span(C &container) : data_(container.data()), size_(container.size()) {}
  T *data() const { return data_; }
  size_t size() const { return size_; }

private:
  T *data_ = nullptr;
  size_t size_ = 0;
};

/// One operator of the loss, as operatorValues() lays it out.
struct OperatorInfo {
  std::string name;   ///< e.g. "stde.laplacian @u" (with its estimator when it has one)
  bool boundary;      ///< evaluated at the boundary points (else the interior points)
  int64_t perPoint;   ///< values per point (1; D for a gradient)
};

/// What a LossProgram is compiled for.
struct LossSpec {
  /// Estimator of operators that name none (none: the loss's, else exact).
  std::optional<Estimator> defaultEstimator;
  int64_t samples = 0;           ///< override every random estimator's sample count (0: keep)
  Rewrites rewrites;             ///< all on by default
  Target target = Target::cpu;
  std::string gpuChip;           ///< Target::cuda, as in TrainingSpec
};

class LossProgram {
public:
  virtual ~LossProgram();

  int64_t numParams() const { return numParams_; }
  /// D, the network's input dimension (time included for space-time).
  int64_t dim() const { return dim_; }
  int64_t maxPoints() const { return maxPoints_; }
  /// 0 when the problem's loss takes no boundary points.
  int64_t maxBoundaryPoints() const { return maxBoundaryPoints_; }
  DType dtype() const { return dtype_; }
  const std::vector<OperatorInfo> &operators() const { return operators_; }
  const std::vector<LayerShape> &layers() const { return layers_; }
  /// PyTorch's default initialization, as TrainingProgram::initialize.
  void initialize(uint64_t seed, std::vector<double> &params) const;
  void initialize(uint64_t seed, std::vector<float> &params) const;

  /// The loss at `params` (numParams() values) on `points` (n x dim()
  /// values, row-major, 1 <= n <= maxPoints()) and `boundary` (m x dim(),
  /// 1 <= m <= maxBoundaryPoints(); empty when the problem has none), with
  /// the estimators' random numbers of (seed, call). T is the program's
  /// element type (float for f32, double for f64).
  template <typename T>
  Status loss(Span<const T> params, Span<const T> points, Span<const T> boundary, uint64_t seed,
              int64_t call, double *loss) const {
    return run(Kind::loss, elementOf<T>(), {params.data(), params.size()},
               {points.data(), points.size()}, {boundary.data(), boundary.size()}, seed, call,
               loss, {});
  }
  /// The loss and its gradient (numParams() values into `grad`).
  template <typename T>
  Status lossAndGradient(Span<const T> params, Span<const T> points, Span<const T> boundary,
                         uint64_t seed, int64_t call, double *loss, Span<T> grad) const {
    return run(Kind::gradient, elementOf<T>(), {params.data(), params.size()},
               {points.data(), points.size()}, {boundary.data(), boundary.size()}, seed, call,
               loss, {grad.data(), grad.size()});
  }
  /// Every operator's values at the points: for each of operators() in
  /// order, n x perPoint values (m x perPoint for a boundary operator),
  /// row-major, one operator after another; `values` must hold
  /// operatorValueCount(n, m).
  template <typename T>
  Status operatorValues(Span<const T> params, Span<const T> points, Span<const T> boundary,
                        uint64_t seed, int64_t call, Span<T> values) const {
    return run(Kind::operators, elementOf<T>(), {params.data(), params.size()},
               {points.data(), points.size()}, {boundary.data(), boundary.size()}, seed, call,
               nullptr, {values.data(), values.size()});
  }
  /// Values operatorValues() writes for n interior and m boundary points.
  int64_t operatorValueCount(int64_t n, int64_t m) const;

protected:
  enum class Kind { loss, gradient, operators };
  struct Buffer {
    const void *data;
    size_t size;
  };
  struct MutableBuffer {
    void *data;
    size_t size;
  };
  template <typename T> static DType elementOf() {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                  "a LossProgram computes in float (f32) or double (f64)");
    return std::is_same_v<T, float> ? DType::f32 : DType::f64;
  }
  virtual Status run(Kind kind, DType element, Buffer params, Buffer points, Buffer boundary,
                     uint64_t seed, int64_t call, double *loss, MutableBuffer out) const = 0;

  LossProgram() = default;
  int64_t numParams_ = 0, dim_ = 0, maxPoints_ = 0, maxBoundaryPoints_ = 0;
  DType dtype_ = DType::f32;
  std::vector<OperatorInfo> operators_;
  std::vector<LayerShape> layers_;
};

} // namespace stde

#endif // STDE_API_LOSS_H
