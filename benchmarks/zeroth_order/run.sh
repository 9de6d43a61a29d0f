#!/usr/bin/env bash
# The zeroth-order path (SDZE) against STDE on two-body Allen-Cahn, sparse
# |J| = 16 spatial estimator for both, run side by side in one go:
#   curves   error vs wall time at d = 100 and 1000 (STDE: Adam 1e-3;
#            ZO: ZO-SGD, rank 8, 1 pair, eps 1e-3, lr 1e-8 at d = 100 and
#            3e-12 at d = 1000: the initial loss grows from 2e6 to 5e9, and
#            ZO-SGD's stable rate with it), STEPS steps each
#   memory   peak RSS of 4 steps (and one small error evaluation) at d = 10K,
#            100K, 1M (DIMS), both paths
# Usage: benchmarks/zeroth_order/run.sh [build-dir] [curves|memory|all]
# Writes results/*.json and *.csv and prints the tables for RESULTS.md.
set -euo pipefail
build=${1:-build}
what=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/results
mkdir -p "$out"
train="$build/bin/stde-train"
common="--problem allen-cahn-two-body --estimator sparse --samples 16 --points 100 --width 128 --depth 4 --seed 0 --quiet"
stde="--method stde --lr 1e-3"
zo="--method zo --zo-eps 1e-3 --zo-rank 8 --zo-pairs 1"
zo_lr() { [[ $1 == 100 ]] && echo 1e-8 || echo 3e-12; }

if [[ $what == curves || $what == all ]]; then
  steps=${STEPS:-3000}
  for d in 100 1000; do
    for m in stde zo; do
      args=$stde; [[ $m == zo ]] && args="$zo --lr $(zo_lr $d)"
      $train $common $args --dim $d --steps $steps --eval-every $((steps / 12)) --test-points 5000 \
        --json "$out/curve-$m-d$d.json" --out "$out/curve-$m-d$d"
    done
  done
fi
if [[ $what == memory || $what == all ]]; then
  # Memory does not depend on the rate; ZO-SGD's stable rate shrinks with the
  # parameter count and with the loss's slope (at d = 100K the initial loss is
  # large), so these runs use 1e-20: they measure memory, they do not train.
  for d in ${DIMS:-10000 100000 1000000}; do
    for m in stde zo; do
      args=$stde; [[ $m == zo ]] && args="$zo --lr 1e-20"
      $train $common $args --dim $d --steps 4 --eval-every 4 --test-points 16 \
        --json "$out/memory-$m-d$d.json" --out "$out/memory-$m-d$d"
    done
  done
fi
python3 "$here/tables.py" "$out"
