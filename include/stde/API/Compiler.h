//===- Compiler.h - compile fields into CPU code ---------------*- C++ -*-===//
#ifndef STDE_API_COMPILER_H
#define STDE_API_COMPILER_H

#include "stde/API/Field.h"
#include "stde/API/JetKernel.h"
#include "stde/API/Loss.h"
#include "stde/API/Status.h"
#include "stde/API/Training.h"

#include <memory>
#include <string>

namespace stde {

/// Where the IR of a jet kernel is shown (for inspection and bug reports).
enum class Stage { problem, tensor, llvm };

/// Owns an MLIR context and a cache of compiled kernels: compiling the same
/// field with the same spec again returns the kernel already built.
class Compiler {
public:
  Compiler();
  ~Compiler();
  Compiler(const Compiler &) = delete;
  Compiler &operator=(const Compiler &) = delete;

  Expected<std::shared_ptr<const JetKernel>> compileJet(const Field &field, const JetSpec &spec);
  /// The IR of a jet kernel at a stage: the stde/jet module, after the jet
  /// lowering (tensor), or the LLVM dialect module.
  Expected<std::string> jetIR(const Field &field, const JetSpec &spec, Stage stage);

  /// Compiles a problem module (stde/API/Problems.h) into a training
  /// program: one JIT-compiled call per optimizer step.
  Expected<std::shared_ptr<const TrainingProgram>> compileTraining(const std::string &problem,
                                                                   const TrainingSpec &spec);
  /// What a problem module fixes, read without compiling it (parse and
  /// contract check only): its sizes, element type and layers.
  struct ProblemShape {
    int64_t dim = 0, spatialDim = 0, points = 0, boundaryPoints = 0, numParams = 0;
    DType dtype = DType::f32;
    std::vector<LayerShape> layers;
  };
  Expected<ProblemShape> inspectProblem(const std::string &problem);
  /// The training step's IR at a stage (problem: composed, before lowering).
  Expected<std::string> trainingIR(const std::string &problem, const TrainingSpec &spec,
                                   Stage stage);

  /// Compiles a problem module's loss into calls on the caller's points
  /// (stde/API/Loss.h).
  Expected<std::shared_ptr<const LossProgram>> compileLoss(const std::string &problem,
                                                           const LossSpec &spec = {});
  /// The loss program's IR at a stage (problem: the loss functions before lowering).
  Expected<std::string> lossIR(const std::string &problem, const LossSpec &spec, Stage stage);

  struct Stats {
    int compilations = 0; ///< kernels built (JIT-compiled)
    int cacheHits = 0;    ///< compileJet calls answered from the cache
  };
  Stats stats() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace stde

#endif // STDE_API_COMPILER_H
