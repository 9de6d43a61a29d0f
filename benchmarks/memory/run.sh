#!/usr/bin/env bash
# The memory estimate (what stde-train refuses runs by) against what runs
# really reach: for each configuration, the estimate from --estimate-memory
# and the peak RSS of a two-step run (its JSON: peak_rss_mb, and
# step_temporaries_mb, what the buffer pool held for the step and the test
# error). An estimate below the peak would let a run start that the machine
# then kills; far above it refuses runs that fit.
#
#   bash benchmarks/memory/run.sh [BUILD_DIR]        (default: build)
#   LARGE=1 adds d = 10^6 (STDE, about 8 GB) and d = 10^7 (zo, about 15 GB)
#
# Raw lines in benchmarks/memory/results.jsonl. Sizes in GB (10^9 bytes).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
out=benchmarks/memory/results.jsonl
: > "$out"
# problem method estimator dim
configs=("poisson-two-body stde sparse 100000" "poisson-two-body zo sparse 100000"
         "poisson-three-body stde sparse 100000" "poisson-two-body stde dense 30000"
         "poisson-two-body zo dense 30000" "semilinear-heat stde sparse 30000"
         "semilinear-heat zo sparse 30000" "allen-cahn-two-body stde sparse 300000")
if [ "${LARGE:-0}" = 1 ]; then
  configs+=("poisson-two-body stde sparse 1000000" "allen-cahn-two-body zo sparse 10000000")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| problem | method | estimator | d | estimate GB | peak RSS GB | estimate / peak |\n'
printf '|---|---|---|---|---|---|---|\n'
for cfg in "${configs[@]}"; do
  read -r problem method estimator dim <<< "$cfg"
  args=(--problem "$problem" --method "$method" --estimator "$estimator" --dim "$dim")
  [ "$method" = zo ] && args+=(--lr 1e-16) # no divergence in two steps at d = 10^7
  estimate=$("$build/bin/stde-train" "${args[@]}" --estimate-memory)
  "$build/bin/stde-train" "${args[@]}" --steps 2 --test-points 20 --quiet \
    --json "$tmp/run.json" --out "$tmp/run" > /dev/null 2>&1
  python3 - "$tmp/run.json" "$estimate" "$problem" "$method" "$estimator" "$dim" >> "$out" <<'PY'
import json, re, sys
r = json.load(open(sys.argv[1]))
estimate, problem, method, estimator, dim = sys.argv[2:]
gb = float(re.search(r"about ([0-9.]+) GB", estimate).group(1))
print(json.dumps({"problem": problem, "method": method, "estimator": estimator,
                  "dim": int(dim), "estimate_gb": gb,
                  "peak_rss_gb": r["peak_rss_mb"] * 2**20 / 1e9,
                  "step_temporaries_gb": r["step_temporaries_mb"] * 2**20 / 1e9}))
PY
  python3 - "$out" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print(f"| {r['problem']} | {r['method']} | {r['estimator']} | {r['dim']} | "
      f"{r['estimate_gb']:.2f} | {r['peak_rss_gb']:.2f} | {r['estimate_gb'] / r['peak_rss_gb']:.2f} |")
PY
done
