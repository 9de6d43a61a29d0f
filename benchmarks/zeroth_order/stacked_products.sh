#!/usr/bin/env bash
# The zeroth-order step with each layer's products over both sides of every
# pair stacked into one (stde-merge-weight-products, the default) against the
# same step with one product per side and coefficient (--disable
# stack-products). Default zeroth-order settings, two-body Allen-Cahn, sparse
# |J| = 16, 100 points, 3 x 128 tanh, f32. The two variants alternate run by
# run, REPEATS (3) times, so the shared machine's noise falls on both alike;
# the table gives the median it/s of each and their ratio.
#   cases: d = 100, 1K, 10K with 1 pair; d = 1K with 4 pairs; d = 100K, 1 pair
# Usage: benchmarks/zeroth_order/stacked_products.sh [build-dir]
# Writes results/stacked-*.json and prints the table.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/results
mkdir -p "$out"
train="$build/bin/stde-train"
common="--problem allen-cahn-two-body --estimator sparse --samples 16 --points 100 --width 128 --depth 4 --method zo --quiet --test-points 100"
repeats=${REPEATS:-3}
# "d pairs steps"
cases=("100 1 400" "1000 1 400" "10000 1 200" "1000 4 200" "100000 1 30")

for c in "${cases[@]}"; do
  read -r d q steps <<< "$c"
  for r in $(seq 1 "$repeats"); do
    for v in stacked unstacked; do
      extra=""; [[ $v == unstacked ]] && extra="--disable stack-products"
      $train $common --dim "$d" --zo-pairs "$q" --steps "$steps" --eval-every "$steps" $extra \
        --json "$out/stacked-$v-d$d-q$q-r$r.json" --out "$out/stacked-$v-d$d-q$q-r$r" > /dev/null
    done
  done
done

python3 - "$out" "$repeats" "${cases[@]}" <<'EOF'
import json, statistics, sys
out, repeats, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
print("| d | pairs | steps | stacked it/s | unstacked it/s | stacked / unstacked | peak RSS MB (stacked / unstacked) |")
print("|---|---|---|---|---|---|---|")
for c in cases:
    d, q, steps = c.split()
    runs = {v: [json.load(open(f"{out}/stacked-{v}-d{d}-q{q}-r{r}.json"))
                for r in range(1, repeats + 1)] for v in ("stacked", "unstacked")}
    its = {v: statistics.median(j["it_per_s"] for j in runs[v]) for v in runs}
    rss = {v: statistics.median(j["peak_rss_mb"] for j in runs[v]) for v in runs}
    print(f"| {d} | {q} | {steps} | {its['stacked']:.1f} | {its['unstacked']:.1f} | "
          f"{its['stacked'] / its['unstacked']:.2f} | {rss['stacked']:.0f} / {rss['unstacked']:.0f} |")
EOF
