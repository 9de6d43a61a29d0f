#!/usr/bin/env bash
# The stde training step against the JAX reference step (jet under vmap,
# benchmarks/jax_reference/stde_step.py) on this machine, in one run, one
# process per (implementation, rewrites, d):
#   - stde with every rewrite on, and with each rewrite turned off in turn
#     (stde::rewritesWithout names: collapse, merge, one-hot, zero,
#     runtime-matmul);
#   - the JAX STDE step;
#   - a plain 2048^3 OpenBLAS sgemm: the machine's f32 product rate.
# Usage:
#   benchmarks/training_step/run.sh [d ...]      (default 100 1000 10000 100000 1000000)
# At d = 1M only stde with every rewrite on runs, and JAX under a 20 GB
# address-space limit (it materializes one-hot tangents densely: 16 x 100 x d
# floats per coefficient). Needs python3 with venv; installs CPU jax into
# build/bench-venv on first use. Writes results.jsonl beside this script and
# prints the tables of benchmarks/RESULTS.md.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build.sh || exit 1
cmake --install build --prefix build/bench-prefix > /dev/null || exit 1
cmake -G Ninja -S benchmarks/training_step -B build/bench-training-step \
  -DCMAKE_PREFIX_PATH="$PWD/build/bench-prefix" > /dev/null || exit 1
cmake --build build/bench-training-step > /dev/null || exit 1
if [ ! -x build/bench-venv/bin/python ]; then
  python3 -m venv build/bench-venv
  build/bench-venv/bin/pip install -q jax jaxlib numpy
fi
dims=("$@")
[ ${#dims[@]} -eq 0 ] && dims=(100 1000 10000 100000 1000000)
bench=build/bench-training-step/training_step
out=benchmarks/training_step/results.jsonl
: > "$out"
$bench --sgemm 2048 5 | tee -a "$out"
for d in "${dims[@]}"; do
  steps=20
  [ "$d" -ge 100000 ] && steps=5
  [ "$d" -ge 1000000 ] && steps=3
  $bench "$d" "$steps" 2 | tee -a "$out"
  if [ "$d" -lt 1000000 ]; then
    for off in collapse merge one-hot zero runtime-matmul; do
      $bench "$d" "$steps" 1 "$off" | tee -a "$out"
    done
  fi
  if [ "$d" -ge 1000000 ]; then
    (ulimit -v 20000000; build/bench-venv/bin/python benchmarks/jax_reference/stde_step.py \
       --dim "$d" --steps "$steps") | tee -a "$out" ||
      echo "{\"impl\": \"jax\", \"dim\": $d, \"failed\": \"did not fit in 20 GB\"}" | tee -a "$out"
  else
    build/bench-venv/bin/python benchmarks/jax_reference/stde_step.py --dim "$d" --steps "$steps" |
      tee -a "$out"
  fi
done
python3 benchmarks/training_step/tables.py "$out"
