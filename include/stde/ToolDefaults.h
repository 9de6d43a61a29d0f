//===- ToolDefaults.h - command-line defaults of stde's tools ---*- C++ -*-===//
//
// Shared by stde-opt and stde-translate. An error on an op is printed once,
// in the form the user wrote: MLIR's default note "see current operation:"
// repeats the op in generic form, which is noise for someone fixing a
// problem file. --mlir-print-op-on-diagnostic=true brings it back.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_TOOLDEFAULTS_H
#define STDE_TOOLDEFAULTS_H

#include <cstring>
#include <vector>

namespace stde {

/// argv with the tools' defaults added where the user set nothing else.
inline std::vector<char *> withToolDefaults(int argc, char **argv) {
  static char quietOp[] = "--mlir-print-op-on-diagnostic=false";
  std::vector<char *> args(argv, argv + argc);
  bool given = false;
  for (int i = 1; i < argc; ++i)
    given |= std::strncmp(argv[i], "--mlir-print-op-on-diagnostic", 29) == 0 ||
             std::strncmp(argv[i], "-mlir-print-op-on-diagnostic", 28) == 0;
  if (!given)
    args.insert(args.begin() + 1, quietOp);
  return args;
}

} // namespace stde

#endif // STDE_TOOLDEFAULTS_H
