"""Prints the RESULTS.md tables of benchmarks/zeroth_order/run.sh."""
import csv, glob, json, os, sys

out = sys.argv[1]

def load(name):
    path = os.path.join(out, name + '.json')
    return json.load(open(path)) if os.path.exists(path) else None

print('Error vs wall time (seconds of training, compile time excluded):\n')
for d in (100, 1000):
    for m in ('stde', 'zo'):
        path = os.path.join(out, 'curve-%s-d%d.csv' % (m, d))
        if not os.path.exists(path):
            continue
        rows = list(csv.DictReader(open(path)))
        points = ', '.join('%.1f s: %.2e' % (float(r['seconds']), float(r['rel_l2']))
                           for r in rows if r['rel_l2'])
        j = load('curve-%s-d%d' % (m, d))
        print('- d = %d, %s (%d steps, %.0f it/s): %s' % (d, m, j['steps'], j['it_per_s'], points))
print()
print('| d | STDE peak RSS MB | ZO peak RSS MB | ZO / STDE | STDE it/s | ZO it/s |')
print('|---|---|---|---|---|---|')
for d in (10000, 100000, 1000000):
    s, z = load('memory-stde-d%d' % d), load('memory-zo-d%d' % d)
    if not s or not z:
        continue
    print('| %d | %.0f | %.0f | %.2f | %.2f | %.2f |' % (d, s['peak_rss_mb'], z['peak_rss_mb'],
          z['peak_rss_mb'] / s['peak_rss_mb'], s['it_per_s'], z['it_per_s']))
