#!/usr/bin/env bash
# The compiled training step of two stde installations side by side, on this
# machine, in one run: for each d, `rounds` alternating runs of each (one
# process per run), then the median of the runs' median step times and the
# ratio B / A. The final losses must agree (the same step, the same numbers).
# Usage:
#   benchmarks/training_step/compare.sh PREFIX_A PREFIX_B [rounds] [d ...]
# (PREFIX: what `cmake --install build --prefix PREFIX` made; default rounds
# 3, d 100 1000 10000.)
set -euo pipefail
cd "$(dirname "$0")/../.."
a=$1 b=$2
rounds=${3:-3}
shift $(( $# < 3 ? $# : 3 ))
dims=("$@")
[ ${#dims[@]} -eq 0 ] && dims=(100 1000 10000)
work=$(mktemp -d)
for side in a b; do
  prefix=${!side}
  cmake -G Ninja -S benchmarks/training_step -B "$work/$side" -DCMAKE_PREFIX_PATH="$prefix" > /dev/null
  cmake --build "$work/$side" > /dev/null
done
for d in "${dims[@]}"; do
  for r in $(seq "$rounds"); do
    for side in a b; do
      "$work/$side/training_step" "$d" 20 2 | sed "s/^{/{\"side\": \"$side\", /" >> "$work/runs.jsonl"
    done
  done
done
python3 - "$work/runs.jsonl" "$a" "$b" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
print(f"A = {sys.argv[2]}\nB = {sys.argv[3]}")
print("| d | A step ms (median of runs) | B step ms | B / A | final loss A | final loss B |")
print("|---|---|---|---|---|---|")
for d in sorted({r["dim"] for r in runs}):
    side = {s: [r for r in runs if r["dim"] == d and r["side"] == s] for s in "ab"}
    ma = statistics.median(r["step_ms_median"] for r in side["a"])
    mb = statistics.median(r["step_ms_median"] for r in side["b"])
    print(f"| {d} | {ma:.3f} | {mb:.3f} | {mb / ma:.3f} | {side['a'][0]['final_loss']:.6g} | {side['b'][0]['final_loss']:.6g} |")
PY
rm -rf "$work"
