//===- DeviceCalls.cpp - calling compiled entry points on the CPU or a GPU ===//
#include "DeviceCalls.h"

#include "runtime/BufferPool.h"
#include "runtime/CudaRuntime.h"
#include "runtime/GpuEmulator.h"

#include <cstdio>
#include <cstring>

using namespace stde;

namespace {

std::mutex &emulatorCalls() {
  static std::mutex calls;
  return calls;
}

Status emulatorStatus() {
  runtime::GpuEmulator &emulator = runtime::GpuEmulator::global();
  if (std::string error = emulator.takeError(); !error.empty())
    return Status::error("GPU emulator: " + error);
  size_t pending = emulator.pending();
  emulator.synchronize(); // the frees left queued, and whatever a missing wait left
  if (pending)
    return Status::error("internal: the compiled call returned with " + std::to_string(pending) +
                         " kernel launches or copies not yet run (a missing wait; GPU emulator)");
  if (std::string error = emulator.takeError(); !error.empty())
    return Status::error("GPU emulator: " + error);
  return Status::success();
}

} // namespace

Staging::Staging(Device device) : gpu(device.gpu), emulated(device.emulated) {
  // The emulator has one queue for the process: one emulated call at a
  // time, so that each call's waits and checks see only its own work.
  if (emulated)
    emulatorCall = std::unique_lock<std::mutex>(emulatorCalls());
}

Staging::~Staging() {
  for (Copy &c : copies)
    gpu->release(c.device);
}

void *Staging::stage(void *host, size_t bytes, Access access) {
  if (!gpu || gpu->owns(host, bytes))
    return host; // host memory on the CPU; a StateBuffer on the GPU
  void *device = gpu->allocate(bytes);
  if (!device) {
    if (failed.ok())
      failed = Status::error(gpu->takeError());
    return host; // never launched: the call is skipped
  }
  if (access != Access::write)
    std::memcpy(device, host, bytes);
  copies.push_back({host, device, bytes, access != Access::read});
  return device;
}

Status Staging::finish() {
  if (emulated)
    return emulatorStatus();
  if (!gpu)
    return Status::success();
  gpu->synchronize();
  if (std::string error = gpu->takeError(); !error.empty())
    return Status::error(error);
  for (Copy &c : copies)
    if (c.back)
      std::memcpy(c.host, c.device, c.bytes);
  return Status::success();
}

MemRefDescriptor stde::describe(const void *data, std::vector<int64_t> shape) {
  MemRefDescriptor d{data, data, 0, {}};
  int64_t rank = shape.size(), stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    d.sizesAndStrides[i] = shape[i];
    d.sizesAndStrides[rank + i] = stride;
    stride *= shape[i];
  }
  return d;
}

EntryCall::EntryCall(Device device, const EntrySignature *signature, void (*entry)(void **),
                     const EntrySizes &sizes, size_t elementBytes)
    : device(device), signature(signature), entry(entry), sizes(sizes),
      elementBytes(elementBytes) {
  size_t n = signature ? signature->arguments.size() : 0;
  data.assign(n, nullptr);
  integers.assign(n, 0);
  bound.assign(n, false);
}

EntryCall CompiledEntries::call(const EntrySignature &signature, Device device,
                                const EntrySizes &sizes, size_t elementBytes) const {
  for (const Entry &e : entries)
    if (e.signature.symbol == signature.symbol)
      return EntryCall(device, &e.signature, e.entry, sizes, elementBytes);
  EntryCall missing(device, nullptr, nullptr, sizes, elementBytes);
  missing.error = "internal: the program has no entry point " + signature.symbol.str();
  return missing;
}

EntryCall &EntryCall::bind(llvm::StringRef name, void *pointer, bool buffer, bool readOnly,
                           int64_t value) {
  if (!signature)
    return *this;
  int index = signature->indexOf(name);
  std::string where = signature->symbol.str() + " argument '" + name.str() + "'";
  if (index < 0) {
    error = "internal: " + where + " does not exist";
    return *this;
  }
  const EntryArgument &argument = signature->arguments[index];
  if (argument.isBuffer != buffer)
    error = "internal: " + where + (buffer ? " is an integer" : " is a buffer");
  else if (buffer && readOnly && argument.access != Access::read)
    error = "internal: " + where + " is written by the call; it cannot take read-only memory";
  else if (buffer && !pointer)
    error = "internal: " + where + " is null";
  data[index] = pointer;
  integers[index] = value;
  bound[index] = true;
  return *this;
}

EntryCall &EntryCall::buffer(llvm::StringRef name, void *pointer) {
  return bind(name, pointer, true, false, 0);
}
EntryCall &EntryCall::input(llvm::StringRef name, const void *pointer) {
  return bind(name, const_cast<void *>(pointer), true, true, 0);
}
EntryCall &EntryCall::integer(llvm::StringRef name, int64_t value) {
  return bind(name, nullptr, false, false, value);
}

Status EntryCall::run() {
  if (!error.empty())
    return Status::error(error);
  for (auto [i, argument] : llvm::enumerate(signature->arguments))
    if (!bound[i])
      return Status::error("internal: " + signature->symbol.str() + " argument '" +
                           argument.name.str() + "' was not bound");

  Staging staging(device);
  size_t n = signature->arguments.size();
  // The C interface takes a pointer to each memref descriptor and each
  // integer by value; the packed entry takes a pointer to each argument.
  std::vector<MemRefDescriptor> descriptors(n);
  std::vector<MemRefDescriptor *> pointers(n, nullptr);
  std::vector<void *> packed(n, nullptr);
  for (auto [i, argument] : llvm::enumerate(signature->arguments)) {
    if (!argument.isBuffer) {
      packed[i] = &integers[i];
      continue;
    }
    llvm::SmallVector<int64_t> shape = shapeOf(argument.extent, sizes);
    size_t count = 1;
    for (int64_t extent : shape)
      count *= size_t(extent);
    void *staged = staging.stage(data[i], count * elementBytes, argument.access);
    descriptors[i] = describe(staged, std::vector<int64_t>(shape.begin(), shape.end()));
    pointers[i] = &descriptors[i];
    packed[i] = &pointers[i];
  }
  if (!staging.ok())
    return staging.failure();
  // An allocation the compiled code cannot get ends the call, not the
  // process (runtime/BufferPool.h).
  uint64_t mark = device.gpu ? device.gpu->allocationMark() : 0;
  if (size_t failed = runtime::runGuarded(entry, packed.data())) {
    // The device runtime's own account (sizes, free memory) when it has
    // one; the device memory the ended call held goes back.
    Status finished = staging.finish();
    if (device.gpu)
      device.gpu->releaseSince(mark);
    if (!finished)
      return finished;
    char size[64];
    std::snprintf(size, sizeof size, failed >= 1000000 ? "%zu bytes (%.1f MB)" : "%zu bytes",
                  failed, double(failed) / 1e6);
    return Status::error(signature->symbol.str() + " could not allocate a temporary of " + size +
                         ": the machine (or the memory limit) has no more; use fewer points "
                         "per step, a narrower network, f32, or the zeroth-order method");
  }
  return staging.finish();
}
