#!/usr/bin/env python3
"""Prints the tables of benchmarks/RESULTS.md from a results.jsonl of run.sh."""
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
peak = next((r['gflops_median'] for r in rows if r['impl'] == 'sgemm'), None)
by = {}
for r in rows:
    if r['impl'] == 'sgemm':
        continue
    key = r['impl'] if r['impl'] == 'jax' else 'stde' + (' without ' + r['off'] if r.get('off') else '')
    by.setdefault(r['dim'], {})[key] = r

print('Measured sgemm (2048^3, OpenBLAS, both cores): %.1f GFLOP/s\n' % peak if peak else '')
print('| d | stde ms/step | JAX ms/step | speedup | stde peak MB | JAX peak MB | JAX/stde memory '
      '| product GFLOP/step | stde GFLOP/s | % of sgemm |')
print('|---|---|---|---|---|---|---|---|---|---|')
for d in sorted(by):
    s, j = by[d].get('stde'), by[d].get('jax')
    if not s:
        continue
    jms = '%.1f' % j['step_ms_median'] if j and 'step_ms_median' in j else (j or {}).get('failed', '-')
    speed = '%.2fx' % (j['step_ms_median'] / s['step_ms_median']) if j and 'step_ms_median' in j else '-'
    jmem = '%.0f' % j['peak_rss_mb'] if j and 'peak_rss_mb' in j else '-'
    mem = '%.2fx' % (j['peak_rss_mb'] / s['peak_rss_mb']) if j and 'peak_rss_mb' in j else '-'
    pct = '%.0f%%' % (100 * s['step_gflops'] / peak) if peak else '-'
    print('| %d | %.2f | %s | %s | %.0f | %s | %s | %.3f | %.1f | %s |' % (
        d, s['step_ms_median'], jms, speed, s['peak_rss_mb'], jmem, mem, s['product_gflop'],
        s['step_gflops'], pct))

offs = ['collapse', 'merge', 'one-hot', 'zero', 'runtime-matmul']
print('\nEach rewrite turned off (ms/step; in parentheses: slowdown against every rewrite on; peak MB):\n')
print('| d | all on | ' + ' | '.join('without ' + o for o in offs) + ' |')
print('|---|---|' + '---|' * len(offs))
for d in sorted(by):
    s = by[d].get('stde')
    if not s:
        continue
    cells = []
    for o in offs:
        r = by[d].get('stde without ' + o)
        cells.append('%.1f (%.2fx; %.0f MB)' % (r['step_ms_median'], r['step_ms_median'] / s['step_ms_median'],
                                                r['peak_rss_mb']) if r else '-')
    print('| %d | %.1f (%.0f MB) | %s |' % (d, s['step_ms_median'], s['peak_rss_mb'], ' | '.join(cells)))
