//===- Memory.h - what a training run will hold, known before compiling -*- C++ -*-===//
//
// A run that cannot fit should be refused at once, with the numbers and
// what to change, not after minutes of compiling or in an allocation inside
// the step. The estimate comes from sizes alone (no module is built), so it
// is instant at any d:
//   state        parameters, plus the gradient and Adam's two moments (STDE;
//                SGD: the gradient), or the zeroth-order cores (zo);
//   points       the step's points, and dense tangents (N x R x D);
//   activations  the jets of every layer (N x (1 + K R) x width), kept with
//                their adjoints for the backward pass (STDE), or two live
//                layers per side (zo);
//   temporaries  what the compiled step and evaluation hold besides, as the
//                compiler lowers them today (counted from the buffer pool's
//                allocations; benchmarks/memory/run.sh compares the estimate
//                with the peak a run reaches): STDE: 2 arrays the size of
//                the first layer's weights (its gradient), 7 of the points
//                (expressions of the coordinates: the source term's), 3
//                more of the dense tangents, and 6 of a batch of test
//                points; with TrainingSpec::leanMemory 1 of the points and
//                2 of the test batch; zo: 1 of the points, 2 of the test
//                batch and the first layer's two perturbation subspaces
//                (rank x D);
//   runtime      the compiler and libraries: 0.3 GB, and about 200 bytes a
//                coordinate (the Laplacian's d terms, listed while lowering).
// Problems whose expressions hold more per coordinate than the built-in
// ones can pass it; the step then fails with an error naming the size.
//===----------------------------------------------------------------------===//
#ifndef STDE_API_MEMORY_H
#define STDE_API_MEMORY_H

#include "stde/API/Field.h"
#include "stde/API/Status.h"
#include "stde/API/Training.h"

#include <cstdint>
#include <string>

namespace stde {

struct ProblemOptions;

/// The sizes a run's memory follows.
struct TrainingSizes {
  int64_t inputDim = 0;       ///< coordinates of a point (space, and time)
  int64_t points = 0;         ///< residual points per step
  int64_t boundaryPoints = 0; ///< boundary (or terminal) points per step
  int64_t numParams = 0;
  int64_t width = 0;          ///< widest hidden layer
  int64_t firstLayerInputs = 0; ///< what the first layer reads: 0 = inputDim (less when shared)
  int64_t depth = 0;          ///< dense layers
  int64_t directions = 1;     ///< tangent directions per point (R)
  int64_t order = 2;          ///< highest derivative order the jets carry (K)
  bool denseDirections = false; ///< tangents are d-vectors, not one-hot coordinates
  int64_t testBatch = 0;      ///< test points per evaluation call (0: automaticTestBatch)
  DType dtype = DType::f32;
};

struct MemoryEstimate {
  double stateBytes = 0, pointsBytes = 0, activationBytes = 0, temporaryBytes = 0,
         runtimeBytes = 0;
  double total() const {
    return stateBytes + pointsBytes + activationBytes + temporaryBytes + runtimeBytes;
  }
  /// "about 41.2 GB (parameters and optimizer state 20.5 GB, points 4.0 GB,
  /// activations 0.014 GB, temporaries 16.4 GB, runtime 0.25 GB)"
  std::string describe() const;
};

MemoryEstimate estimateTrainingMemory(const TrainingSizes &sizes, const TrainingSpec &spec);

/// Memory this process may still take: MemAvailable of /proc/meminfo, or
/// the cgroup's limit less its usage (page cache not counted) when that is
/// smaller; 0 when unknown.
double availableMemoryBytes();

/// Success when the estimate fits in `available` bytes (0: unknown, always
/// success); else an error with the estimate, what is available and what
/// to change (fewer points, f32, a smaller network, the zeroth-order method
/// with its own estimate when it would fit).
Status checkTrainingMemory(const TrainingSizes &sizes, const TrainingSpec &spec,
                           double available);

/// The most bytes compiled code may hold in temporaries at once, for every
/// program of the process (0, the default: what the system gives). A step
/// whose temporaries would pass it fails with a Status naming the size, as
/// it does when the system refuses an allocation; nothing is left allocated.
void setTemporaryMemoryLimit(double bytes);

/// A built-in problem's sizes, from its options alone (no module is built);
/// an error for options the problem refuses.
Expected<TrainingSizes> problemSizes(const ProblemOptions &options);

} // namespace stde

#endif // STDE_API_MEMORY_H
