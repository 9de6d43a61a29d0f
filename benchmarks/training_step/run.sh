#!/usr/bin/env bash
# The stde training step against the JAX reference step (jet under vmap,
# benchmarks/jax_reference/stde_step.py) on this machine, in one run, one
# process per (implementation, d). Usage:
#   benchmarks/training_step/run.sh [d ...]        (default 100 1000 10000 100000)
# Needs python3 with venv; installs CPU jax into build/bench-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/build.sh
cmake --install build --prefix build/bench-prefix > /dev/null
cmake -G Ninja -S benchmarks/training_step -B build/bench-training-step \
  -DCMAKE_PREFIX_PATH="$PWD/build/bench-prefix" > /dev/null
cmake --build build/bench-training-step > /dev/null
if [ ! -x build/bench-venv/bin/python ]; then
  python3 -m venv build/bench-venv
  build/bench-venv/bin/pip install -q jax jaxlib numpy
fi
dims=("$@")
[ ${#dims[@]} -eq 0 ] && dims=(100 1000 10000 100000)
out=benchmarks/training_step/results.jsonl
: > "$out"
for d in "${dims[@]}"; do
  steps=$(( d >= 100000 ? 5 : 20 ))
  build/bench-training-step/training_step "$d" "$steps" 2 | tee -a "$out"
  build/bench-venv/bin/python benchmarks/jax_reference/stde_step.py --dim "$d" --steps "$steps" | tee -a "$out"
done
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r['dim'], {})[r['impl']] = r
print('| d | stde ms/step | JAX ms/step | speedup | stde peak MB | JAX peak MB | memory ratio |')
print('|---|---|---|---|---|---|---|')
for d in sorted(by):
    s, j = by[d].get('stde'), by[d].get('jax')
    if not s or not j:
        continue
    print('| %d | %.1f | %.1f | %.2fx | %.0f | %.0f | %.2fx |' % (
        d, s['step_ms_median'], j['step_ms_median'], j['step_ms_median'] / s['step_ms_median'],
        s['peak_rss_mb'], j['peak_rss_mb'], j['peak_rss_mb'] / s['peak_rss_mb']))
PY
