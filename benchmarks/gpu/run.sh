#!/usr/bin/env bash
# stde on the GPU against the JAX reference STDE step on the same GPU,
# side by side in one run (benchmarks/jax_reference/stde_step.py; JAX with CUDA).
# Two-body Allen-Cahn, sparse STDE |J| = 16, 100 points, width 128, depth 4, f32.
#
#   bash benchmarks/gpu/run.sh [BUILD_DIR] [speed|long|zo]
#     speed  it/s and peak device memory at d = 1K, 10K, 100K, 1M (default)
#     long   10,000 steps at d = 1M, wall time (target: < 2 min on an H100)
#     zo     the zeroth-order path at d = 1M and 10M (it/s, memory)
#
# Peak device memory is measured the same way for both: nvidia-smi's used
# memory, polled every 50 ms, minus its value before the run (JAX also
# reports XLA's own peak, stde its runtime's count of what it allocated;
# JAX's preallocation is turned off). Results:
# benchmarks/gpu/results/<mode>-<date>.jsonl, and a markdown table on stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
mode=${2:-speed}
cd "$root"
command -v nvidia-smi >/dev/null || { echo "run.sh: needs an NVIDIA GPU (nvidia-smi)" >&2; exit 2; }
[ -x "$build/bin/stde-train" ] || bash scripts/build.sh
out=benchmarks/gpu/results
mkdir -p "$out"
log="$out/$mode-$(date +%Y-%m-%d).jsonl"
: > "$log"
export XLA_PYTHON_CLIENT_PREALLOCATE=false

used_mb() { nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -n 1; }

# Runs "$@" while polling the GPU's used memory; prints the peak above idle (MiB).
with_peak() {
  local idle peak=0 pid
  idle=$(used_mb)
  "$@" > "$tmp/stdout" 2> "$tmp/stderr" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    local now; now=$(used_mb)
    [ "$now" -gt "$peak" ] && peak=$now
    sleep 0.05
  done
  wait "$pid" || { cat "$tmp/stderr" >&2; return 1; }
  echo $((peak - idle))
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(--problem allen-cahn-two-body --estimator sparse --samples 16 --points 100 --width 128
        --depth 4 --lr 1e-3 --seed 0 --quiet --eval-every 1000000 --test-points 100)

stde_run() {  # dim steps method
  local dim=$1 steps=$2 method=$3 peak rate secs
  peak=$(with_peak "$build/bin/stde-train" "${common[@]}" --dim "$dim" --steps "$steps" \
         --method "$method" --target cuda --out "$tmp/run" --json "$tmp/run.json")
  rate=$(python3 -c "import json;print(json.load(open('$tmp/run.json'))['it_per_s'])")
  secs=$(python3 -c "import json;print(json.load(open('$tmp/run.json'))['seconds'])")
  counted=$(python3 -c "import json;print(json.load(open('$tmp/run.json'))['peak_device_mb'])")
  echo "{\"impl\": \"stde\", \"method\": \"$method\", \"dim\": $dim, \"steps\": $steps, \"it_per_s\": $rate, \"train_seconds\": $secs, \"peak_device_mb\": $peak, \"stde_counted_device_mb\": $counted}" | tee -a "$log"
}

jax_run() {  # dim steps
  local dim=$1 steps=$2 peak line
  peak=$(with_peak python3 benchmarks/jax_reference/stde_step.py --dim "$dim" --steps "$steps")
  line=$(tail -n 1 "$tmp/stdout")
  python3 -c "import json,sys;r=json.loads(sys.argv[1]);r['smi_peak_device_mb']=$peak;print(json.dumps(r))" "$line" | tee -a "$log"
}

case "$mode" in
  speed)
    for d in 1000 10000 100000 1000000; do
      steps=200; [ "$d" -ge 100000 ] && steps=50
      jax_run "$d" "$steps" || echo "{\"impl\": \"jax\", \"dim\": $d, \"failed\": true}" | tee -a "$log"
      stde_run "$d" "$steps" stde
    done ;;
  long) stde_run 1000000 10000 stde ;;
  zo)   for d in 1000000 10000000; do stde_run "$d" 200 zo; done ;;
  *) echo "run.sh: mode is speed, long or zo" >&2; exit 2 ;;
esac

python3 - "$log" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
jax = {r["dim"]: r for r in rows if r.get("impl") == "jax" and not r.get("failed")}
print("| d | method | stde it/s | JAX it/s | ratio | stde peak MiB | JAX peak MiB (smi / XLA) | train s |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    if r.get("impl") != "stde":
        continue
    j = jax.get(r["dim"])
    ratio = f"{r['it_per_s'] / j['it_per_s']:.2f}" if j else "-"
    jm = f"{j['smi_peak_device_mb']} / {j['peak_device_mb']:.0f}" if j and j.get("peak_device_mb") else "-"
    print(f"| {r['dim']} | {r['method']} | {r['it_per_s']:.1f} | {j['it_per_s']:.1f} | {ratio} | "
          f"{r['peak_device_mb']} | {jm} | {r['train_seconds']:.1f} |" if j else
          f"| {r['dim']} | {r['method']} | {r['it_per_s']:.1f} | - | - | {r['peak_device_mb']} | - | {r['train_seconds']:.1f} |")
PY
