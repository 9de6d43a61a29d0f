//===- Checkpoint.cpp - training state on disk, written atomically --------===//
#include "runtime/Checkpoint.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stde::runtime {

namespace {

constexpr char kMagic[8] = {'S', 'T', 'D', 'E', 'C', 'K', 'P', '2'};
constexpr char kOldMagic[8] = {'S', 'T', 'D', 'E', 'C', 'K', 'P', '1'};

/// Every size the file holds, in front of the data, so a reader knows the
/// file's length before it reads any array.
struct Header {
  uint64_t configBytes = 0;
  uint32_t elementSize = 0;
  uint32_t reserved = 0;
  int64_t numParams = 0;
  uint64_t paramBytes = 0;
  uint64_t stateBytes = 0; ///< of m, and of v
  int64_t nextStep = 0;
  uint64_t seed = 0;
  double bestError = 0.0;
  double seconds = 0.0;
};

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull, kPrime2 = 0xC2B2AE3D27D4EB4Full;

uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/// One word into one lane: every step is a bijection of the lane's value, so
/// changing any one word always changes the result.
uint64_t mixWord(uint64_t lane, uint64_t word) { return rotl(lane + word * kPrime2, 31) * kPrime1; }

std::string systemError(const std::string &what, const std::string &path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

/// Moves all of `size` bytes with ::read or ::write, retrying short
/// transfers and EINTR; false on an error or an early end of file.
template <typename Byte, typename Transfer>
bool transferAll(int fd, Byte *p, size_t size, Transfer transfer) {
  while (size > 0) {
    ssize_t n = transfer(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    size -= size_t(n);
  }
  return true;
}

bool writeAll(int fd, const void *data, size_t size) {
  return transferAll(fd, static_cast<const char *>(data), size, ::write);
}
bool readAll(int fd, void *data, size_t size) {
  return transferAll(fd, static_cast<char *>(data), size, ::read);
}

/// A checksum fed piece by piece: the same value as one call over the
/// concatenation, without copying the pieces together.
class Checksum {
public:
  Checksum &update(const void *data, size_t size) {
    const unsigned char *p = static_cast<const unsigned char *>(data);
    total_ += size;
    while (size > 0) {
      size_t take = std::min(size, sizeof(uint64_t) - pendingBytes_);
      std::memcpy(pending_ + pendingBytes_, p, take);
      pendingBytes_ += take;
      p += take;
      size -= take;
      if (pendingBytes_ == sizeof(uint64_t))
        flushWord();
    }
    return *this;
  }
  uint64_t finish() {
    if (pendingBytes_ > 0) {
      std::memset(pending_ + pendingBytes_, 0, sizeof(uint64_t) - pendingBytes_);
      flushWord();
    }
    uint64_t h = total_ * kPrime1;
    for (uint64_t lane : lanes_)
      h = rotl(h ^ mixWord(0, lane), 27) * kPrime1 + kPrime2;
    h ^= h >> 33;
    h *= kPrime2;
    h ^= h >> 29;
    return h;
  }

private:
  void flushWord() {
    uint64_t word;
    std::memcpy(&word, pending_, sizeof word);
    uint64_t &lane = lanes_[words_ % 4];
    lane = mixWord(lane, word);
    ++words_;
    pendingBytes_ = 0;
  }
  uint64_t lanes_[4] = {kPrime1, kPrime2, kPrime1 ^ kPrime2, kPrime1 + kPrime2};
  uint64_t total_ = 0, words_ = 0;
  unsigned char pending_[sizeof(uint64_t)];
  size_t pendingBytes_ = 0;
};

uint64_t checksumOf(const std::string &header, const Checkpoint &c) {
  return Checksum()
      .update(header.data(), header.size())
      .update(c.config.data(), c.config.size())
      .update(c.params.data(), c.params.size())
      .update(c.m.data(), c.m.size())
      .update(c.v.data(), c.v.size())
      .finish();
}

std::string headerBytes(const Header &h) {
  std::string bytes(kMagic, sizeof kMagic);
  bytes.append(reinterpret_cast<const char *>(&h), sizeof h);
  return bytes;
}

} // namespace

uint64_t checkpointChecksum(const void *data, size_t size) {
  return Checksum().update(data, size).finish();
}

std::string saveCheckpoint(const std::string &path, const Checkpoint &c) {
  Header h;
  h.configBytes = c.config.size();
  h.elementSize = c.elementSize;
  h.numParams = c.numParams;
  h.paramBytes = c.params.size();
  h.stateBytes = c.m.size();
  h.nextStep = c.nextStep;
  h.seed = c.seed;
  h.bestError = c.bestError;
  h.seconds = c.seconds;
  if (c.v.size() != c.m.size())
    return "cannot write the checkpoint '" + path + "': the two optimizer moments differ in size";
  std::string head = headerBytes(h);
  uint64_t checksum = checksumOf(head, c);

  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return systemError("cannot write the checkpoint", temp);
  auto fail = [&](const char *what) {
    std::string error = systemError(what, temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return error;
  };
  if (!writeAll(fd, head.data(), head.size()) ||
      !writeAll(fd, c.config.data(), c.config.size()) ||
      !writeAll(fd, c.params.data(), c.params.size()) || !writeAll(fd, c.m.data(), c.m.size()) ||
      !writeAll(fd, c.v.data(), c.v.size()) || !writeAll(fd, &checksum, sizeof checksum))
    return fail("writing the checkpoint failed");
  if (::fsync(fd) != 0)
    return fail("flushing the checkpoint failed");
  if (::close(fd) != 0) {
    std::string error = systemError("flushing the checkpoint failed", temp);
    ::unlink(temp.c_str());
    return error;
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::string error = systemError("cannot move the checkpoint into place", path);
    ::unlink(temp.c_str());
    return error;
  }
  return "";
}

std::string loadCheckpoint(const std::string &path, Checkpoint &c) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0)
    return systemError("cannot open the checkpoint", path);
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat info;
  if (::fstat(fd, &info) != 0)
    return systemError("cannot read the checkpoint", path);
  if (!S_ISREG(info.st_mode))
    return "'" + path + "' is not a regular file: resume from a file written by --checkpoint";
  uint64_t fileBytes = uint64_t(info.st_size);
  char magic[sizeof kMagic];
  Header h;
  if (fileBytes < sizeof magic || !readAll(fd, magic, sizeof magic))
    return "'" + path + "' is not an stde checkpoint (it is shorter than the magic number)";
  if (std::memcmp(magic, kOldMagic, sizeof magic) == 0)
    return "'" + path + "' is a checkpoint of an older format without a checksum: this stde "
           "cannot resume it; start the run again";
  if (std::memcmp(magic, kMagic, sizeof magic) != 0)
    return "'" + path + "' is not an stde checkpoint (bad magic number)";
  auto corrupt = [&](const std::string &why) {
    return "'" + path + "' is truncated or corrupt (" + why + "): resume from another "
           "checkpoint or start again";
  };
  if (!readAll(fd, &h, sizeof h))
    return corrupt("the header is incomplete");
  // Each size is bounded by the file's before they are added, so the sum
  // cannot wrap and nothing larger than the file is ever allocated.
  uint64_t sizes[] = {h.configBytes, h.paramBytes, h.stateBytes, h.stateBytes};
  uint64_t expected = sizeof magic + sizeof h + sizeof(uint64_t);
  for (uint64_t size : sizes) {
    if (size > fileBytes)
      return corrupt("the file holds " + std::to_string(fileBytes) +
                     " bytes, its header states more");
    expected += size;
  }
  if (expected != fileBytes)
    return corrupt("the file holds " + std::to_string(fileBytes) + " bytes, its header states " +
                   std::to_string(expected));
  if ((h.elementSize != 4 && h.elementSize != 8) || h.numParams < 0 || h.nextStep < 0 ||
      h.paramBytes != uint64_t(h.numParams) * h.elementSize || h.stateBytes % h.elementSize != 0)
    return corrupt("the header's sizes disagree");
  c.config.resize(h.configBytes);
  c.params.resize(h.paramBytes);
  c.m.resize(h.stateBytes);
  c.v.resize(h.stateBytes);
  uint64_t stored = 0;
  if (!readAll(fd, c.config.data(), c.config.size()) ||
      !readAll(fd, c.params.data(), c.params.size()) || !readAll(fd, c.m.data(), c.m.size()) ||
      !readAll(fd, c.v.data(), c.v.size()) || !readAll(fd, &stored, sizeof stored))
    return corrupt("it ended early");
  if (checksumOf(headerBytes(h), c) != stored)
    return corrupt("its checksum does not match its contents");
  c.elementSize = h.elementSize;
  c.numParams = h.numParams;
  c.nextStep = h.nextStep;
  c.seed = h.seed;
  c.bestError = h.bestError;
  c.seconds = h.seconds;
  return "";
}

} // namespace stde::runtime
