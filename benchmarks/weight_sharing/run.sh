#!/usr/bin/env bash
# STDE with the first layer shared across input blocks (--share-block B)
# against the unshared network, two-body Allen-Cahn (sparse |J| = 16, width
# 128, depth 4, f32): steps per second, peak RSS and the relative L2 error
# after STEPS steps, one process per run, the two interleaved where both fit.
# Past d = 10^6 only the shared network fits this machine (the unshared
# first layer alone is 128 d weights, four arrays of them with Adam).
#
#   bash benchmarks/weight_sharing/run.sh [BUILD_DIR]      (default: build)
#   DIMS="100000 1000000 10000000" BLOCK=1000 STEPS=200 POINTS=20 TEST_POINTS=200
#
# Raw JSON summaries in benchmarks/weight_sharing/results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
dims=(${DIMS:-100000 1000000 10000000})
block=${BLOCK:-1000}
steps=${STEPS:-200}
points=${POINTS:-20}
test_points=${TEST_POINTS:-200}
out=benchmarks/weight_sharing/results.jsonl
: > "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "${dims[@]}"; do
  for network in shared unshared; do
    args=(--problem allen-cahn-two-body --dim "$d" --points "$points" --steps "$steps"
          --test-points "$test_points" --quiet --out "$tmp/run")
    [ "$network" = shared ] && args+=(--share-block "$block")
    if ! "$build/bin/stde-train" "${args[@]}" --estimate-memory > "$tmp/estimate" 2>&1; then
      echo "d = $d, $network: refused: $(tail -1 "$tmp/estimate")" >&2
      continue
    fi
    "$build/bin/stde-train" "${args[@]}" --json "$tmp/run.json" > /dev/null
    python3 - "$tmp/run.json" "$network" "$block" "$tmp/run.csv" >> "$out" <<'PY'
import csv, json, sys
r = json.load(open(sys.argv[1]))
r["network"] = sys.argv[2]
r["block"] = int(sys.argv[3]) if sys.argv[2] == "shared" else None
r["curve"] = [[int(row["step"]), float(row["rel_l2"])] for row in csv.DictReader(open(sys.argv[4]))]
print(json.dumps(r))
PY
  done
done
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| d | network | params | steps | it/s | peak RSS GiB | rel. L2 (final, best) |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['dim']:,} | {r['network']}{' B = ' + str(r['block']) if r['block'] else ''} | "
          f"{r['num_params']:,} | {r['steps']} | {r['it_per_s']:.2f} | "
          f"{r['peak_rss_mb'] / 1024:.2f} | {r['rel_l2']:.4g}, {r['best_rel_l2']:.4g} |")
PY
