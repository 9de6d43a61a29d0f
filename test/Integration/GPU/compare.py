"""Compares two raw little-endian float vectors (stde-train --params):
exits 1 if max |a - b| / max(max |a|, 1e-30) exceeds the tolerance, or if
any value is NaN (max() would drop it)."""
import math
import struct
import sys

a_path, b_path, kind, tolerance = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
fmt = "f" if kind == "f32" else "d"
size = struct.calcsize(fmt)
a = open(a_path, "rb").read()
b = open(b_path, "rb").read()
if len(a) != len(b) or len(a) == 0:
    sys.exit(f"sizes differ: {len(a)} vs {len(b)} bytes")
x = struct.unpack(f"<{len(a) // size}{fmt}", a)
y = struct.unpack(f"<{len(b) // size}{fmt}", b)
if any(math.isnan(v) for v in x + y):
    sys.exit(f"{len(x)} values, a NaN among them")
scale = max(max(abs(v) for v in x), 1e-30)
worst = max(abs(p - q) for p, q in zip(x, y)) / scale
print(f"{len(x)} values, max relative difference {worst:.3e} (tolerance {tolerance:.1e})")
sys.exit(0 if worst <= tolerance else 1)
