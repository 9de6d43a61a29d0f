#!/usr/bin/env bash
# Compile time and step rate of stde-train's CPU target, for one or more
# builds side by side (e.g. a build of an older commit against this one):
# each configuration runs REPS times per build, builds interleaved, and the
# table shows medians. Two-body Allen-Cahn, sparse |J| = 16, f32, depth 4.
#
#   bash benchmarks/compile_time/run.sh [BUILD_DIR ...]     (default: build)
#   REPS=3 (default); raw lines in benchmarks/compile_time/results.jsonl
#   (OUT=FILE writes them elsewhere); CONFIGS="method dim width points steps;..."
#   replaces the configurations below
#
# Columns: JIT compile seconds (problem text to callable step, as stde-train
# reports it) and the median it/s of the run's steps. Run it on an otherwise
# idle machine: OpenBLAS's threads spin when the cores are busy. Each build
# runs with its own lib/API first on the library path, so a copied build
# (bin/ and lib/API/ moved elsewhere) runs its own libstde.
set -euo pipefail
cd "$(dirname "$0")/../.."
builds=("$@")
[ ${#builds[@]} -eq 0 ] && builds=(build)
reps=${REPS:-3}
out=${OUT:-benchmarks/compile_time/results.jsonl}
: > "$out"
# method dim width points steps
configs=("stde 100 32 8 4000" "stde 100 64 16 2000" "stde 100 128 100 500"
         "stde 1000 128 100 300" "zo 100 64 16 2000" "zo 100 128 100 500")
[ -n "${CONFIGS:-}" ] && IFS=';' read -r -a configs <<< "$CONFIGS"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cfg in "${configs[@]}"; do
  read -r method dim width points steps <<< "$cfg"
  extra=()
  [ "$method" = zo ] && extra=(--lr 1e-10)
  for rep in $(seq "$reps"); do
    for b in "${builds[@]}"; do
      LD_LIBRARY_PATH="$b/lib/API${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        "$b/bin/stde-train" --method "$method" --dim "$dim" --width "$width" --points "$points" \
        --steps "$steps" --eval-every "$steps" --test-points 100 --quiet "${extra[@]}" \
        --json "$tmp/run.json" --out "$tmp/run" > /dev/null 2>&1
      python3 - "$tmp/run.json" "$b" "$method" "$dim" "$width" "$points" "$steps" >> "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
b, method, dim, width, points, steps = sys.argv[2:]
print(json.dumps({"build": b, "method": method, "dim": int(dim), "width": int(width),
                  "points": int(points), "steps": int(steps),
                  "compile_s": r["compile_seconds"], "it_per_s": r["it_per_s"]}))
PY
    done
  done
done
python3 - "$out" "${builds[@]}" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
builds = sys.argv[2:]
keys = []
for r in rows:
    k = (r["method"], r["dim"], r["width"], r["points"])
    if k not in keys:
        keys.append(k)
head = "| method | d | width | points |"
for b in builds:
    head += f" {b}: compile s | {b}: it/s |"
print(head)
print("|" + "---|" * (4 + 2 * len(builds)))
for k in keys:
    line = "| %s | %d | %d | %d |" % k
    for b in builds:
        sel = [r for r in rows if r["build"] == b and (r["method"], r["dim"], r["width"], r["points"]) == k]
        line += " %.1f | %.1f |" % (statistics.median(r["compile_s"] for r in sel),
                                   statistics.median(r["it_per_s"] for r in sel))
    print(line)
PY
