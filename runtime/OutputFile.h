//===- OutputFile.h - files written whole, with every error checked -*- C++ -*-===//
//
// Outputs a run reports (JSON, parameters, plots) are only "written" when
// every write, the flush and the close succeeded: a full disk or /dev/full
// is an error, not an exit status of 0 over an empty file. A failed write
// leaves no partial regular file behind.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_OUTPUTFILE_H
#define STDE_RUNTIME_OUTPUTFILE_H

#include <cstddef>
#include <string>

namespace stde::runtime {

/// Writes `size` bytes to `path` (created or truncated); returns an empty
/// string or the error, naming `what` ("the JSON summary") and the path.
std::string writeWholeFile(const std::string &path, const void *data, size_t size,
                           const std::string &what);

/// The same through FILE.tmp renamed over FILE, so FILE is either the old
/// or the new contents (for regular files that are rewritten during a run).
std::string replaceFileAtomically(const std::string &path, const std::string &contents,
                                  const std::string &what);

/// An empty string when a file can be created at `path` (its folder exists
/// and is writable), else an error naming the folder and `flag`, the option
/// that chose the path. With `replaced` (files written through FILE.tmp and
/// renamed), an existing `path` must be a regular file: renaming over a
/// device or a folder is refused. Checked before a long run, not instead of
/// checking the writes.
std::string checkCanCreate(const std::string &path, const std::string &flag,
                           bool replaced = false);

} // namespace stde::runtime

#endif // STDE_RUNTIME_OUTPUTFILE_H
