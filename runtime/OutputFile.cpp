//===- OutputFile.cpp - files written whole, with every error checked -----===//
#include "runtime/OutputFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace stde::runtime {

namespace {

bool isRegularFile(const std::string &path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::string folderOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

std::string writeWholeFile(const std::string &path, const void *data, size_t size,
                           const std::string &what) {
  std::FILE *file = std::fopen(path.c_str(), "wb");
  if (!file)
    return "cannot write " + what + " '" + path + "': " + std::strerror(errno);
  int error = 0;
  auto failed = [&] { error = error ? error : (errno ? errno : EIO); };
  errno = 0;
  if (std::fwrite(data, 1, size, file) != size)
    failed();
  if (std::fflush(file) != 0)
    failed();
  if (std::fclose(file) != 0)
    failed();
  if (!error)
    return "";
  if (isRegularFile(path))
    ::unlink(path.c_str());
  return "cannot write " + what + " '" + path + "': " + std::strerror(error);
}

std::string replaceFileAtomically(const std::string &path, const std::string &contents,
                                  const std::string &what) {
  std::string temp = path + ".tmp";
  if (std::string error = writeWholeFile(temp, contents.data(), contents.size(), what);
      !error.empty())
    return error;
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::string error = "cannot move " + what + " into place at '" + path + "': " +
                        std::strerror(errno);
    ::unlink(temp.c_str());
    return error;
  }
  return "";
}

std::string checkCanCreate(const std::string &path, const std::string &flag, bool replaced) {
  std::string folder = folderOf(path);
  struct stat info;
  if (replaced && ::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
    return flag + " " + path + ": not a regular file (it would be replaced by renaming a new "
                               "file over it): choose a file's path";
  if (::stat(folder.c_str(), &info) != 0)
    return flag + " " + path + ": the folder '" + folder + "' does not exist (" +
           std::strerror(errno) + "): create it or choose another path";
  if (!S_ISDIR(info.st_mode))
    return flag + " " + path + ": '" + folder + "' is not a folder: choose another path";
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    return flag + " " + path + ": the folder '" + folder + "' is not writable (" +
           std::strerror(errno) + "): choose another path";
  return "";
}

} // namespace stde::runtime
