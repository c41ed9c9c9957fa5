"""Writes the tables of special values that special-values.test feeds to
mirage-cpu-runner (.npy, float32, C order; each value exact in the element
type of the function that reads it). No numpy needed.

usage: special-values.py OUTPUT_DIR
"""
import os
import struct
import sys

INF = float("inf")
NAN = float("nan")

# 16 values per element type: NaN, the infinities, both zeros, ordinary
# values, the largest finite values, the smallest subnormals, the smallest
# normal value and a subnormal in between.
TABLES = {
    "f32": [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, -2.0,
            3.4028234663852886e38, -3.4028234663852886e38,
            2.0**-149, -(2.0**-149), 2.0**-126, 2.0**-130, 100.0],
    "f16": [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, -2.0,
            65504.0, -65504.0, 2.0**-24, -(2.0**-24), 2.0**-14, 2.0**-20,
            12.0],
    "bf16": [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, -2.0,
             3.3895313892515355e38, -3.3895313892515355e38,
             2.0**-133, -(2.0**-133), 2.0**-126, 2.0**-130, 100.0],
}

# Rows of the reduction tables: each row holds these two values (the rest of
# the row is 1), so a sum sees NaN, an infinity, opposite infinities, an
# overflow, subnormals and both zeros.
def reduction_rows(t):
    nan, inf, big, tiny = t[0], t[1], t[9], t[11]
    return [(nan, 0.0), (inf, 0.0), (-inf, 0.0), (inf, -inf), (inf, inf),
            (-0.0, -0.0), (0.0, -0.0), (big, big), (big, -big),
            (tiny, tiny), (tiny, -tiny), (nan, inf), (-inf, nan),
            (1.0, -1.0), (0.5, 0.5), (-2.0, 2.0)]


def write_npy(path, shape, values):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else ""))
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(struct.pack("<%df" % len(values), *values))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, t in TABLES.items():
        n = len(t)
        # Unary: 4 rows of the table.
        write_npy(os.path.join(out, "unary_%s.npy" % name), (4, n), t * 4)
        # Binary: every pair, a[i][j] = t[i], b[i][j] = t[j].
        write_npy(os.path.join(out, "lhs_%s.npy" % name), (n, n),
                  [t[i] for i in range(n) for j in range(n)])
        write_npy(os.path.join(out, "rhs_%s.npy" % name), (n, n),
                  [t[j] for i in range(n) for j in range(n)])
        # Reductions: 16 rows of 64, two special values in each.
        rows = []
        for a, b in reduction_rows(t):
            row = [1.0] * 64
            row[5], row[40] = a, b
            rows += row
        write_npy(os.path.join(out, "rows_%s.npy" % name), (16, 64), rows)
        # The identity, to put special values through a matmul.
        write_npy(os.path.join(out, "eye_%s.npy" % name), (64, 64),
                  [1.0 if i == j else 0.0 for i in range(64) for j in range(64)])


if __name__ == "__main__":
    main()
