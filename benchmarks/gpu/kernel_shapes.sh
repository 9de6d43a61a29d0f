#!/usr/bin/env bash
# Without a GPU: the shape of the GPU target's kernels for one training step,
# read from the IR just before convert-loops-to-gpu. For each top-level loop
# nest of the step's gradient: the threads it will launch (the scf.parallel
# iteration count) and the longest chain of sequential iterations inside
# (the product of nested scf.for trip counts): a kernel with few threads and
# a long chain runs slowly however fast the GPU is. Prints the nests with the
# longest chains.
#
#   bash benchmarks/gpu/kernel_shapes.sh [BUILD_DIR] [DIM] [EXTRA_PASS_TO_SKIP]
#
# e.g. `... build 1000000` (the d = 10^6 STDE step of benchmarks/gpu/run.sh), or
# `... build 1000000 stde-split-long-reductions` to see the step without it.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
dim=${2:-1000000}
skip=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bin/stde-train" --dim "$dim" --width 128 --depth 4 --points 100 --samples 16 \
  --emit-step tensor > "$tmp/step.mlir"
# The GPU target's own pipeline up to the loops (stde-opt --stde-gpu-loops-pipeline),
# optionally without one of its passes.
pipeline=$(echo 'module {}' | "$build/bin/stde-opt" --stde-gpu-loops-pipeline --dump-pass-pipeline 2>&1 >/dev/null |
  tail -n +2 | python3 -c "
import re, sys
text = ' '.join(sys.stdin.read().split())
skip = sys.argv[1]
if skip:
    text, n = re.subn(re.escape(skip) + r'(\{[^}]*\})?\s*,?\s*', '', text)
    if n == 0:
        sys.exit('kernel_shapes.sh: no pass ' + skip + ' in the GPU loops pipeline')
print(text)" "$skip")
"$build/bin/stde-opt" "$tmp/step.mlir" --pass-pipeline="$pipeline" > "$tmp/loops.mlir"
python3 - "$tmp/loops.mlir" stde_gradient <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split('\n')
start = next(i for i, l in enumerate(lines) if re.match(r'\s*func.func @%s\(' % sys.argv[2], l))
def const(tok):
    m = re.match(r'%c(\d+)(_\d+)?$', tok)
    return int(m.group(1)) if m else None
def trips(lb, ub, step):
    a, b, s = const(lb), const(ub), const(step)
    return None if None in (a, b, s) else (b - a + s - 1) // s
def region(i):
    depth, out = 0, []
    while True:
        out.append(lines[i]); depth += lines[i].count('{') - lines[i].count('}')
        if depth == 0:
            return out, i
        i += 1
rows, i = [], start + 1
indent = len(lines[i]) - len(lines[i].lstrip())
while not lines[i].startswith(' ' * (indent - 2) + '}'):
    l = lines[i]
    if len(l) - len(l.lstrip()) == indent and re.search(r'(scf\.parallel|scf\.for|gpu\.launch) ', l):
        body, end = region(i)
        head = l.strip()
        threads = 1
        if 'scf.parallel' in head:
            m = re.search(r'= \(([^)]*)\) to \(([^)]*)\) step \(([^)]*)\)', head)
            for a, b, s in zip(*[g.split(', ') for g in m.groups()]):
                t = trips(a, b, s); threads = threads * t if (t and threads) else None
        elif 'gpu.launch' in head:
            threads = 'tiled product'
        chain, stack = 1, []
        for bl in body[0 if head.startswith('scf.for') else 1:]:
            ind = len(bl) - len(bl.lstrip())
            while stack and stack[-1][0] >= ind:
                stack.pop()
            m = re.search(r'scf\.for %\S+ = (%\S+) to (%\S+) step (%\S+)', bl)
            if m:
                stack.append((ind, trips(*m.groups()) or 0))
                prod = 1
                for _, t in stack:
                    prod *= t
                chain = max(chain, prod)
        rows.append((chain, threads, head[:90]))
        i = end
    i += 1
rows.sort(key=lambda r: -r[0])
print(f"{len(rows)} loop nests in {sys.argv[2]}; the longest sequential chains:")
print("| sequential iterations per thread | threads | nest |")
print("|---|---|---|")
for chain, threads, head in rows[:8]:
    print(f"| {chain} | {threads} | `{head}` |")
PY
