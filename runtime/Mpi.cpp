//===- Mpi.cpp - the MPI library, loaded at run time ----------------------===//
#include "runtime/Mpi.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <mutex>

using namespace stde::runtime;

namespace {

const char *environment(const char *name) {
  const char *value = std::getenv(name);
  return value && *value ? value : nullptr;
}

/// The real MPI_Allreduce and the handles the counter needs.
int (*realAllreduce)(const void *, void *, int, void *, void *, void *) = nullptr;
void *doubleType = nullptr;
Mpi::Traffic counted;

/// Compiled code's MPI_Allreduce: the library's, counted (bytes and time),
/// so the benchmarks report what a step sends, not what it should.
extern "C" int stde_mpi_allreduce_counted(const void *send, void *receive, int count,
                                          void *type, void *op, void *comm) {
  auto start = std::chrono::steady_clock::now();
  int result = realAllreduce(send, receive, count, type, op, comm);
  counted.seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  counted.calls += 1;
  counted.bytes += int64_t(count) * (type == doubleType ? 8 : 4);
  return result;
}

} // namespace

Mpi::Traffic Mpi::traffic() { return counted; }

bool Mpi::launched() {
  return environment("OMPI_COMM_WORLD_SIZE") || environment("PMIX_RANK") ||
         environment("PMI_SIZE");
}

Mpi *Mpi::world(std::string *error) {
  static Mpi *instance = nullptr;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    auto *mpi = new Mpi();
    if (mpi->open(failure))
      instance = mpi;
    else
      delete mpi;
  });
  if (!instance && error)
    *error = failure;
  return instance;
}

bool Mpi::open(std::string &error) {
  const char *path = environment("STDE_LIBMPI");
  std::string name = path ? path : "libmpi.so.40";
  // RTLD_GLOBAL: OpenMPI opens its own components with dlopen and they
  // resolve symbols of libmpi through the global scope.
  library_ = dlopen(name.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!library_) {
    const char *why = dlerror();
    error = "cannot open the MPI library " + name + " (" + (why ? why : "unknown error") +
            "): install OpenMPI (Debian: libopenmpi-dev openmpi-bin; scripts/setup.sh does) or "
            "name the library in STDE_LIBMPI";
    return false;
  }
  auto symbol = [&](const char *name) -> void * {
    void *address = dlsym(library_, name);
    if (!address && error.empty())
      error = std::string("the MPI library ") + "has no symbol " + name +
              ": stde's compiled steps call the OpenMPI ABI (libmpi.so.40)";
    return address;
  };
  auto init = reinterpret_cast<int (*)(int *, char ***)>(symbol("MPI_Init"));
  auto initialized = reinterpret_cast<int (*)(int *)>(symbol("MPI_Initialized"));
  auto commRank = reinterpret_cast<int (*)(void *, int *)>(symbol("MPI_Comm_rank"));
  auto commSize = reinterpret_cast<int (*)(void *, int *)>(symbol("MPI_Comm_size"));
  allreduce_ = reinterpret_cast<decltype(allreduce_)>(symbol("MPI_Allreduce"));
  abort_ = reinterpret_cast<decltype(abort_)>(symbol("MPI_Abort"));
  finalize_ = reinterpret_cast<decltype(finalize_)>(symbol("MPI_Finalize"));
  commWorld_ = symbol("ompi_mpi_comm_world");
  double_ = symbol("ompi_mpi_double");
  void *float_ = symbol("ompi_mpi_float");
  sumOp_ = symbol("ompi_mpi_op_sum");
  if (!error.empty())
    return false;
  int already = 0;
  initialized(&already);
  if (!already && init(nullptr, nullptr) != 0) {
    error = "MPI_Init failed";
    return false;
  }
  int rank = 0, size = 1;
  if (commRank(commWorld_, &rank) != 0 || commSize(commWorld_, &size) != 0) {
    error = "MPI_Comm_rank / MPI_Comm_size on MPI_COMM_WORLD failed";
    return false;
  }
  rank_ = rank;
  size_ = size;
  realAllreduce = allreduce_;
  doubleType = double_;
  symbols_ = {{"MPI_Allreduce", reinterpret_cast<void *>(&stde_mpi_allreduce_counted)},
              {"ompi_mpi_comm_world", commWorld_},
              {"ompi_mpi_double", double_},
              {"ompi_mpi_float", float_},
              {"ompi_mpi_sum", sumOp_}};
  return true;
}

bool Mpi::sum(double *values, int64_t n, std::string &error) const {
  std::vector<double> send(values, values + n);
  if (allreduce_(send.data(), values, int(n), double_, sumOp_, commWorld_) != 0) {
    error = "MPI_Allreduce of " + std::to_string(n) + " values failed on rank " +
            std::to_string(rank_);
    return false;
  }
  return true;
}

void Mpi::abort(int code) const {
  std::fflush(stdout);
  std::fflush(stderr);
  abort_(commWorld_, code);
  std::_Exit(code);
}

void Mpi::finalize() {
  if (!finalized_ && finalize_)
    finalize_();
  finalized_ = true;
}
