#!/usr/bin/env python3
"""Splits the loss of a trained time-dependent problem into its terms.

Reads the parameters `stde-train --params FILE` wrote for `--problem
sine-gordon-time` or `allen-cahn-time` (tanh MLP of (x, t), f32, each
layer's weights out x in row-major then its biases), draws points as the
problem does (t ~ U(0, T), x ~ N(0, 2t I); terminal points x ~ N(0, 2T I)),
and evaluates on them in float64, with exact derivatives (forward mode
through the layers, not stde): u_t, the full Laplacian over x, the source,
the PDE residual r and the terminal residual u(x, T) - g(x). Prints their
means by time bin, the spread of u and g over the terminal points and
u(0, 0).

    python3 parabolic_residuals.py --params run.params --problem sine-gordon-time \
        --dim 10000 [--width 128 --depth 4 --time-scale 1 --points 200 --seed 0]
"""
import argparse
import math

import numpy as np

HORIZON = 0.3
TERMINAL_WEIGHT = 20.0


def layers_of(theta, inputs, width, depth):
    """[(W, b)] in the order the network applies them."""
    shapes = [(width, inputs)] + [(width, width)] * (depth - 2) + [(1, width)]
    if depth == 1:
        shapes = [(1, inputs)]
    out, offset = [], 0
    for rows, cols in shapes:
        w = theta[offset:offset + rows * cols].reshape(rows, cols)
        offset += rows * cols
        b = theta[offset:offset + rows]
        offset += rows
        out.append((w.astype(np.float64), b.astype(np.float64)))
    if offset != theta.size:
        raise SystemExit(f"the parameter file holds {theta.size} numbers, the network "
                         f"{offset}: check --dim, --width and --depth")
    return out


def jets(layers, xt, d, time_scale=1.0):
    """u, u_t and the Laplacian over the first d inputs at one point of a
    network that reads (x, time_scale t)."""
    w0, _ = layers[0]
    grad_x = w0[:, :d]              # d z / d x, one column per coordinate
    dz_dt = w0[:, d] * time_scale
    z = w0[:, :d] @ xt[:d] + dz_dt * xt[d] + layers[0][1]
    lap = np.zeros_like(z)
    for l, (w, b) in enumerate(layers):
        if l > 0:
            z = w @ a + b
            grad_x = w @ grad_x
            dz_dt = w @ dz_dt
            lap = w @ lap
        if l + 1 == len(layers):
            return z[0], dz_dt[0], lap[0]
        a = np.tanh(z)
        s1 = 1.0 - a * a
        s2 = -2.0 * a * s1
        lap = s1 * lap + s2 * np.einsum("ij,ij->i", grad_x, grad_x)
        grad_x = s1[:, None] * grad_x
        dz_dt = s1 * dz_dt


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--params", required=True)
    p.add_argument("--problem", choices=["sine-gordon-time", "allen-cahn-time"], required=True)
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--depth", type=int, default=4)
    p.add_argument("--time-scale", type=float, default=1.0,
                   help="the run's --time-scale: the network read (x, C t)")
    p.add_argument("--points", type=int, default=200)
    p.add_argument("--bins", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    d = a.dim
    layers = layers_of(np.fromfile(a.params, dtype="<f4"), d + 1, a.width, a.depth)
    rng = np.random.default_rng(a.seed)
    if a.problem == "sine-gordon-time":
        source = lambda u: d * math.sin(u / d)
        terminal = lambda x: 5.0 * d / (10.0 + 2.0 * float(x @ x))
    else:
        source = lambda u: u - u ** 3
        terminal = lambda x: math.atan(float(x.max()))

    rows = []
    for _ in range(a.points):
        t = rng.uniform(0.0, HORIZON)
        x = rng.normal(0.0, math.sqrt(2.0 * t), d)
        u, ut, lap = jets(layers, np.append(x, t), d, a.time_scale)
        rows.append((t, u, ut, lap, source(u), ut + lap + source(u)))
    rows = np.array(rows)
    print(f"{a.problem}, d = {d}: PDE residual at {a.points} Brownian points, by time bin")
    print("   t from   t to        u      u_t    Lap u   source   mean r  mean r^2")
    edges = np.linspace(0.0, HORIZON, a.bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = rows[(rows[:, 0] >= lo) & (rows[:, 0] < hi)]
        if len(m):
            print(f"{lo:8.3f} {hi:6.3f} " + " ".join(f"{v:8.3f}" for v in m[:, 1:5].mean(0)) +
                  f" {m[:, 5].mean():8.3f} {np.mean(m[:, 5] ** 2):9.4f}")
    interior = float(np.mean(rows[:, 5] ** 2))

    us, gs = [], []
    for _ in range(a.points):
        x = rng.normal(0.0, math.sqrt(2.0 * HORIZON), d)
        us.append(jets(layers, np.append(x, HORIZON), d, a.time_scale)[0])
        gs.append(terminal(x))
    us, gs = np.array(us), np.array(gs)
    term = float(np.mean((us - gs) ** 2))
    print(f"terminal points: u mean {us.mean():.4f} std {us.std():.4f}; g mean {gs.mean():.4f} "
          f"std {gs.std():.4f}; mean (u - g)^2 {term:.4f}")
    u0 = jets(layers, np.zeros(d + 1), d, a.time_scale)[0]
    print(f"loss terms: PDE {interior:.4f} + {TERMINAL_WEIGHT:g} x terminal {term:.4f} = "
          f"{interior + TERMINAL_WEIGHT * term:.4f}; u(0, 0) = {u0:.6f}")


if __name__ == "__main__":
    main()
