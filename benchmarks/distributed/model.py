"""Scaling model of data-parallel training, from the measured step costs.

One rank's step on n points at dimension d (one CPU thread):
    t(n, d) = s(d) (a + b n)
a (per step: optimizer, zeroth-order basis) and b (per point) from d = 1e5:
t(128) of a one-process, one-thread run, and t(64) of a rank of the two-rank
run minus its time in the allreduce (benchmarks/RESULTS.md, "Data parallel");
s(1e6) the measured t(128, 1e6) / t(128, 1e5); s(1e7) = 10 s(1e6),
extrapolated (the first layer and the optimizer, linear in d, dominate).
The collective, a ring allreduce (reduce-scatter + allgather):
    allreduce(P) = 2 (P - 1) / P * bytes / bandwidth + 2 log2(P) * latency
STDE sums the loss and the gradient: 4 (128 d + 49,666) bytes in f32 (width
128, depth 4); zeroth order sums 2 x pairs losses: 8 bytes.

Weak scaling: every rank keeps 128 points (a step trains on 128 P points);
efficiency = t / (t + allreduce). Strong scaling: N = 1024 points per step
split over the P ranks; efficiency = t(N) / (P (t(N / P) + allreduce)).
The last two tables assume ranks 100 times faster than one thread (a GPU or
a many-core node; an assumption, not a measurement).
"Stops scaling": the first P (power of two) with efficiency below 50%; for
strong scaling only P <= N is looked at (one point per rank at most).

    python3 benchmarks/distributed/model.py
"""
import math

# Measured on this machine (2 cores; benchmarks/RESULTS.md): seconds per step.
MEASURED = {
    #        t(128, 1e5)  t(64, 1e5) per rank    t(128, 1e6)
    "stde": (1 / 1.855, 1 / 2.93 - 5.12e-2, 1 / 0.1510),
    "zo": (1 / 1.119, 1 / 2.25 - 3.67e-3, 1 / 0.1212),
}
NETWORKS = {"25 Gb/s, 10 us": (25e9 / 8, 10e-6), "200 Gb/s, 2 us": (200e9 / 8, 2e-6)}
RANKS = [8, 32, 128, 512, 1024]
STRONG_POINTS = 1024


def cost_model(method, speedup=1.0):
    t128, t64, t128_1e6 = MEASURED[method]
    b = (t128 - t64) / 64
    a = max(t128 - 128 * b, 0.0)
    scale = {1e5: 1.0, 1e6: t128_1e6 / t128}
    scale[1e7] = 10 * scale[1e6]
    return lambda n, d: scale[d] * (a + b * n) / speedup


def step_bytes(method, d):
    return 4 * (128 * d + 49666) if method == "stde" else 8


def allreduce(p, nbytes, network):
    bandwidth, latency = network
    return 2 * (p - 1) / p * nbytes / bandwidth + 2 * math.log2(p) * latency


def efficiency(kind, t, method, d, p, network):
    comm = allreduce(p, step_bytes(method, d), network)
    if kind == "weak":
        step = t(128, d) + comm
        return 1 / step, t(128, d) / step
    step = t(STRONG_POINTS / p, d) + comm
    return 1 / step, t(STRONG_POINTS, d) / (p * step)


def table(kind, speedup=1.0):
    print(f"\n{kind} scaling" + (" (128 points per rank)" if kind == "weak"
                                  else f" ({STRONG_POINTS} points per step)")
          + ("" if speedup == 1 else f", ranks {speedup:g} x faster than one thread (assumed)"))
    print("\n| method | d | network | " +
          " | ".join(f"P = {p}: it/s (eff.)" for p in RANKS) + " | stops scaling |")
    print("|---|---|---|" + "---|" * len(RANKS) + "---|")
    for method in ("stde", "zo"):
        t = cost_model(method, speedup)
        for d in (1e5, 1e6, 1e7):
            for name, network in NETWORKS.items():
                cells = []
                for p in RANKS:
                    rate, eff = efficiency(kind, t, method, d, p, network)
                    cells.append(f"{rate:.3g} ({eff:.0%})")
                largest = 20 if kind == "weak" else int(math.log2(STRONG_POINTS))
                stop = f"not up to P = {2 ** largest}"
                for k in range(1, largest + 1):
                    if efficiency(kind, t, method, d, 2 ** k, network)[1] < 0.5:
                        stop = f"P = {2 ** k}"
                        break
                print(f"| {method} | {d:.0e} | {name} | " + " | ".join(cells) + f" | {stop} |")


if __name__ == "__main__":
    for method in ("stde", "zo"):
        t128, t64, _ = MEASURED[method]
        b = (t128 - t64) / 64
        print(f"{method}: a = {max(t128 - 128 * b, 0.0):.3f} s per step, b = {b * 1e3:.2f} ms per "
              f"point at d = 1e5 (one thread)")
    table("weak")
    table("strong")
    # A rank that is a GPU or a many-core node computes its share far faster
    # than one thread (not measured here): the same bytes then weigh more.
    table("weak", 100.0)
    table("strong", 100.0)
