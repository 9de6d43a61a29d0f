//===- Options.h - stde-train's command line -------------------*- C++ -*-===//
#ifndef STDE_TOOLS_STDETRAIN_OPTIONS_H
#define STDE_TOOLS_STDETRAIN_OPTIONS_H

#include <cstdint>
#include <string>

struct TrainOptions {
  std::string problem = "allen-cahn-two-body"; ///< a built-in name or a .mlir file
  int64_t dim = 100, width = 128, depth = 4, points = 100;
  int64_t shareBlock = 0; ///< --share-block: first-layer weights shared across input blocks
  double gradientWeight = 0;  ///< --gradient-weight (gPINN)
  int64_t gradientSamples = -1; ///< --gradient-samples (-1: --samples for sparse, else all)
  bool gradientTime = false;    ///< --gradient-time
  std::string lossForm = "biased"; ///< --loss-form biased | unbiased
  double timeScale = 1.0;          ///< --time-scale: the network reads (x, timeScale t)
  bool explicitTimeScale = false;
  bool explicitLossForm = false;
  std::string estimator = "sparse"; ///< exact | sparse | dense | dense-gaussian
  int64_t samples = 16;
  std::string optimizer = "adam";
  bool explicitOptimizer = false, explicitLr = false;
  std::string method = "stde";      ///< stde | zo
  double zoEps = 1e-3, zoRefreshGrowth = 1.5, zoMomentum = 0.0;
  int64_t zoRank = 8, zoPairs = 1, zoRefresh = 100;
  double lr = 1e-3;
  int64_t steps = 10000;
  uint64_t seed = 0;
  std::string target = "cpu";
  std::string gpuChip; ///< --gpu-chip ("" = the GPU's own architecture)
  int64_t threads = 0; ///< --threads (0: every core; --target cpu only)
  std::string dtype = "f32";
  std::string activation = "tanh";
  int64_t evalEvery = 0;            ///< 0: steps / 10
  int64_t testPoints = 20000;
  std::string checkpoint, resume, json, params;
  int64_t checkpointEvery = 0;      ///< 0: at every evaluation
  int64_t stopAfter = 0;            ///< stop (with a checkpoint) after this many steps of this run
  std::string out = "stde-train";   ///< prefix of the CSV log and the SVG plot
  std::string disable;              ///< rewrites to turn off (stde::rewritesWithout)
  std::string emitStep;             ///< "", tensor or llvm: print the compiled step's IR
  int64_t emitRanks = 0;            ///< --emit-ranks: the step as rank 0 of this many compiles it
  int64_t rank = 0, ranks = 1;      ///< this process under an MPI launch (set by main)
  bool emitProblem = false, quiet = false;
  bool estimateMemory = false; ///< --estimate-memory: print the estimate and exit
  double memoryLimitGb = 0;    ///< --memory-limit (0: the memory available now)
  bool leanMemory = false;     ///< --lean-memory, or chosen when only it fits
  bool explicitWidth = false, explicitDepth = false, explicitShareBlock = false, explicitDim = false, explicitPoints = false,
       explicitEstimator = false, explicitDtype = false;
};

/// Parses argv; on error or --help prints to stderr and returns false with
/// `exitCode` set (0 for --help).
bool parseOptions(int argc, char **argv, TrainOptions &options, int &exitCode);

#endif // STDE_TOOLS_STDETRAIN_OPTIONS_H
