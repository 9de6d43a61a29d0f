//===- Checkpoint.cpp - training state on disk, written atomically --------===//
#include "runtime/Checkpoint.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace stde::runtime {

namespace {

constexpr char kMagic[8] = {'S', 'T', 'D', 'E', 'C', 'K', 'P', '1'};

struct Writer {
  std::string bytes;
  template <typename T> void pod(const T &v) {
    bytes.append(reinterpret_cast<const char *>(&v), sizeof v);
  }
  void blob(const void *data, uint64_t size) {
    pod(size);
    bytes.append(static_cast<const char *>(data), size);
  }
};

struct Reader {
  const std::string &bytes;
  size_t at = 0;
  bool ok = true;
  template <typename T> void pod(T &v) {
    if (at + sizeof v > bytes.size()) {
      ok = false;
      return;
    }
    std::memcpy(&v, bytes.data() + at, sizeof v);
    at += sizeof v;
  }
  template <typename Container> void blob(Container &out) {
    uint64_t size = 0;
    pod(size);
    if (!ok || size > bytes.size() - at) {
      ok = false;
      return;
    }
    out.assign(bytes.begin() + at, bytes.begin() + at + size);
    at += size;
  }
};

std::string systemError(const std::string &what, const std::string &path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

} // namespace

std::string saveCheckpoint(const std::string &path, const Checkpoint &c) {
  Writer w;
  w.bytes.append(kMagic, sizeof kMagic);
  w.blob(c.config.data(), c.config.size());
  w.pod(c.elementSize);
  w.pod(c.numParams);
  w.pod(c.nextStep);
  w.pod(c.seed);
  w.pod(c.bestError);
  w.pod(c.seconds);
  w.blob(c.params.data(), c.params.size());
  w.blob(c.m.data(), c.m.size());
  w.blob(c.v.data(), c.v.size());

  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return systemError("cannot write the checkpoint", temp);
  size_t done = 0;
  while (done < w.bytes.size()) {
    ssize_t n = ::write(fd, w.bytes.data() + done, w.bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      std::string error = systemError("writing the checkpoint failed", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return error;
    }
    done += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::string error = systemError("flushing the checkpoint failed", temp);
    ::unlink(temp.c_str());
    return error;
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0)
    return systemError("cannot move the checkpoint into place", path);
  return "";
}

std::string loadCheckpoint(const std::string &path, Checkpoint &c) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return systemError("cannot open the checkpoint", path);
  std::string bytes;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
    bytes.append(buffer, n);
  std::fclose(file);
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return "'" + path + "' is not an stde checkpoint (bad magic)";
  Reader r{bytes, sizeof kMagic};
  r.blob(c.config);
  r.pod(c.elementSize);
  r.pod(c.numParams);
  r.pod(c.nextStep);
  r.pod(c.seed);
  r.pod(c.bestError);
  r.pod(c.seconds);
  r.blob(c.params);
  r.blob(c.m);
  r.blob(c.v);
  size_t expected = size_t(c.numParams) * c.elementSize;
  if (!r.ok || r.at != bytes.size() || (c.elementSize != 4 && c.elementSize != 8) ||
      c.numParams < 0 || c.nextStep < 0 || c.params.size() != expected ||
      c.m.size() != c.v.size() || c.m.size() % c.elementSize != 0)
    return "'" + path + "' is truncated or corrupt";
  return "";
}

} // namespace stde::runtime
