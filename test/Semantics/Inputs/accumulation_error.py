"""Error of a μGraph against float64, beside the kernel-level program's.

Draws inputs in numpy (independently of the interpreter's generator), runs
the float interpreter (mirage-opt --mirage-interpret inputs=...) on the
kernel-level program and on a μGraph of it (a hand-written one, one the
search found, or the kernel-level program after --mirage-default-schedules)
and measures both against a float64 numpy evaluation of the example, in
which nothing is rounded but the inputs.

The μGraph passes when its error is within the kernel-level program's:
    p99(μGraph)   <= 1.1  * p99(kernel)   + 2**-11
    worst(μGraph) <= 1.25 * worst(kernel) + 2**-11
where an element's error is |got - ref| / max(|ref|, rms(ref) / 16): a
relative error, floored at a sixteenth of the typical magnitude (the rms of
the reference output) so that an output that cancels to near zero, which
any f16 program computes with a large relative error, does not decide the
figure; 2**-11 is one f16 rounding. --plain also prints the unfloored
relative error |got - ref| / |ref|. A μGraph that rounds each for-loop
iteration's partial matmul product to f16 fails (GatedMLP at its real
shape: p99 0.47% and worst 2.4% against the kernel-level program's 0.10%
and 0.15%; bench/results/accumulation.md).

Usage:
  accumulation_error.py MIRAGE_OPT EXAMPLE KERNEL_FILE:ENTRY UGRAPH_FILE:ENTRY
                        TMPDIR [--default-schedules] [--plain]
--default-schedules runs --mirage-default-schedules on the μGraph file first
(the μGraph is then the one that is compiled for a kernel-level program).
"""
import os
import re
import subprocess
import sys

import numpy as np


def rms_norm(x):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True))


def silu(g):
    return g / (1 + np.exp(-g))


def attention(q, k, v, norm=False):
    if norm:
        q, v = rms_norm(q), rms_norm(v)
    s = np.exp(np.matmul(q, k))
    return np.matmul(s / s.sum(axis=-1, keepdims=True), v)


# Per example: the float64 function and the scale of each input (uniform in
# [-scale, scale), rounded to the input's dtype). The scales keep every
# value of the kernel-level program finite in f16: matmul weights by
# 1/sqrt(k)-like factors, exp arguments small enough that the row sums of
# attention (4096 terms) stay below 65504.
EXAMPLES = {
    "rmsnorm_matmul": (lambda x, w: np.matmul(rms_norm(x), w), [1, 1 / 16]),
    "mqa": (attention, [0.25, 0.25, 1]),
    "gqa": (attention, [0.25, 0.25, 1]),
    "mha": (attention, [0.25, 0.25, 1]),
    "qknorm_gqa": (lambda q, k, v: attention(q, k, v, norm=True),
                   [1, 0.125, 1]),
    "gated_mlp": (lambda x, w1, w2: silu(np.matmul(x, w1)) * np.matmul(x, w2),
                  [1, 1 / 16, 1 / 16]),
    "lora": (lambda x, w, a, b: np.matmul(x, w) + np.matmul(
        np.matmul(x, a), b), [1, 1 / 16, 1 / 16, 1 / 4]),
    "moe": (lambda x, a, b: np.matmul(np.exp(np.matmul(x, a)), b),
            [1, 1 / 64, 1 / 64]),
    "ntrans": (lambda h, x, al: rms_norm(x + al * (rms_norm(h) + x)),
               [1, 1, 1]),
}

DTYPES = {"f16": np.float16, "f32": np.float32}


def signature(path, entry):
    """The (shape, dtype) of each argument of func.func @entry."""
    text = open(path).read()
    m = re.search(r"func\.func @%s\((.*?)\)\s*->" % re.escape(entry), text,
                  re.S)
    if not m:
        sys.exit("%s: no function @%s" % (path, entry))
    args = re.findall(r"tensor<([0-9x]+)x(f16|bf16|f32)>", m.group(1))
    return [(tuple(int(d) for d in s.split("x")), t) for s, t in args]


def interpret(mirage_opt, path, entry, inputs, outdir, schedule):
    passes = ["--mirage-default-schedules"] if schedule else []
    os.makedirs(outdir, exist_ok=True)
    subprocess.run(
        [mirage_opt, path] + passes + [
            "--mirage-interpret=entry=%s inputs=%s output-dir=%s" %
            (entry, ",".join(inputs), outdir), "-o", os.devnull
        ],
        check=True,
        stdout=subprocess.DEVNULL)
    return np.load(os.path.join(outdir, "output0.npy")).astype(np.float64)


def errors(got, ref):
    assert got.shape == ref.shape, (got.shape, ref.shape)
    assert np.isfinite(got).all(), "non-finite outputs: scale the inputs down"
    floor = np.sqrt(np.mean(ref * ref))
    return np.abs(got - ref) / np.maximum(np.abs(ref), floor / 16)


def plain(got, ref):
    return np.abs(got - ref) / np.abs(ref)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    schedule = "--default-schedules" in sys.argv
    mirage_opt, name, kernel, ugraph, tmp = args
    fn, scales = EXAMPLES[name]
    kfile, kentry = kernel.rsplit(":", 1)
    ufile, uentry = ugraph.rsplit(":", 1)
    sig = signature(kfile, kentry)
    assert sig == signature(ufile, uentry), "the two functions' types differ"
    rng = np.random.default_rng(2026)
    os.makedirs(tmp, exist_ok=True)
    paths, values = [], []
    for i, ((shape, dtype), scale) in enumerate(zip(sig, scales)):
        x = (rng.uniform(-1, 1, shape) * scale).astype(DTYPES[dtype])
        paths.append(os.path.join(tmp, "input%d.npy" % i))
        np.save(paths[-1], x)
        values.append(x.astype(np.float64))
    ref = fn(*values)
    assert np.isfinite(ref).all()
    k = interpret(mirage_opt, kfile, kentry, paths, os.path.join(tmp, "k"),
                  False)
    u = interpret(mirage_opt, ufile, uentry, paths, os.path.join(tmp, "u"),
                  schedule)
    ek, eu = errors(k, ref), errors(u, ref)
    fig = lambda e: (100 * np.percentile(e, 99), 100 * e.max())
    kp, kw = fig(ek)
    up, uw = fig(eu)
    f16 = 100 * 2.0**-11
    ok = up <= 1.1 * kp + f16 and uw <= 1.25 * kw + f16
    print("%s: kernel p99 %.3f%% worst %.3f%%; ugraph p99 %.3f%% worst %.3f%%:"
          " %s" % (name, kp, kw, up, uw, "within" if ok else "WORSE"))
    if "--plain" in sys.argv:
        kp, kw = fig(plain(k, ref))
        up, uw = fig(plain(u, ref))
        print("%s: |err|/|ref|: kernel p99 %.3f%% worst %.3f%%; ugraph p99 "
              "%.3f%% worst %.3f%%" % (name, kp, kw, up, uw))
    sys.exit(0 if ok else 1)


main()
