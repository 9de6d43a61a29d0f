#!/usr/bin/env bash
# Two-body Allen-Cahn, sparse STDE |J| = 16 (docs/MATH.md section 5, the STDE
# paper's setting): error after 10,000 steps at d = 100 and 1000, and it/s +
# peak memory at d = 100 .. 100K. Also the space-time problems: semilinear
# heat and the time-dependent Allen-Cahn and Sine-Gordon (error at u(0,0)
# against docs/MATH.md, d = 10 .. 10K) and gKdV, and the
# control problems (HJB-LIN, HJB-LQG, Black-Scholes-Barenblatt) and the
# initial-value problems (wave, 2-D KdV, KP), and the two-body problems with
# and without a gradient-enhanced (gPINN) loss. Usage:
#   benchmarks/training/run.sh [build-dir]
#     [accuracy|speed|heat|parabolic|gkdv|gkdv-gpinn|control|evolution|gpinn|all]
# Writes benchmarks/training/results/*.json (one per run) and prints a table.
set -euo pipefail
build=${1:-build}
what=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/results
mkdir -p "$out"
train="$build/bin/stde-train"
# The --time-scale a suite's setting ($1: 1, sqrt or a number) gives at d = $2.
time_scale() {
  if [[ $1 == sqrt ]]; then awk -v d="$2" 'BEGIN { printf "%g", sqrt(d) }'; else echo "$1"; fi
}
# A run's file name ($1) marked with its time scale ($2) unless that is 1.
scaled_name() {
  if [[ $2 == 1 ]]; then echo "$1"; else echo "$1-ts$2"; fi
}
common="--problem allen-cahn-two-body --estimator sparse --samples 16 --points 100 --width 128 --depth 4 --lr 1e-3 --seed 0 --quiet"

if [[ $what == accuracy || $what == all ]]; then
  for d in 100 1000; do
    $train $common --dim $d --steps 10000 --eval-every 1000 --test-points 20000 \
      --json "$out/accuracy-d$d.json" --out "$out/accuracy-d$d" --checkpoint "$out/accuracy-d$d.ckpt"
  done
fi
if [[ $what == speed || $what == all ]]; then
  for d in 100 1000 10000 100000; do
    # it/s: the median of 50-step windows (whole-run mean below 50 steps);
    # one error evaluation at the end.
    steps=$(( d >= 10000 ? 20 : 200 ))
    $train $common --dim $d --steps $steps --eval-every $steps --test-points 1000 \
      --json "$out/speed-d$d.json" --out "$out/speed-d$d"
  done
fi
if [[ $what == heat || $what == all ]]; then
  # Semilinear heat, 10,000 steps (Adam 1e-3 decaying to 0); at d = 10 the
  # Laplacian is exact (16 sampled coordinates do not exist). HEAT_TIME_SCALE
  # as PARABOLIC_TIME_SCALE below (files heat-d<d>-ts<scale>.*).
  heat_dims=${HEAT_DIMS:-10 100 1000}
  hts=${HEAT_TIME_SCALE:-1}
  for d in $heat_dims; do
    est="--estimator sparse --samples 16"
    (( d <= 16 )) && est="--estimator exact"
    scale=$(time_scale "$hts" "$d")
    name=$(scaled_name "heat-d$d" "$scale")
    $train --problem semilinear-heat $est --points 100 --width 128 --depth 4 --lr 1e-3 --seed 0 \
      --quiet --dim $d --time-scale "$scale" --steps ${HEAT_STEPS:-10000} --eval-every 1000 \
      --json "$out/$name.json" --out "$out/$name" --checkpoint "$out/$name.ckpt"
  done
fi
if [[ $what == parabolic || $what == all ]]; then
  # Time-dependent Allen-Cahn and Sine-Gordon (terminal residual, weight 20),
  # 10,000 steps (Adam 1e-3 decaying to 0); exact Laplacian where d <= 16.
  # PARABOLIC_DIMS, PARABOLIC_PROBLEMS and PARABOLIC_STEPS override;
  # PARABOLIC_TIME_SCALE=sqrt feeds the network (x, sqrt(d) t) (--time-scale,
  # files *-ts<scale>.*), a number that scale.
  ts=${PARABOLIC_TIME_SCALE:-1}
  for d in ${PARABOLIC_DIMS:-10 100 1000}; do
    for p in ${PARABOLIC_PROBLEMS:-allen-cahn-time sine-gordon-time}; do
      est="--estimator sparse --samples 16"
      (( d <= 16 )) && est="--estimator exact"
      scale=$(time_scale "$ts" "$d")
      name=$(scaled_name "$p-d$d" "$scale")
      $train --problem $p $est --points 100 --width 128 --depth 4 --lr 1e-3 --seed 0 --quiet \
        --dim $d --time-scale "$scale" --steps ${PARABOLIC_STEPS:-10000} --eval-every 1000 \
        --json "$out/$name.json" --out "$out/$name"
    done
  done
fi
if [[ $what == gkdv || $what == all ]]; then
  $train --problem gkdv --points 100 --width 128 --depth 4 --lr 1e-3 --seed 0 --quiet \
    --steps 10000 --eval-every 1000 --test-points 20000 \
    --json "$out/gkdv.json" --out "$out/gkdv" --checkpoint "$out/gkdv.ckpt"
fi
if [[ $what == gkdv-gpinn || $what == all ]]; then
  # gKdV with the gradient-enhanced loss (weight 1e-3 on the residual's
  # partials, the reference code's lam1 for KdV): along x only (u_xxxx), and
  # along x and t (u_xxxt, u_tt); the plain run is the gkdv suite's.
  for extra in "" "--gradient-time"; do
    name=gkdv-gpinn-x${extra:+t}
    $train --problem gkdv --points 100 --width 128 --depth 4 --lr 1e-3 --seed 0 --quiet \
      --gradient-weight 1e-3 $extra --steps ${GKDV_STEPS:-10000} --eval-every 1000 \
      --test-points 20000 --json "$out/$name.json" --out "$out/$name"
  done
fi
if [[ $what == control || $what == all ]]; then
  # HJB-LIN, HJB-LQG and BSB (x ~ N(0, I), t ~ U(0, 1)), sparse |J| = 16,
  # 10,000 steps (Adam 1e-3 decaying to 0); CONTROL_DIMS and CONTROL_PROBLEMS
  # override the dimensions and the problems, CONTROL_TIME_SCALE as
  # PARABOLIC_TIME_SCALE above.
  cts=${CONTROL_TIME_SCALE:-1}
  for d in ${CONTROL_DIMS:-100 1000}; do
    for p in ${CONTROL_PROBLEMS:-hjb-lin hjb-lqg bsb}; do
      scale=$(time_scale "$cts" "$d")
      name=$(scaled_name "$p-d$d" "$scale")
      $train --problem $p --estimator sparse --samples 16 --points 100 --width 128 --depth 4 \
        --lr 1e-3 --seed 0 --quiet --dim $d --time-scale "$scale" \
        --steps ${CONTROL_STEPS:-10000} --eval-every 1000 \
        --test-points 20000 --json "$out/$name.json" --out "$out/$name"
    done
  done
fi
if [[ $what == evolution || $what == all ]]; then
  # Wave at d = 100 (sparse |J| = 16) and the 2-D KdV and KP (exact jets),
  # 10,000 steps; EVOLUTION_STEPS overrides.
  $train --problem wave --dim 100 --estimator sparse --samples 16 --points 100 --width 128 \
    --depth 4 --lr 1e-3 --seed 0 --quiet --steps ${EVOLUTION_STEPS:-10000} --eval-every 1000 \
    --test-points 20000 --json "$out/wave-d100.json" --out "$out/wave-d100"
  for p in kdv-2d kp; do
    $train --problem $p --points 100 --width 128 --depth 4 --lr 1e-3 --seed 0 --quiet \
      --steps ${EVOLUTION_STEPS:-10000} --eval-every 1000 --test-points 20000 \
      --json "$out/$p.json" --out "$out/$p"
  done
fi
if [[ $what == gpinn || $what == all ]]; then
  # Two-body Poisson, Allen-Cahn and Sine-Gordon, sparse |J| = 16, 10,000
  # steps, with the gradient-enhanced loss and without. The weight is 0.1 / d:
  # 0.1 times the mean over the coordinates j of (d r / dx_j)^2, the
  # reference implementation's normalization of its weight 0.1 (16 sampled
  # coordinates j, one sampled i per j). GPINN_DIMS, GPINN_STEPS and
  # GPINN_PROBLEMS override.
  for d in ${GPINN_DIMS:-100}; do
    for p in ${GPINN_PROBLEMS:-poisson-two-body allen-cahn-two-body sine-gordon-two-body}; do
      for gpinn in no yes; do
        name=$p-d$d; flag=""
        [[ $gpinn == yes ]] && { name=$p-gpinn-d$d
          flag="--gradient-weight $(python3 -c "print(0.1 / $d)") --gradient-samples 16"; }
        $train --problem $p --estimator sparse --samples 16 --points 100 --width 128 --depth 4 \
          --lr 1e-3 --seed 0 --quiet --dim $d --steps ${GPINN_STEPS:-10000} --eval-every 1000 \
          --test-points 20000 $flag --json "$out/$name.json" --out "$out/$name"
      done
    done
  done
fi
python3 - "$out" <<'PY'
import json, sys, glob, os
rows = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.json'))):
    j = json.load(open(f))
    rows.append((os.path.basename(f)[:-5], j['dim'], j['steps'], j['rel_l2'], j['best_rel_l2'], j['it_per_s'], j['peak_rss_mb'], j['seconds']))
print('| run | d | steps | final rel L2 | best rel L2 | it/s (median) | peak RSS MB | train s |')
print('|---|---|---|---|---|---|---|---|')
for r in rows:
    print('| %s | %d | %d | %.3e | %.3e | %.1f | %.0f | %.0f |' % r)
PY
