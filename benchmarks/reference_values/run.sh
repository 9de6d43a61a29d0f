#!/usr/bin/env bash
# Multilevel Picard estimates of u(0, 0) for the terminal-value problems of
# docs/MATH.md section 5, to check the published reference values:
# semilinear heat and Sine-Gordon (v = u / d) first, whose finite-difference
# values (docs/MATH.md) check this program, then Allen-Cahn, whose data
# arctan(max_i x_i) has no other check. Single-threaded; the cost grows like
# d (2 M)^N per run: about 10 s per 400 runs at d = 10, N = M = 5 on the
# 2-core development VM. Usage:
#   benchmarks/reference_values/run.sh [DIMS (default "10 100")] [K runs (400)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)/mlp
c++ -O2 -std=c++17 -o "$bin" "$here/multilevel_picard.cpp"
for d in ${1:-10 100}; do
  for p in heat sine-gordon allen-cahn; do
    "$bin" $p $d 5 5 ${2:-400}
  done
done
