"""An independent numpy implementation of the kernel-level examples.

Regenerates the interpreter's seeded inputs (counter-based splitmix64, see
docs/Semantics.md), evaluates the example with every op computed in float64
and rounded to float16, and compares with the interpreter's output<I>.npy.
Usage: numpy_reference.py EXAMPLE SEED SCALE OUTPUT_DIR
"""
import sys

import numpy as np

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
GAMMA = np.uint64(0x9E3779B97F4A7C15)


def mix64(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def random_input(shape, seed, index, scale):
    with np.errstate(over="ignore"):
        key = mix64(np.uint64(seed) * GAMMA + np.uint64(index + 1))
        n = int(np.prod(shape))
        out = np.empty(n, dtype=np.float16)
        step = 1 << 22
        for start in range(0, n, step):
            i = np.arange(start, min(n, start + step), dtype=np.uint64)
            bits = mix64(key + (i + np.uint64(1)) * GAMMA)
            u = (bits >> np.uint64(11)).astype(np.float64) * 2.0**-53
            out[start:start + len(i)] = ((2 * u - 1) * scale).astype(np.float16)
    return out.reshape(shape).astype(np.float64)


def r(x):
    """Rounds to float16 (numpy rounds to nearest even) and back."""
    with np.errstate(over="ignore"):
        return x.astype(np.float16).astype(np.float64)


def rms_norm(x):
    return r(x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True)))


def silu(g):
    return r(g / (1 + np.exp(-g)))


def attention(q, k, v, norm=False):
    if norm:
        q, v = rms_norm(q), rms_norm(v)
    s = r(np.exp(r(np.matmul(q, k))))
    p = r(s / r(s.sum(axis=2, keepdims=True)))
    return r(np.matmul(p, v))


EXAMPLES = {
    "rmsnorm_matmul": ([(2, 4096), (4096, 6144)],
                       lambda x, w: r(np.matmul(rms_norm(x), w))),
    "mqa": ([(1, 1024, 64), (1, 64, 4096), (1, 4096, 64)], attention),
    "gqa": ([(2, 256, 64), (2, 64, 4096), (2, 4096, 64)], attention),
    "mha": ([(32, 16, 64), (32, 64, 4096), (32, 4096, 64)], attention),
    "qknorm_gqa": ([(2, 256, 64), (2, 64, 4096), (2, 4096, 64)],
                   lambda q, k, v: attention(q, k, v, norm=True)),
    "gated_mlp": ([(8, 4096), (4096, 4096), (4096, 4096)],
                  lambda x, w1, w2: r(silu(r(np.matmul(x, w1))) *
                                      r(np.matmul(x, w2)))),
    "lora": ([(16, 256), (256, 4096), (256, 16), (16, 4096)],
             lambda x, w, a, b: r(r(np.matmul(x, w)) +
                                  r(np.matmul(r(np.matmul(x, a)), b)))),
    "moe": ([(8, 8, 4096), (8, 4096, 4096), (8, 4096, 4096)],
            lambda x, a, b: r(np.matmul(r(np.exp(r(np.matmul(x, a)))), b))),
    "ntrans": ([(8, 4096)] * 3,
               lambda h, x, al: rms_norm(r(x + r(al * r(rms_norm(h) + x))))),
}


def main():
    name, seed, scale, outdir = sys.argv[1], int(sys.argv[2]), float(
        sys.argv[3]), sys.argv[4]
    shapes, fn = EXAMPLES[name]
    inputs = [random_input(s, seed, i, scale) for i, s in enumerate(shapes)]
    ref = fn(*inputs)
    got = np.load(outdir + "/output0.npy").astype(np.float64)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    # As the project's comparison (include/Mirage/Portable/Compare.h): a
    # reference that is not finite checks nothing, so it is an error.
    if not np.isfinite(ref).all():
        i = np.argwhere(~np.isfinite(ref))[0]
        print("%s: %d expected values are not finite (first at %s: %r)" %
              (name, np.sum(~np.isfinite(ref)), list(i), ref[tuple(i)]))
        sys.exit(1)
    atol = 1e-3 * np.max(np.abs(ref))
    ok = np.abs(got - ref) <= atol + 1e-2 * np.abs(ref)
    exact = np.mean(got == ref)
    if not ok.all():
        i = np.argwhere(~ok)[0]
        print("%s: MISMATCH at %s: %r vs %r" % (name, list(i), got[tuple(i)],
                                                 ref[tuple(i)]))
        sys.exit(1)
    print("%s: agree (%.1f%% identical)" % (name, 100 * exact))


main()
