#!/usr/bin/env bash
# Zeroth order with its DEFAULT settings (no --lr: Adam on the subspace cores,
# rate 1e-2) against STDE with its defaults (Adam 1e-3), two-body Allen-Cahn,
# sparse |J| = 16, 100 points, 3 x 128 tanh, f32, both decaying to 0 at the
# last step. The two methods alternate run by run (same seed, same d), so the
# shared machine's noise falls on both alike.
#   d = 100, 1K, 10K: SEEDS (0 1 2 3 4), STEPS (1000) steps each
#   d = 100K:         seed 0, STEPS_100K (300) steps
#   d = 1M:           seed 0, STEPS_1M (40) steps (speed and memory)
# Usage: benchmarks/zeroth_order/defaults.sh [build-dir] [dims...]
# Writes results/defaults-{stde,zo}-d<D>-s<seed>.{json,csv} and prints the
# tables (defaults_tables.py).
set -euo pipefail
build=${1:-build}
shift || true
dims=${*:-100 1000 10000 100000 1000000}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/results
mkdir -p "$out"
train="$build/bin/stde-train"
common="--problem allen-cahn-two-body --estimator sparse --samples 16 --points 100 --width 128 --depth 4 --quiet"

for d in $dims; do
  seeds=${SEEDS:-0 1 2 3 4}
  steps=${STEPS:-1000}
  test=2000
  if (( d >= 100000 )); then seeds=0; steps=${STEPS_100K:-300}; test=1000; fi
  if (( d >= 1000000 )); then steps=${STEPS_1M:-40}; test=100; fi
  for s in $seeds; do
    for m in stde zo; do
      name="defaults-$m-d$d-s$s"
      $train $common --method $m --dim $d --seed $s --steps $steps \
        --eval-every $((steps / 10)) --test-points $test \
        --json "$out/$name.json" --out "$out/$name" > /dev/null
    done
  done
done
python3 "$here/defaults_tables.py" "$out"
