#!/usr/bin/env bash
# Data parallel on this machine: one process with 2 threads against two MPI
# ranks with 1 thread each, two-body Allen-Cahn, STDE (sparse) and zeroth
# order, d = 1K, 10K, 100K. Reports it/s (median over the run), the bytes
# each rank contributes to the step's allreduces (counted by the runtime's
# MPI_Allreduce wrapper, runtime/Mpi.cpp, not computed) and the seconds
# spent inside them.
#
#   bash benchmarks/distributed/run.sh [BUILD_DIR]     (default: build)
#   STEPS=60 POINTS=128 DIMS="1000 10000 100000" to change the run length, the
#   batch and the dimensions
#
# Raw lines in benchmarks/distributed/results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
steps=${STEPS:-60}
points=${POINTS:-128}
dims=${DIMS:-"1000 10000 100000"}
out=benchmarks/distributed/results.jsonl
: > "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun="mpirun --oversubscribe --mca btl self,vader -np 2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| method | d | P x threads | it/s | allreduce bytes/step | allreduce s/step | rel L2 |\n'
printf '|---|---|---|---|---|---|---|\n'
for method in stde zo; do
  for dim in $dims; do
    # Zeroth order needs a rate set by hand per d (about 1/d^2 here); this
    # measures speed and traffic, not accuracy.
    extra=()
    [ "$method" = zo ] && extra=(--method zo --lr "$(python3 -c "print(1e-6 / $dim ** 2)")")
    common=(--problem allen-cahn-two-body --dim "$dim" --points "$points" --steps "$steps"
            --eval-every "$steps" --test-points 1000 --quiet "${extra[@]}")
    "$build/bin/stde-train" "${common[@]}" --threads 2 --out "$tmp/one" --json "$tmp/one.json" \
      > /dev/null 2>&1
    $mpirun "$build/bin/stde-train" "${common[@]}" --threads 1 --out "$tmp/two" \
      --json "$tmp/two.json" > /dev/null 2>&1
    for run in one two; do
      python3 - "$tmp/$run.json" "$method" "$dim" "$run" "$steps" >> "$out" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j.update(method=sys.argv[2], dim=int(sys.argv[3]), run=sys.argv[4])
print(json.dumps(j))
PY
      python3 - "$tmp/$run.json" "$method" "$dim" "$run" "$steps" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
steps = int(sys.argv[5])
layout = "1 x 2" if sys.argv[4] == "one" else "2 x 1"
bytes_ = j.get("allreduce_bytes_per_step")
secs = j.get("allreduce_seconds")
print(f"| {sys.argv[2]} | {sys.argv[3]} | {layout} | {j['it_per_s']:.2f} | "
      f"{'-' if bytes_ is None else f'{bytes_:.0f}'} | "
      f"{'-' if secs is None else f'{secs / steps:.2e}'} | {j['rel_l2']:.3e} |")
PY
    done
  done
done
