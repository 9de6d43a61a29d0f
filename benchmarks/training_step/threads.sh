#!/usr/bin/env bash
# What the OpenMP thread team is worth (stde-thread-parallel-loops): the
# training step of benchmarks/training_step (two-body Allen-Cahn, sparse
# |J| = 16, 100 points, width 128, depth 4, f32, Adam) with every rewrite on
# and with `threads` off, the two interleaved in one run, REPS processes each
# per d. Prints the median step time of each, their ratio, peak RSS and
# whether the final losses are the same (they must be: bit-identical steps).
# Usage:
#   REPS=3 benchmarks/training_step/threads.sh [d ...]   (default 100 1000 10000 100000 1000000)
# Raw lines: benchmarks/training_step/threads.jsonl.
set -uo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build.sh > /dev/null || exit 1
cmake --install build --prefix build/bench-prefix > /dev/null || exit 1
cmake -G Ninja -S benchmarks/training_step -B build/bench-training-step \
  -DCMAKE_PREFIX_PATH="$PWD/build/bench-prefix" > /dev/null || exit 1
cmake --build build/bench-training-step > /dev/null || exit 1
dims=("$@")
[ ${#dims[@]} -eq 0 ] && dims=(100 1000 10000 100000 1000000)
reps=${REPS:-3}
bench=build/bench-training-step/training_step
out=benchmarks/training_step/threads.jsonl
: > "$out"
echo "{\"machine\": \"$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\", \"date\": \"$(date -u +%F)\", \"omp_num_threads\": \"${OMP_NUM_THREADS:-}\"}" | tee -a "$out"
for rep in $(seq "$reps"); do
  for d in "${dims[@]}"; do
    steps=20
    [ "$d" -ge 100000 ] && steps=5
    [ "$d" -ge 1000000 ] && steps=3
    for off in "" threads; do
      $bench "$d" "$steps" 2 "$off" | tee -a "$out"
    done
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print('\n' + rows[0]['machine'] + ', ' + rows[0]['date'])
runs = {}
for r in rows[1:]:
    runs.setdefault((r['dim'], r['off']), []).append(r)
print('| d | team ms/step | one thread ms/step | speedup | team peak MB | one thread peak MB | same final loss |')
print('|---|---|---|---|---|---|---|')
for d in sorted({k[0] for k in runs}):
    on, off = runs.get((d, ''), []), runs.get((d, 'threads'), [])
    if not on or not off:
        continue
    ms_on = statistics.median(r['step_ms_median'] for r in on)
    ms_off = statistics.median(r['step_ms_median'] for r in off)
    same = len({r['final_loss'] for r in on + off}) == 1
    print('| %d | %.2f | %.2f | %.2fx | %.0f | %.0f | %s |' % (
        d, ms_on, ms_off, ms_off / ms_on, max(r['peak_rss_mb'] for r in on),
        max(r['peak_rss_mb'] for r in off), 'yes' if same else 'NO'))
PY
