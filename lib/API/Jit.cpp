//===- Jit.cpp - one way to JIT-compile an LLVM-dialect module ------------===//
#include "Jit.h"

#include "runtime/BufferPool.h"
#include "runtime/CudaLauncher.h"
#include "runtime/GpuEmulator.h"
#include "runtime/Matmul.h"
#include "runtime/Mpi.h"
#include "stde/API/Training.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/CommandLine.h"

#include <mutex>

using namespace stde;

// LLVM's OpenMP runtime (libomp), linked by libstde: the compiled code's
// thread teams call its __kmpc_* entry points, which the JIT finds in the
// process.
extern "C" int omp_get_max_threads(void);

int stde::defaultCpuThreads() { return omp_get_max_threads(); }

namespace {

/// calloc on the allocator the compiled code's malloc is bound to: LLVM
/// turns a malloc followed by a zero fill into a calloc call, and the block
/// it returns goes back through the bound free (libc's calloc would hand
/// that free a block of another allocator).
template <void *(*Allocate)(size_t)>
void *zeroedWith(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size)
    return nullptr;
  void *block = Allocate(count * size);
  if (block)
    std::memset(block, 0, count * size);
  return block;
}

/// Full unrolling only of loops of at most this many iterations (LLVM's O3
/// has no limit but a size budget). Longer loops stay loops for the loop
/// vectorizer, which handles them better than full unrolling followed by SLP
/// vectorization (a width-32 step ran 1.5x faster with 16 than with no
/// limit), and they cost far less to compile: with 4 instead of 16 the
/// 16-direction loops of a sparse |J| = 16 step and every loop of a small
/// problem (8 points, width 8) stay loops, and a d = 100 step compiles 2.5x
/// (width 128) to 5x (width 64, 16 points) faster at the same step rate
/// (benchmarks/RESULTS.md, "Compile time: full unrolling up to 4 iterations").
constexpr const char *kFullUnrollMaxTripCount = "4";

/// LLVM reads the limit from its command-line option only (no pipeline
/// tuning option carries it). It is set once per process, unless the
/// embedding program has set it itself.
void limitFullUnrolling() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto &options = llvm::cl::getRegisteredOptions();
    auto found = options.find("unroll-full-max-count");
    if (found != options.end() && found->second->getNumOccurrences() == 0)
      (void)found->second->addOccurrence(0, "unroll-full-max-count", kFullUnrollMaxTripCount);
  });
}

} // namespace

Expected<std::shared_ptr<mlir::ExecutionEngine>> stde::jitCompile(mlir::ModuleOp module,
                                                                  JitRuntime runtime) {
  limitFullUnrolling();
  auto hostMachine = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostMachine)
    return Status::error("cannot describe the host CPU: " +
                         llvm::toString(hostMachine.takeError()));
  auto targetMachine = hostMachine->createTargetMachine();
  if (!targetMachine)
    return Status::error("cannot create a target machine for the host: " +
                         llvm::toString(targetMachine.takeError()));
  // ExecutionEngineOptions::transformer is a function_ref: the function it
  // refers to must outlive create().
  std::function<llvm::Error(llvm::Module *)> optimize =
      mlir::makeOptimizingTransformer(3, 0, targetMachine->get());
  mlir::ExecutionEngineOptions options;
  options.transformer = optimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // The engine notifies perf and gdb by default, and perf's listener writes a
  // jitdump file under $JITDUMPDIR, $HOME or the temporary folder at every
  // compile. Only STDE_PERF_JIT=1 turns both on (name the compiled functions
  // for `perf inject --jit` and for a debugger); otherwise nothing is written.
  const char *perf = std::getenv("STDE_PERF_JIT");
  bool profile = perf && std::string(perf) == "1";
  options.enablePerfNotificationListener = profile;
  options.enableGDBNotificationListener = profile;
  // Copies between strided memrefs call memrefCopy from MLIR's C runner
  // utilities (contiguous ones become llvm.memcpy).
  static const llvm::SmallVector<llvm::StringRef, 1> libraries{STDE_C_RUNNER_UTILS};
  options.sharedLibPaths = libraries;
  // A data-parallel step calls MPI (stde-sum-across-ranks): the symbols
  // come from the MPI library the runtime opened (runtime/Mpi.h).
  const runtime::Mpi *mpi = nullptr;
  if (module.lookupSymbol("MPI_Allreduce")) {
    std::string error;
    mpi = runtime::Mpi::world(&error);
    if (!mpi)
      return Status::error("the program sums over MPI ranks, but " + error);
  }
  auto engine = mlir::ExecutionEngine::create(module, options, std::move(*targetMachine));
  if (!engine)
    return Status::error("JIT compilation failed: " + llvm::toString(engine.takeError()));
  // Matrix products call the runtime (convert-linalg-to-runtime); temporaries
  // come from the runtime's buffer pool (runtime/BufferPool.h): compiled code
  // allocates and frees them itself, nothing it allocates reaches the host.
  // On the GPU target buffers are managed memory and kernels are launched
  // through the runtime's mgpu* entry points; on the emulator everything
  // goes to the emulator.
  (*engine)->registerSymbols([runtime, mpi](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, auto *fn) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(fn),
                                 llvm::JITSymbolFlags::Exported};
    };
    if (mpi)
      for (const auto &[name, address] : mpi->compiledCodeSymbols())
        add(name.c_str(), address);
    add("_mlir_ciface_stde_matmul_f32", &_mlir_ciface_stde_matmul_f32);
    add("_mlir_ciface_stde_matmul_f64", &_mlir_ciface_stde_matmul_f64);
    switch (runtime) {
    case JitRuntime::cpu:
      add("malloc", &stde_pool_malloc);
      add("calloc", &zeroedWith<stde_pool_malloc>);
      add("free", &stde_pool_free);
      break;
    case JitRuntime::cuda:
      add("malloc", &stde_cuda_malloc);
      add("calloc", &zeroedWith<stde_cuda_malloc>);
      add("free", &stde_cuda_free);
      add("mgpuModuleLoadJIT", &mgpuModuleLoadJIT);
      add("mgpuModuleLoad", &mgpuModuleLoad);
      add("mgpuModuleUnload", &mgpuModuleUnload);
      add("mgpuModuleGetFunction", &mgpuModuleGetFunction);
      add("mgpuStreamCreate", &mgpuStreamCreate);
      add("mgpuStreamDestroy", &mgpuStreamDestroy);
      add("mgpuStreamSynchronize", &mgpuStreamSynchronize);
      add("mgpuLaunchKernel", &mgpuLaunchKernel);
      add("mgpuMemAlloc", &mgpuMemAlloc);
      add("mgpuMemFree", &mgpuMemFree);
      add("mgpuMemcpy", &mgpuMemcpy);
      add("mgpuMemset32", &mgpuMemset32);
      break;
    case JitRuntime::emulator:
      add("malloc", &stde_emu_malloc);
      add("calloc", &zeroedWith<stde_emu_malloc>);
      add("free", &stde_emu_free);
      add("mgpuStreamCreate", &stde_emu_stream_create);
      add("mgpuStreamDestroy", &stde_emu_stream_destroy);
      add("mgpuStreamSynchronize", &stde_emu_stream_synchronize);
      add("mgpuMemAlloc", &stde_emu_mem_alloc);
      add("mgpuMemFree", &stde_emu_mem_free);
      add("mgpuMemcpy", &stde_emu_memcpy);
      add("mgpuMemset32", &stde_emu_memset32);
      add("stde_emu_launch", &stde_emu_launch);
      add("stde_emu_thread_id", &stde_emu_thread_id);
      add("stde_emu_block_id", &stde_emu_block_id);
      add("stde_emu_block_dim", &stde_emu_block_dim);
      add("stde_emu_grid_dim", &stde_emu_grid_dim);
      add("stde_emu_barrier", &stde_emu_barrier);
      break;
    }
    return symbols;
  });
  // The GPU module's global constructor loads the embedded PTX.
  if (runtime == JitRuntime::cuda)
    (*engine)->initialize();
  return std::shared_ptr<mlir::ExecutionEngine>(std::move(*engine));
}

Expected<void (*)(void **)> stde::lookupEntry(mlir::ExecutionEngine &engine,
                                              const std::string &name) {
  auto entry = engine.lookupPacked("_mlir_ciface_" + name);
  if (!entry)
    return Status::error("internal: the entry point '" + name +
                         "' is missing: " + llvm::toString(entry.takeError()));
  return *entry;
}

