//===- Mpi.h - the MPI library, loaded at run time ------------------------===//
//
// Data-parallel training runs under `mpirun` / `srun`: every process trains
// on its rank's share of each step's points, and the compiled step sums the
// shares with MPI_Allreduce (stde-sum-across-ranks, lowered by the upstream
// mpi dialect's conversion for the OpenMPI ABI). Nothing links MPI: this
// runtime opens libmpi with dlopen the first time a launch under MPI asks for
// it, initializes it, and hands the JIT the symbols compiled code calls
// (MPI_Allreduce and OpenMPI's predefined handles). Without an MPI launch it
// is never opened and a run is a one-process run.
//
// $STDE_LIBMPI names another library (default: libmpi.so.40, OpenMPI 4/5).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_MPI_H
#define STDE_RUNTIME_MPI_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace stde::runtime {

class Mpi {
public:
  /// True when this process was started by an MPI launcher (OpenMPI's
  /// mpirun, or a PMI/PMIx launcher such as srun), from its environment.
  static bool launched();

  /// The process-wide MPI, initialized on first use; null with `error` set
  /// when the library cannot be opened or initialized.
  static Mpi *world(std::string *error = nullptr);

  int64_t rank() const { return rank_; }
  int64_t size() const { return size_; }

  /// Sums `n` doubles over all ranks in place (every rank gets the sum).
  bool sum(double *values, int64_t n, std::string &error) const;
  /// Ends every rank of the job with `code` (after a message naming this
  /// rank was printed): the other ranks may be waiting in a collective.
  [[noreturn]] void abort(int code) const;
  /// MPI_Finalize; the last call into MPI.
  void finalize();

  /// What the compiled steps' collectives did in this process: calls,
  /// bytes each rank contributed (count x element size), seconds inside.
  struct Traffic {
    int64_t calls = 0, bytes = 0;
    double seconds = 0;
  };
  static Traffic traffic();

  /// The symbols compiled code refers to, with their addresses in the MPI
  /// library: the JIT binds them (Jit.cpp). Includes `ompi_mpi_sum`, the name
  /// MLIR 22's OpenMPI lowering gives MPI_SUM, bound to OpenMPI's
  /// `ompi_mpi_op_sum` (the name OpenMPI exports).
  const std::vector<std::pair<std::string, void *>> &compiledCodeSymbols() const {
    return symbols_;
  }

private:
  Mpi() = default;
  bool open(std::string &error);

  void *library_ = nullptr;
  int64_t rank_ = 0, size_ = 1;
  bool finalized_ = false;
  std::vector<std::pair<std::string, void *>> symbols_;
  // The entry points the host calls (types of the OpenMPI ABI: handles are
  // pointers).
  int (*allreduce_)(const void *, void *, int, void *, void *, void *) = nullptr;
  int (*abort_)(void *, int) = nullptr;
  int (*finalize_)() = nullptr;
  void *commWorld_ = nullptr, *double_ = nullptr, *sumOp_ = nullptr;
};

} // namespace stde::runtime

#endif // STDE_RUNTIME_MPI_H
