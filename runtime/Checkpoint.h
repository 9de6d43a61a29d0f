//===- Checkpoint.h - training state on disk, written atomically -*- C++ -*-===//
//
// A checkpoint holds everything a run needs to continue bit-identically:
// the parameters and optimizer moments (raw, in the run's element type), the
// next step, the seed, the best error so far, and a `config` text (problem,
// sizes, estimator, optimizer, exact bit patterns of the floating settings)
// that a resume must match. It is written to FILE.tmp, flushed, and renamed
// over FILE, so a crash never leaves a torn file behind; a failed save
// removes FILE.tmp and leaves FILE as it was.
//
// On disk (format 2, host byte order): the magic "STDECKP2", a fixed header
// with every size, the config text, the three arrays, and a 64-bit checksum of
// everything before it. Loading reads only regular files whose size is
// exactly what the header states, so a damaged, truncated, foreign or endless
// file (/dev/zero) is an error, never a long read or a wrong state.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_CHECKPOINT_H
#define STDE_RUNTIME_CHECKPOINT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stde::runtime {

struct Checkpoint {
  std::string config;        ///< what the run was started with (compared on resume)
  uint32_t elementSize = 4;  ///< 4 (f32) or 8 (f64)
  int64_t numParams = 0;
  int64_t nextStep = 0;
  uint64_t seed = 0;
  double bestError = -1.0;   ///< best relative L2 error so far (< 0: none yet)
  double seconds = 0.0;      ///< training time so far
  std::vector<unsigned char> params;        ///< numParams * elementSize bytes
  /// The optimizer state, stateSize * elementSize bytes each (Adam's moments:
  /// stateSize = numParams; zeroth order: the cores in m, v alike in size).
  std::vector<unsigned char> m, v;
};

/// Writes atomically; returns an empty string or the error (then no FILE.tmp
/// is left and FILE is untouched).
std::string saveCheckpoint(const std::string &path, const Checkpoint &checkpoint);
/// Reads and validates (sizes, checksum); returns an empty string or the error.
std::string loadCheckpoint(const std::string &path, Checkpoint &checkpoint);

/// The 64-bit checksum checkpoints carry (exposed for tests).
uint64_t checkpointChecksum(const void *data, size_t size);

} // namespace stde::runtime

#endif // STDE_RUNTIME_CHECKPOINT_H
