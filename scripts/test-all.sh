#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite (lit regression
# tests and the GoogleTest unit tests, both under lit). Ends with the line
# `N passed, N failed, N skipped`; exits non-zero if any test failed.
#   BUILD_DIR, STDE_SANITIZE  as for scripts/build.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-build}
cd "$root"

bash scripts/build.sh   # installs what is missing, then builds

results="$build_dir/test-results.json"
status=0
/usr/lib/llvm-22/bin/lit -sv -o "$results" "$build_dir/test" "$build_dir/test/Unit" || status=$?

python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
passed = sum(t["code"] in ("PASS", "XFAIL") for t in tests)
skipped = sum(t["code"] == "UNSUPPORTED" for t in tests)
failed = len(tests) - passed - skipped
for t in tests:
    if t["code"] not in ("PASS", "XFAIL", "UNSUPPORTED"):
        print(f"  {t['code']}: {t['name']}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
