#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then configures and builds stde
# with Ninja (at most 2 jobs) against Debian's LLVM/MLIR 22.
#   BUILD_DIR      build folder (default: build)
#   STDE_SANITIZE  1 for an AddressSanitizer + UndefinedBehaviorSanitizer build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-build}
sanitize=OFF
build_type=Release
opt_flags=()
if [ "${STDE_SANITIZE:-0}" = 1 ]; then
  # -O1 -g1 (line tables): sanitizer reports keep their file:line, and the
  # build takes about half the time of -O2 -g on 2 cores.
  sanitize=ON; build_type=RelWithDebInfo
  opt_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
fi

cd "$root"
bash scripts/setup.sh
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build_dir" \
    -DCMAKE_BUILD_TYPE="$build_type" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DSTDE_SANITIZE="$sanitize" "${opt_flags[@]}"
fi
ninja -C "$build_dir" -j "${STDE_JOBS:-2}"
