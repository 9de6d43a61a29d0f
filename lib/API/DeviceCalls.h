//===- DeviceCalls.h - calling compiled entry points on the CPU or a GPU -*- C++ -*-===//
//
// A compiled program's entry points run on the CPU, through the CUDA
// runtime, or on the GPU emulator. EntryCall marshals one call from its
// signature (EntryPoints.h): buffers and integers are bound by argument
// name, staged to the device as the signature's access says, and packed in
// the signature's order.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_DEVICECALLS_H
#define STDE_LIB_API_DEVICECALLS_H

#include "EntryPoints.h"

#include "stde/API/Status.h"

#include <mutex>
#include <vector>

namespace stde {

namespace runtime {
class CudaRuntime;
} // namespace runtime

/// The in-memory layout of an MLIR memref descriptor of rank <= 3.
struct MemRefDescriptor {
  const void *allocated;
  const void *aligned;
  int64_t offset;
  int64_t sizesAndStrides[6];
};
MemRefDescriptor describe(const void *data, std::vector<int64_t> shape);

/// Where a program's compiled calls run: the CPU (no runtime), the CUDA
/// runtime, or the GPU emulator (kernels on the CPU, in host memory).
struct Device {
  runtime::CudaRuntime *gpu = nullptr;
  bool emulated = false;
};

/// The caller's buffers as a compiled call sees them. On the CPU (and the
/// emulator) they are passed as they are. On the GPU the kernels cannot read
/// host memory: each buffer is copied into managed memory before the call
/// (unless the call only writes it) and back after it (unless it only reads
/// it), and finish() waits for the kernels and turns a CUDA error into a
/// Status. With the emulator, finish() reports what it found: an error, or
/// work the compiled code left queued after it returned (a missing wait).
class Staging {
public:
  explicit Staging(Device device);
  Staging(const Staging &) = delete;
  ~Staging();

  void *stage(void *host, size_t bytes, Access access);
  Status finish();
  /// An allocation failed before the call (the message is the runtime's).
  Status failure() const { return failed; }
  bool ok() const { return failed.ok(); }

private:
  struct Copy {
    void *host, *device;
    size_t bytes;
    bool back;
  };
  runtime::CudaRuntime *gpu;
  bool emulated;
  std::unique_lock<std::mutex> emulatorCall;
  std::vector<Copy> copies;
  Status failed = Status::success();
};

/// One call of a compiled entry point.
class EntryCall {
public:
  /// `signature` null: the program has no such entry (run() says so).
  EntryCall(Device device, const EntrySignature *signature, void (*entry)(void **),
            const EntrySizes &sizes, size_t elementBytes);

  /// Binds buffer argument `name` (as many values as its extent holds).
  EntryCall &buffer(llvm::StringRef name, void *data);
  /// Binds a buffer the call only reads.
  EntryCall &input(llvm::StringRef name, const void *data);
  EntryCall &integer(llvm::StringRef name, int64_t value);
  /// Stages the buffers and calls the entry (a packed C interface); fails
  /// before calling when an argument is unbound or bound wrongly.
  Status run();

private:
  friend class CompiledEntries;
  EntryCall &bind(llvm::StringRef name, void *data, bool buffer, bool readOnly, int64_t value);

  Device device;
  const EntrySignature *signature;
  void (*entry)(void **);
  EntrySizes sizes;
  size_t elementBytes;
  std::vector<void *> data;
  std::vector<int64_t> integers;
  std::vector<bool> bound;
  std::string error;
};

/// The entry points of a compiled program, found by symbol.
class CompiledEntries {
public:
  void add(EntrySignature signature, void (*entry)(void **)) {
    entries.push_back({std::move(signature), entry});
  }
  /// A call of the entry `signature` names (an error at run() if absent).
  EntryCall call(const EntrySignature &signature, Device device, const EntrySizes &sizes,
                 size_t elementBytes) const;

private:
  struct Entry {
    EntrySignature signature;
    void (*entry)(void **);
  };
  std::vector<Entry> entries;
};

} // namespace stde

#endif // STDE_LIB_API_DEVICECALLS_H
