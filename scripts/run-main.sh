#!/usr/bin/env bash
# The main job on the CPU. Until training lands (issue "Training"), it installs
# what is missing, builds stde, and runs the two-body Allen-Cahn problem
# (d = 100) through stde-opt: parse, verify, and resolve every operator's
# estimator, printing the problem as the lowering will receive it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-build}
cd "$root"

bash scripts/build.sh   # installs what is missing, then builds

example=examples/allen_cahn_two_body.mlir
echo "== stde-opt --stde-resolve-estimators $example"
"$build_dir/bin/stde-opt" --stde-resolve-estimators "$example" -o "$build_dir/allen_cahn_two_body.resolved.mlir"
grep -E "stde\.(network|laplacian|apply|loss)" "$build_dir/allen_cahn_two_body.resolved.mlir" | cut -c1-160
echo "== verified and resolved: $build_dir/allen_cahn_two_body.resolved.mlir"
