#!/usr/bin/env bash
# What --time-scale costs a training step, side by side in one run: the
# time-dependent Allen-Cahn step (sparse |J| = 16, 100 points, width 128,
# depth 4, f32) without a time scale, with --time-scale sqrt(d), and with
# --time-scale sqrt(d) --disable one-hot (every tangent stored densely: how
# the scaled step ran before the product x * (1, ..., 1, C) kept the space
# coordinates' one-hot tangents). Rounds interleave the variants; the
# summary gives each variant's median it/s and peak RSS over the rounds.
# Usage:
#   benchmarks/training/time_scale_speed.sh [build-dir]
# Environment: TS_SPEED_DIMS (default "1000 10000"), TS_SPEED_ROUNDS (3);
# TS_SPEED_BASELINE=other-build-dir adds that build's plain and scaled steps
# (variants baseline-plain, baseline-scaled), e.g. a build of an earlier commit.
# Writes benchmarks/training/results/time-scale-speed.jsonl.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/results/time-scale-speed.jsonl
mkdir -p "$here/results"
: > "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for round in $(seq 1 "${TS_SPEED_ROUNDS:-3}"); do
  for d in ${TS_SPEED_DIMS:-1000 10000}; do
    steps=$(( d >= 10000 ? 40 : 300 ))
    scale=$(awk -v d="$d" 'BEGIN { printf "%g", sqrt(d) }')
    variants=(plain scaled scaled-dense)
    [[ -n ${TS_SPEED_BASELINE:-} ]] && variants+=(baseline-plain baseline-scaled)
    for variant in "${variants[@]}"; do
      flags=()
      [[ $variant != *plain ]] && flags+=(--time-scale "$scale")
      [[ $variant == scaled-dense ]] && flags+=(--disable one-hot)
      # Each build with its own libstde (a copied build's RUNPATH may name
      # another tree's).
      dir=$build
      [[ $variant == baseline-* ]] && dir=$TS_SPEED_BASELINE
      LD_LIBRARY_PATH="$dir/lib/API" "$dir/bin/stde-train" --problem allen-cahn-time --estimator sparse --samples 16 \
        --points 100 --width 128 --depth 4 --lr 1e-3 --seed 0 --dim "$d" --steps "$steps" \
        --eval-every "$steps" --quiet "${flags[@]}" --json "$tmp/run.json" > /dev/null
      python3 -c "import json, sys
j = json.load(open(sys.argv[1]))
print(json.dumps({'round': int(sys.argv[2]), 'dim': j['dim'], 'variant': sys.argv[3],
                  'steps': j['steps'], 'it_per_s': j['it_per_s'], 'peak_rss_mb': j['peak_rss_mb'],
                  'final_loss': j['final_loss']}))" "$tmp/run.json" "$round" "$variant" | tee -a "$out"
    done
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
keys = sorted({(r['dim'], r['variant']) for r in runs},
              key=lambda k: (k[0], ['plain', 'scaled', 'scaled-dense', 'baseline-plain',
                                   'baseline-scaled'].index(k[1])))
print('| d | variant | it/s (median) | it/s / plain | peak RSS MB (median) | rounds |')
print('|---|---|---|---|---|---|')
for d, v in keys:
    rs = [r for r in runs if (r['dim'], r['variant']) == (d, v)]
    base = statistics.median(r['it_per_s'] for r in runs if (r['dim'], r['variant']) == (d, 'plain'))
    its = statistics.median(r['it_per_s'] for r in rs)
    print('| %d | %s | %.1f | %.2f | %.0f | %d |' % (
        d, v, its, its / base, statistics.median(r['peak_rss_mb'] for r in rs), len(rs)))
PY
