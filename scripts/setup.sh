#!/usr/bin/env bash
# Installs the Debian packages stde needs to build and test. Idempotent: a package
# that is already installed is not fetched again, and nothing is done when all are present.
set -euo pipefail

PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools   # LLVM/MLIR 22 (shared libs, lit, FileCheck)
  cmake ninja-build ccache g++ python3                     # build
  libgtest-dev                                             # C++ unit tests
  libopenblas-dev                                          # matrix products of compiled code
  libomp-22-dev                                            # thread teams of compiled code (OpenMP)
  openmpi-bin                                              # data-parallel training (mpirun, libmpi, opened at run time)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
