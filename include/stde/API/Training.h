//===- Training.h - compiled training steps ---------------------*- C++ -*-===//
//
// A TrainingProgram is a problem module (stde/API/Problems.h) compiled into
// JIT functions:
//   step          sample N points in the problem's domain (and M boundary
//                 points if its loss takes them) and the estimator's
//                 directions (Philox, keyed by seed and step), evaluate the
//                 loss, its parameter gradient (stde-param-grad) and apply the
//                 optimizer in place: one call, no host work in between;
//   gradient      the loss and its gradient at given parameters (tests);
//   test error    sum (u - u*)^2 and sum u*^2 over a chunk of test points
//                 drawn in the compiled code from their own streams, or
//                 u at the problem's reference point;
//   sample points the step's points, as the step draws them.
// Parameters and optimizer state live in the caller's buffers between steps.
// With Target::cuda every call copies the buffers it reads into device
// (managed) memory and the results back, and reports CUDA errors (out of
// memory with the sizes, a kernel fault) as a Status.
//
// With TrainingMethod::zo the step has no gradient at all (SDZE, docs/MATH.md
// section 4): the loss is evaluated at theta +- eps P in one compiled
// function with common spatial random numbers, P a rank-r perturbation per
// layer, and the update only touches r x r cores (and the biases); the cores
// are folded into the weights when the subspace is refreshed. The optimizer
// state buffer `m` then holds stateSize() values (the cores, their momenta).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_TRAINING_H
#define STDE_API_TRAINING_H

#include "stde/API/Estimator.h"
#include "stde/API/Field.h"
#include "stde/API/Status.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stde {

enum class OptimizerKind { adam, sgd };

/// How a step trains: Taylor-jet STDE with parameter gradients, or zeroth
/// order (CRNS-paired low-rank perturbations, no backpropagation).
enum class TrainingMethod { stde, zo };

/// Where a compiled program runs: the host CPU (LLVM JIT) or an NVIDIA GPU
/// (PTX through the CUDA driver, runtime/CudaRuntime.h; the host code that
/// launches the kernels is JIT-compiled for the CPU). gpuEmulator: the GPU
/// target's kernels and launches run on the CPU by the GPU emulator
/// (runtime/GpuEmulator.h), to check the GPU lowering where there is no GPU;
/// slow, and in host memory like the CPU target.
enum class Target { cpu, cuda, gpuEmulator };

/// The zeroth-order path's settings (zo-pair / zo-update in
/// include/stde/Transforms/Passes.td).
struct ZoSpec {
  double eps = 1e-3;          ///< perturbation radius
  int64_t rank = 8;           ///< rank of each layer's subspace (1 ... 32; min with the layer)
  int64_t pairs = 1;          ///< +/- pairs averaged per step (1 ... 256)
  int64_t refresh = 100;      ///< steps in the first subspace epoch
  double refreshGrowth = 1.5; ///< each epoch lasts this factor longer (annealed refresh)
  double momentum = 0.0;      ///< heavy-ball momentum in the subspace (OptimizerKind::sgd only)
};

/// Data-parallel training (MPI): this process is rank `rank` of `ranks`, and
/// trains on its share of every step: the problem's @loss takes the rank's
/// N / ranks residual points (and M / ranks boundary points), rows
/// [rank N / ranks, (rank + 1) N / ranks) of the one-process batch of N with
/// the same random numbers. The compiled step sums the ranks' losses and
/// gradients (STDE) or pair losses (zeroth order) with MPI_Allreduce before
/// the update, so every rank applies the one-process update; the test error
/// is split over the ranks too. Runs under an MPI launcher (mpirun, srun);
/// runtime/Mpi.h opens the MPI library. On the GPU targets the collective
/// runs in the host code on managed buffers (each rank takes the GPU of its
/// local rank).
struct DataParallel {
  int64_t rank = 0, ranks = 1;
};

/// The zeroth-order Adam's rate (learningRate with TrainingMethod::zo and
/// OptimizerKind::adam): measured to train the built-in unit-ball problems
/// from d = 100 to d = 10^6 (benchmarks/zeroth_order); stde-train's default.
inline constexpr double kZoAdamLearningRate = 1e-2;

/// The subspace epoch of `step`: epoch k lasts ceil(refresh * growth^k) steps.
int64_t zoEpochOf(const ZoSpec &zo, int64_t step);

/// The optimizations of a compiled step, each of which can be turned off to
/// measure it (the passes and options named are documented in
/// include/stde/Transforms/Passes.td and include/stde/Conversion/Passes.td).
struct Rewrites {
  bool collapse = true;      ///< jet-simplify{collapse}: collapsed Taylor mode
  bool merge = true;         ///< jet-simplify{merge}: one pushforward per network and points
  bool oneHot = true;        ///< jet-simplify{one-hot}: one-hot tangents as column gathers
  bool zero = true;          ///< jet-simplify{zero}: zero coefficients never computed
  bool runtimeMatmul = true; ///< convert-linalg-to-runtime ("runtime-matmul"): OpenBLAS products
  bool threads = true;       ///< stde-thread-parallel-loops ("threads"): large loops on a thread team (CPU)
  bool mathLanes = true;     ///< stde-vectorizable-math-reductions ("math-lanes"): f32 math sums in vector lanes (CPU)
  bool stackProducts = true; ///< stde-merge-weight-products ("stack-products"): one product per weight (zeroth order)
};

/// Parses "collapse,one-hot" (names as in Rewrites, comma-separated) into the
/// rewrites to turn off; "" turns none off. Fails naming an unknown rewrite.
Expected<Rewrites> rewritesWithout(const std::string &names);

struct TrainingSpec {
  /// Estimator of operators that name none (none: the loss's, else exact).
  std::optional<Estimator> defaultEstimator;
  int64_t samples = 0;           ///< override every random estimator's sample count (0: keep)
  OptimizerKind optimizer = OptimizerKind::adam;
  double learningRate = 1e-3;
  int64_t decaySteps = 10000;    ///< linear decay to 0 at this step (0: constant rate)
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  int64_t testBatch = 0;         ///< test points per compiled call (0: automaticTestBatch)
  Rewrites rewrites;             ///< all on by default
  TrainingMethod method = TrainingMethod::stde;
  /// STDE: fuse the point expressions (a source term's) into the reductions
  /// that read them: 6 fewer arrays of the points' size, and of the test
  /// batch's, at some speed (the fused math is not vectorized). The
  /// zeroth-order method always works this way.
  bool leanMemory = false;
  /// Method zo: `optimizer` applies to the subspace cores and the biases
  /// (zo-update): Adam (the default: a rate such as 1e-3 carries across d)
  /// or ZO-SGD / heavy ball (whose stable rate falls with the loss's slope
  /// times the parameter count: 1e-8 at d = 100, 3e-12 at d = 1000).
  ZoSpec zo;
  DataParallel parallel;         ///< one process of ranks > 1 (MPI), or the whole step
  Target target = Target::cpu;
  /// Target::cuda: the GPU architecture to compile for ("" = the GPU's own,
  /// sm_90 when IR is only printed).
  std::string gpuChip;
  /// Target::cpu: threads for the step's large loops (an OpenMP team) and for
  /// its matrix products (OpenBLAS, whose setting is process-wide). 0: every
  /// core (or OMP_NUM_THREADS / OPENBLAS_NUM_THREADS); 1: one thread, no team.
  int64_t cpuThreads = 0;
};

/// The test points per compiled call that testBatch = 0 chooses for points
/// of `dim` coordinates: at most 1000, and about 16M coordinates at most.
int64_t automaticTestBatch(int64_t dim);


/// Threads a CPU step runs on when TrainingSpec::cpuThreads is 0.
int defaultCpuThreads();

/// One dense layer's place in the flat parameter vector: `in x out`
/// weights (row-major, out rows) at `offset`, then `out` biases.
struct LayerShape {
  int64_t offset, in, out;
};

/// How a problem measures its error (Problems.h).
enum class ErrorMetric {
  none,           ///< no exact solution or reference: the loss only
  testPoints,     ///< relative L2 error against @u_exact on test points
  referencePoint, ///< relative error |u(p) - v| / |v| at one reference point
};

struct TestError {
  double relL2;     ///< sqrt(sum (u - u*)^2 / sum u*^2) (at one point: |u - v| / |v|)
  int64_t points;   ///< test points actually used (a multiple of the batch; 1 at a reference)
  double value = 0; ///< the mean of u over the points (u(p) at a reference point)
};

/// Memory a program's calls use in place: parameters and optimizer state.
/// On the CPU it is host memory. On the GPU it is managed memory the kernels
/// read and write without a copy, and the host may read or write between
/// calls (a call returns after its kernels have finished). Buffers a program
/// did not allocate work too, but on the GPU they are copied to the device
/// and back at every call. Zero-filled; copies of the handle share the memory,
/// which is freed with the last of them.
class StateBuffer {
public:
  StateBuffer() = default;
  StateBuffer(std::shared_ptr<void> memory, size_t bytes)
      : memory(std::move(memory)), size(bytes) {}
  void *data() const { return memory.get(); }
  template <typename T> T *as() const { return static_cast<T *>(memory.get()); }
  size_t bytes() const { return size; }

private:
  std::shared_ptr<void> memory;
  size_t size = 0;
};

/// Device memory as stde counts it (not the driver's context or pool
/// slack): with Target::cuda the parameters, optimizer state, staging copies
/// and the calls' temporaries; with Target::gpuEmulator the calls'
/// temporaries only (state lives in host memory there); zero on the CPU.
struct DeviceMemory {
  int64_t liveBytes = 0;
  int64_t peakBytes = 0; ///< since the runtime opened (emulator: since its last resetStats)
};

class TrainingProgram {
public:
  virtual ~TrainingProgram();

  int64_t numParams() const { return numParams_; }
  /// D, the network's input dimension (time included for space-time).
  int64_t dim() const { return dim_; }
  int64_t spatialDim() const { return spatialDim_; }
  int64_t points() const { return points_; }
  /// Boundary (or terminal) points per step; 0 when @loss takes none.
  int64_t boundaryPoints() const { return boundaryPoints_; }
  int64_t testBatch() const { return testBatch_; }
  DType dtype() const { return dtype_; }
  ErrorMetric errorMetric() const { return errorMetric_; }
  bool hasExactSolution() const { return errorMetric_ != ErrorMetric::none; }
  const std::vector<LayerShape> &layers() const { return layers_; }
  const TrainingSpec &spec() const { return spec_; }
  /// Values in each optimizer state buffer (m, v): numParams() for STDE, the
  /// cores (and momenta) for zeroth order, where v is unused.
  int64_t stateSize() const { return stateSize_; }
  /// What the compiler noted about this program, each with its location in
  /// the problem: e.g. a sparse estimator that computes its operator exactly.
  const std::vector<std::string> &remarks() const { return remarks_; }
  /// The estimators its operators use, each once, as the dialect writes them
  /// (e.g. "#stde.sparse<samples = 16>"); empty when it has no Laplacian,
  /// biharmonic or diff.
  const std::vector<std::string> &estimators() const { return estimators_; }

  /// PyTorch's default for linear layers (kaiming-uniform with a = sqrt(5)):
  /// weights and biases ~ U(-1/sqrt(in), 1/sqrt(in)), drawn from Philox(seed).
  void initialize(uint64_t seed, std::vector<double> &params) const;
  void initialize(uint64_t seed, std::vector<float> &params) const;

  /// A zero-filled buffer of `bytes` for parameters or optimizer state, where
  /// the program's calls use it without copies (see StateBuffer); an error
  /// that says how much memory is free when the device has too little.
  virtual Expected<StateBuffer> allocateState(size_t bytes) const;
  /// What the device holds now and at most (see DeviceMemory).
  virtual DeviceMemory deviceMemory() const;

  /// The loss and its gradient at `params` with the random numbers of
  /// (seed, step). Buffers hold numParams() values.
  virtual Status lossAndGradient(const void *params, uint64_t seed, int64_t step, double *loss,
                                 void *grad) const = 0;
  /// The loss alone at `params` with the random numbers of (seed, step).
  virtual Status loss(const void *params, uint64_t seed, int64_t step, double *loss) const = 0;
  /// One optimizer step in place; m and v hold stateSize() values each:
  /// Adam's moments (untouched by SGD; pass them anyway), or the zeroth-order
  /// state in m (zeros at step 0; folded when the subspace is refreshed, so
  /// steps must be taken in order). `step` counts from 0. Writes the step's
  /// loss (zeroth order: the mean of the 2 x pairs evaluations).
  virtual Status step(void *params, void *m, void *v, uint64_t seed, int64_t step,
                      double *loss) const = 0;
  /// Relative L2 error on `points` test points (rounded down to a multiple
  /// of testBatch(), at least one batch) from the test streams of `seed`.
  /// The batches run one by one; when `cancel` becomes true (a signal
  /// handler's flag) the evaluation stops after the current batch with an
  /// error saying it was interrupted, and `out` is left as it was.
  virtual Status testError(const void *params, uint64_t seed, int64_t points, TestError *out,
                           const std::atomic<bool> *cancel = nullptr) const = 0;
  /// The points the step (seed, step) trains on: points() x dim() values,
  /// row-major, and boundaryPoints() x dim() (null when there are none).
  virtual Status samplePoints(uint64_t seed, int64_t step, void *interior,
                              void *boundary) const = 0;

protected:
  TrainingProgram() = default;
  int64_t numParams_ = 0, dim_ = 0, spatialDim_ = 0, points_ = 0, boundaryPoints_ = 0,
          testBatch_ = 0, stateSize_ = 0;
  DType dtype_ = DType::f32;
  ErrorMetric errorMetric_ = ErrorMetric::none;
  std::vector<LayerShape> layers_;
  TrainingSpec spec_;
  std::vector<std::string> remarks_, estimators_;
};

} // namespace stde

#endif // STDE_API_TRAINING_H
