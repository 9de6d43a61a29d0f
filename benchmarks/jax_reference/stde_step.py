#!/usr/bin/env python3
"""The JAX reference STDE training step, written from the STDE paper's description.

Two-body Allen-Cahn on the unit ball (docs/MATH.md section 5):
  u(x) = (1 - |x|^2) MLP(x), tanh, width 128, depth 4 (3 hidden layers);
  residual Lap u + u - u^3 - f with the two-body exact solution's source f;
  sparse STDE: per point |J| = 16 coordinates without replacement,
  Lap u ~ (d/|J|) sum_{j in J} d2u(e_j), each d2u from jax.experimental.jet
  along the one-hot tangent (e_j, 0), vmapped over indices and points;
  Adam, learning rate decaying linearly to 0; 100 points per step, directions
  uniform on the sphere, radius U(0, 1).

The one-hot tangents are dense d-vectors: this is what jet under vmap does, and
what stde's compiled step avoids. Prints one JSON line per dimension:
  {"dim", "step_ms_median", "it_per_s", "peak_rss_mb", "params", "steps_timed",
   "device", "peak_device_mb" (on a GPU: XLA's peak bytes in use; run with
   XLA_PYTHON_CLIENT_PREALLOCATE=false so the pool does not take 75% up front)}
Usage: stde_step.py --dim D [--steps S] [--warmup W] [--samples J] [--points N]
Run each d in its own process so peak RSS belongs to that d alone.
"""
import argparse
import json
import resource
import time

import jax
import jax.numpy as jnp
from jax.experimental import jet


def init_mlp(key, dim, width, depth):
    """PyTorch's default for linear layers: U(-1/sqrt(in), 1/sqrt(in))."""
    params = []
    sizes = [dim] + [width] * (depth - 1) + [1]
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, kw, kb = jax.random.split(key, 3)
        bound = 1.0 / jnp.sqrt(fan_in)
        params.append((jax.random.uniform(kw, (fan_in, fan_out), minval=-bound, maxval=bound),
                       jax.random.uniform(kb, (fan_out,), minval=-bound, maxval=bound)))
    return params


def mlp(params, x):
    h = x
    for w, b in params[:-1]:
        h = jnp.tanh(h @ w + b)
    w, b = params[-1]
    return (h @ w + b)[0]


def u_theta(params, x):
    return (1.0 - jnp.dot(x, x)) * mlp(params, x)


def two_body_source(c, x):
    """f = Lap u* + u* - u*^3 for u* = (1-|x|^2) sum c_i sin(x_i + cos x_{i+1} + x_{i+1} cos x_i)
    (derived as in lib/API/Problems.cpp's header; closed form, O(d))."""
    a, b = x[:-1], x[1:]
    g = a + jnp.cos(b) + b * jnp.cos(a)
    ga, gb = 1.0 - b * jnp.sin(a), jnp.cos(a) - jnp.sin(b)
    gaa, gbb = -b * jnp.cos(a), -jnp.cos(b)
    s = jnp.sum(c * jnp.sin(g))
    xds = jnp.sum(c * jnp.cos(g) * (a * ga + b * gb))
    lap_s = jnp.sum(c * (-jnp.sin(g) * (ga ** 2 + gb ** 2) + jnp.cos(g) * (gaa + gbb)))
    q = 1.0 - jnp.dot(x, x)
    u = q * s
    lap = -2.0 * x.shape[0] * s - 4.0 * xds + q * lap_s
    return lap + u - u ** 3


def sample_ball(key, n, dim):
    kd, kr = jax.random.split(key)
    g = jax.random.normal(kd, (n, dim))
    r = jax.random.uniform(kr, (n, 1))
    return g / jnp.linalg.norm(g, axis=1, keepdims=True) * r


def make_step(dim, samples, points, lr, total_steps, c):
    def d2u(params, x, j):
        tangent = jax.nn.one_hot(j, dim, dtype=x.dtype)  # dense one-hot, as jet needs
        _, (_, second) = jet.jet(lambda y: u_theta(params, y), (x,),
                                 ((tangent, jnp.zeros_like(x)),))
        return second

    def residual(params, x, idx):
        lap = dim / samples * jnp.sum(jax.vmap(lambda j: d2u(params, x, j))(idx))
        u = u_theta(params, x)
        return lap + u - u ** 3 - two_body_source(c, x)

    def loss(params, xs, idx):
        r = jax.vmap(lambda x, i: residual(params, x, i))(xs, idx)
        return jnp.mean(r ** 2)

    @jax.jit
    def step(params, m, v, t, key):
        kx, ki = jax.random.split(key)
        xs = sample_ball(kx, points, dim)
        keys = jax.random.split(ki, points)
        idx = jax.vmap(lambda k: jax.random.choice(k, dim, (samples,), replace=False))(keys)
        value, grads = jax.value_and_grad(loss)(params, xs, idx)
        rate = lr * jnp.maximum(0.0, 1.0 - t / total_steps)
        b1, b2, eps = 0.9, 0.999, 1e-8
        m = jax.tree_util.tree_map(lambda m_, g: b1 * m_ + (1 - b1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v_, g: b2 * v_ + (1 - b2) * g * g, v, grads)
        mh = jax.tree_util.tree_map(lambda m_: m_ / (1 - b1 ** (t + 1)), m)
        vh = jax.tree_util.tree_map(lambda v_: v_ / (1 - b2 ** (t + 1)), v)
        params = jax.tree_util.tree_map(lambda p, a, b: p - rate * a / (jnp.sqrt(b) + eps),
                                        params, mh, vh)
        return params, m, v, value

    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dim", type=int, required=True)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--points", type=int, default=100)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--depth", type=int, default=4)
    args = ap.parse_args()

    key = jax.random.PRNGKey(0)
    kp, kc, key = jax.random.split(key, 3)
    params = init_mlp(kp, args.dim, args.width, args.depth)
    c = jax.random.normal(kc, (args.dim - 1,))
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    step = make_step(args.dim, args.samples, args.points, 1e-3, 10000, c)

    times = []
    for t in range(args.warmup + args.steps):
        key, sk = jax.random.split(key)
        start = time.perf_counter()
        params, m, v, value = step(params, m, v, jnp.float32(t), sk)
        value.block_until_ready()
        if t >= args.warmup:
            times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    n_params = sum(w.size + b.size for w, b in params)
    device = jax.devices()[0]
    stats = device.memory_stats() if hasattr(device, "memory_stats") else None
    peak_device = (stats or {}).get("peak_bytes_in_use")
    print(json.dumps({
        "device": device.device_kind,
        "peak_device_mb": None if peak_device is None else peak_device / 2**20,
        "impl": "jax", "dim": args.dim, "step_ms_median": median * 1e3, "it_per_s": 1.0 / median,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "params": int(n_params), "steps_timed": args.steps, "final_loss": float(value),
        "jax": jax.__version__}))


if __name__ == "__main__":
    main()
