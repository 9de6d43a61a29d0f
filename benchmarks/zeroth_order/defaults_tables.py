"""Prints the RESULTS.md tables of benchmarks/zeroth_order/defaults.sh.

Error at equal wall time: each run's error curve (rel. L2 at every
evaluation, against seconds of training, compile time excluded) is read at
the other method's final time by linear interpolation; past a curve's end
its final error holds (a run stops improving when its rate has decayed)."""
import csv, glob, json, os, re, statistics, sys

out = sys.argv[1]
runs = {}
for path in glob.glob(os.path.join(out, 'defaults-*-d*-s*.json')):
    m, d, s = re.match(r'defaults-(\w+)-d(\d+)-s(\d+)\.json', os.path.basename(path)).groups()
    j = json.load(open(path))
    rows = list(csv.DictReader(open(path[:-5] + '.csv')))
    curve = [(float(r['seconds']), float(r['rel_l2'])) for r in rows if r['rel_l2']]
    runs[(m, int(d), int(s))] = (j, curve)

def at(curve, t):
    """The error of `curve` after t seconds of training."""
    if not curve:
        return float('nan')
    if t <= curve[0][0]:
        return curve[0][1]
    for (t0, e0), (t1, e1) in zip(curve, curve[1:]):
        if t <= t1:
            return e0 + (e1 - e0) * (t - t0) / (t1 - t0)
    return curve[-1][1]

def med(xs):
    return statistics.median(xs) if xs else float('nan')

print('| d | seeds | steps | STDE it/s | ZO it/s | ZO/STDE it/s | STDE rel. L2 (end, median) | '
      'ZO rel. L2 (end, median) | ZO at STDE\'s time / STDE | ZO diverged | '
      'STDE peak RSS MB | ZO peak RSS MB | ZO/STDE memory |')
print('|' + '---|' * 13)
for d in sorted({k[1] for k in runs}):
    seeds = sorted(k[2] for k in runs if k[0] == 'zo' and k[1] == d and ('stde', d, k[2]) in runs)
    if not seeds:
        continue
    st = [runs[('stde', d, s)] for s in seeds]
    zo = [runs[('zo', d, s)] for s in seeds]
    ratio = [at(z[1], s_[1][-1][0]) / s_[1][-1][1] for s_, z in zip(st, zo) if s_[1] and z[1]]
    diverged = sum(1 for z in zo if not z[1] or z[0]['rel_l2'] is None or z[0]['rel_l2'] != z[0]['rel_l2'])
    smem = med([s_[0]['peak_rss_mb'] for s_ in st])
    zmem = med([z[0]['peak_rss_mb'] for z in zo])
    sr, zr = med([s_[0]['it_per_s'] for s_ in st]), med([z[0]['it_per_s'] for z in zo])
    print('| %d | %d | %d | %.2f | %.2f | %.2f | %.3g | %.3g | %.2f | %d of %d | %.0f | %.0f | %.2f |' % (
        d, len(seeds), st[0][0]['steps'], sr, zr, zr / sr, med([s_[0]['rel_l2'] for s_ in st]),
        med([z[0]['rel_l2'] for z in zo]), med(ratio), diverged, len(seeds), smem, zmem, zmem / smem))
print()
print('Peak RSS (whole process, MB), median over seeds:')
for d in sorted({k[1] for k in runs}):
    for m in ('stde', 'zo'):
        js = [v[0] for k, v in runs.items() if k[0] == m and k[1] == d]
        if js:
            print('- d = %d %s: peak RSS %.0f, compile peak %.0f, step temporaries %.0f' % (
                d, m, med([j['peak_rss_mb'] for j in js]), med([j['compile_peak_rss_mb'] for j in js]),
                med([j['step_temporaries_mb'] for j in js])))
