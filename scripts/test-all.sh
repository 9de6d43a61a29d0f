#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite (lit regression
# tests and the GoogleTest unit tests, both under lit), and checks that they
# left nothing in the working folder or the JIT's dump folders. Ends with the
# line `N passed, N failed, N skipped`; exits non-zero if any test failed.
#   BUILD_DIR, STDE_SANITIZE  as for scripts/build.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-build}
cd "$root"

bash scripts/build.sh   # installs what is missing, then builds

# What runs may leave behind and must not: the JIT's profiling dumps
# (.debug under the temporary folder and home) and files in the working
# folder. Listed before and after the suites; anything new fails one check.
litter() {
  local d
  for d in "${TMPDIR:-/tmp}/.debug" "$HOME/.debug"; do
    if [ -d "$d" ]; then find "$d" -mindepth 1 2>/dev/null || true; fi
  done
  ls -A "$root"
  git -C "$root" status --porcelain --untracked-files=all 2>/dev/null | grep '^??' || true
}
before=$(mktemp); after=$(mktemp)
litter | sort > "$before"

results="$build_dir/test-results.json"
status=0
/usr/lib/llvm-22/bin/lit -sv -o "$results" "$build_dir/test" "$build_dir/test/Unit" || status=$?

litter | sort > "$after"
new_litter=$(comm -13 "$before" "$after")
rm -f "$before" "$after"
[ -n "$new_litter" ] && status=1

NEW_LITTER="$new_litter" python3 - "$results" <<'PY'
import json, os, sys
tests = json.load(open(sys.argv[1]))["tests"]
passed = sum(t["code"] in ("PASS", "XFAIL") for t in tests)
skipped = sum(t["code"] == "UNSUPPORTED" for t in tests)
failed = len(tests) - passed - skipped
for t in tests:
    if t["code"] not in ("PASS", "XFAIL", "UNSUPPORTED"):
        print(f"  {t['code']}: {t['name']}")
litter = os.environ["NEW_LITTER"].split()
if litter:
    failed += 1
    print("  FAIL: the suites left files behind: " + " ".join(litter[:20]))
else:
    passed += 1  # the check that nothing was left behind
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
