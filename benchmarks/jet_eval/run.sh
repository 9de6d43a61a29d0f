#!/usr/bin/env bash
# Builds stde (scripts/build.sh), installs it into build/bench-prefix, builds
# and runs the jet evaluation benchmark for each dimension given (default 100 1000).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build.sh
cmake --install build --prefix build/bench-prefix > /dev/null
cmake -G Ninja -S benchmarks/jet_eval -B build/bench-jet-eval -DCMAKE_PREFIX_PATH="$PWD/build/bench-prefix" > /dev/null
cmake --build build/bench-jet-eval > /dev/null
dims=("$@")
[ ${#dims[@]} -eq 0 ] && dims=(100 1000)
for d in "${dims[@]}"; do
  build/bench-jet-eval/jet_eval "$d"
done
