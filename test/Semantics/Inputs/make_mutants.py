"""Emits single-point mutants of the small μGraphs of small_ugraphs.mlir.

Each mutant is one module (separated by `// -----`) holding the kernel-level
reference `ref` and the mutated μGraph `mut`. Every mutant verifies (the
mutations keep all types consistent), so the suite tests the equivalence
checker, not the verifier. Usage: make_mutants.py small_ugraphs.mlir
"""
import re
import sys

RMS = [  # (what, old, new) applied once to the rmsnorm_matmul μGraph
    ("W imap x->1 becomes x->replicate on a grid of 4 needs tiles; grid 1",
     "grid [4, 1, 1] block [128, 1, 1]\n      forloop 4",
     "grid [1, 4, 1] block [128, 1, 1]\n      forloop 4"),
    ("X fmap 1 becomes -1 (same tile every iteration)", "fmap 1\n        : tensor<2x256xf16> -> !block.tile<2x64",
     "fmap 1\n        : tensor<2x256xf16> -> !block.tile<2x64"),
    ("accum rms -> mean", "accum rms %xt", "accum mean %xt"),
    ("accum rms -> sum", "accum rms %xt", "accum sum %xt"),
    ("accum none -> rescale by itself", "accum none %mm\n        : !block.tile<2x24xf16, pre>",
     "accum rescale %mm, %mm\n        : !block.tile<2x24xf16, pre>, !block.tile<2x24xf16, pre>"),
    ("accum none -> max", "accum none %mm", "accum max %mm"),
    ("div -> mul", "block.div %acc, %rms", "block.mul %acc, %rms"),
    ("div -> sub", "block.div %acc, %rms", "block.sub %acc, %rms"),
    ("div -> add", "block.div %acc, %rms", "block.add %acc, %rms"),
    ("div -> pow", "block.div %acc, %rms", "block.pow %acc, %rms"),
    ("dropped div", None, None),
    ("exp inserted after matmul", None, None),
    ("square inserted after matmul", None, None),
    ("mul_scalar 2 inserted after div", None, None),
    ("rsqrt instead of dividing by rms", None, None),
    ("sqrt of rms", None, None),
]


def sub_once(text, old, new):
    if old not in text:
        raise SystemExit("mutation does not apply: " + old)
    return text.replace(old, new, 1)


def functions(path):
    text = open(path).read()
    parts = re.split(r"(?m)^(?=func\.func )", text)
    return {re.match(r"func\.func @(\w+)", p).group(1): p
            for p in parts if p.startswith("func.func")}


def rename(text, old, new):
    return text.replace("@" + old + "(", "@" + new + "(", 1)


def rms_mutants(f):
    m = []
    t = f
    m.append(("grid x 4 -> 2 (W tiles of 48 columns)", t.replace(
        "grid [4, 1, 1]", "grid [2, 1, 1]").replace(
        "!block.tile<64x24xf16, pre>", "!block.tile<64x48xf16, pre>").replace(
        "!block.tile<2x24xf16", "!block.tile<2x48xf16")))
    m.append(("forloop 4 -> 2", t.replace("forloop 4", "forloop 2").replace(
        "!block.tile<2x64xf16", "!block.tile<2x128xf16").replace(
        "!block.tile<64x24xf16", "!block.tile<128x24xf16")))
    m.append(("X fmap 1 -> -1 with a replicated W", t.replace(
        "imap [-1, -1, -1] fmap 1", "imap [-1, -1, -1] fmap -1").replace(
        "!block.tile<2x64xf16", "!block.tile<2x256xf16").replace(
        "imap [1, -1, -1] fmap 0", "imap [1, -1, -1] fmap -1").replace(
        "!block.tile<64x24xf16", "!block.tile<256x24xf16")))
    for kind in ["mean", "sum", "none", "max"]:
        if kind == "none":
            m.append(("accum rms -> rescale", sub_once(t, "accum rms %xt\n        : !block.tile<2x64xf16, pre> -> !block.tile<2x1xf16, post>",
                "accum sum %xt\n        : !block.tile<2x64xf16, pre> -> !block.tile<2x1xf16, post>")))
            continue
        if kind == "max":
            continue
        m.append(("accum rms -> " + kind, sub_once(t, "accum rms %xt", "accum " + kind + " %xt")))
    m.append(("accum none -> max", sub_once(t, "accum none %mm", "accum max %mm")))
    m.append(("accum none -> rescale by itself", sub_once(t,
        "accum none %mm\n        : !block.tile<2x24xf16, pre>",
        "accum rescale %mm, %mm\n        : !block.tile<2x24xf16, pre>, !block.tile<2x24xf16, pre>")))
    for op in ["mul", "sub", "add", "pow"]:
        m.append(("div -> " + op, sub_once(t, "block.div %acc", "block." + op + " %acc")))
    m.append(("dropped div", sub_once(t, "block.saver %out", "block.saver %acc")))
    for op in ["exp", "square", "sqrt", "silu", "relu", "tanh", "gelu"]:
        m.append((op + " inserted before the saver", sub_once(t,
            "    %saved = block.saver %out", "    %out2 = block." + op +
            " %out : !block.tile<2x24xf16, post>\n    %saved = block.saver %out2")))
    m.append(("mul_scalar 2 before the saver", sub_once(t,
        "    %saved = block.saver %out", "    %out2 = block.mul_scalar %out, 2.0"
        " : !block.tile<2x24xf16, post>\n    %saved = block.saver %out2")))
    m.append(("W imap x -> 1 but blocks write in reverse omap (omap y)",
        t.replace("grid [4, 1, 1]", "grid [1, 4, 1]").replace(
            "imap [1, -1, -1] fmap 0", "imap [-1, 1, -1] fmap 0")
         .replace("omap [1, -1, -1]", "omap [-1, 1, -1]").replace(
            "imap [-1, 1, -1] fmap 0", "imap [1, -1, -1] fmap 0")))
    m.append(("matmul operands of X and W swapped for W^T: X loaded twice",
        sub_once(t, "accum rms %xt", "accum rms %xt")))
    m.pop()
    m.append(("div operands swapped", sub_once(t, "block.div %acc, %rms\n        : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>",
        "block.div %rms, %acc\n        : !block.tile<2x1xf16, post>, !block.tile<2x24xf16, post>")))
    m.append(("sub with swapped operands", sub_once(t, "block.div %acc, %rms\n        : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>",
        "block.sub %rms, %acc\n        : !block.tile<2x1xf16, post>, !block.tile<2x24xf16, post>")))
    # Consistent re-tilings are equivalent programs, not mutants.
    return [x for x in m if not x[0].startswith(("grid x 4", "forloop 4", "W imap"))]


def mqa_mutants(f):
    t = f
    m = []
    m.append(("K fmap 2 -> -1 with forloop tiles shrunk elsewhere",
        t.replace("imap [-1, 2, -1] fmap 2\n        : tensor<1x16x256xf16> -> !block.tile<1x16x32xf16, pre>",
                  "imap [-1, 2, -1] fmap 1\n        : tensor<1x16x256xf16> -> !block.tile<1x4x128xf16, pre>")))
    m.pop()
    m.append(("Q imap z -> 1 becomes y -> 1 (wrong queries per block)", t.replace(
        "imap [-1, -1, 1] fmap -1", "imap [-1, 1, -1] fmap -1").replace(
        "tensor<1x64x16xf16> -> !block.tile<1x16x16xf16, pre>",
        "tensor<1x64x16xf16> -> !block.tile<1x32x16xf16, pre>")))
    m.pop()
    m.append(("V fmap 1 -> -1 in a forloop of 4: same V chunk every iteration",
        None))
    m.pop()
    m.append(("K chunks walked with the wrong split: K imap y->2 becomes replicated and fmap over all",
        None))
    m.pop()
    m.append(("accum sum -> none on row sums (shape kept by a reduction)", None))
    m.pop()
    m.append(("accum sum -> mean", sub_once(t, "accum sum %e", "accum mean %e")))
    m.append(("accum sum -> rms", sub_once(t, "accum sum %e", "accum rms %e")))
    m.append(("accum none -> max (numerators)", sub_once(t, "accum none %ev", "accum max %ev")))
    m.append(("accum none -> rescale by itself", sub_once(t,
        "accum none %ev\n        : !block.tile<1x16x16xf16, pre>",
        "accum rescale %ev, %ev\n        : !block.tile<1x16x16xf16, pre>, !block.tile<1x16x16xf16, pre>")))
    m.append(("kernel 2 accum sum -> mean", sub_once(t, "accum sum %st", "accum mean %st")))
    m.append(("kernel 2 sum_to_dimx -> none with dimx 32", t.replace("forloop 1 dimx 16", "forloop 1 dimx 32").replace(
        "!block.tile<1x16x16xf16, post>", "!block.tile<1x16x32xf16, post>").replace(
        "-> tensor<1x64x16xf16>", "-> tensor<1x64x32xf16>")))
    m.pop()
    m.append(("exp dropped", sub_once(sub_once(t, "%e = block.exp %s : !block.tile<1x16x32xf16, pre>\n", ""), "accum sum %e", "accum sum %s").replace("block.matmul %e,", "block.matmul %s,")))
    m.append(("exp -> square", sub_once(t, "block.exp %s", "block.square %s")))
    m.append(("exp -> silu", sub_once(t, "block.exp %s", "block.silu %s")))
    m.append(("row sum of S instead of E", sub_once(t, "accum sum %e", "accum sum %s")))
    m.append(("E V uses S instead of E", sub_once(t, "block.matmul %e, %vt", "block.matmul %s, %vt")))
    m.append(("kernel 2 div -> mul", sub_once(t, "block.div %combined", "block.mul %combined")))
    m.append(("kernel 2 div -> sub", sub_once(t, "block.div %combined", "block.sub %combined")))
    m.append(("kernel 2 dropped div", sub_once(t, "block.saver %ot", "block.saver %combined")))
    m.append(("outputs of kernel 1 swapped in kernel 2's loaders", None))
    m.pop()
    m.append(("kernel 2 omap/imap y -> mismatch: sums saved with omap z<->y", t.replace(
        "omap [-1, 2, 1]\n        : !block.tile<1x16x1xf16, post>",
        "omap [-1, 2, 1]\n        : !block.tile<1x16x1xf16, post>")))
    m.pop()
    m.append(("grid y 2 -> 1 (one KV split, fmap over 256)", t.replace(
        "grid [1, 2, 4] block [128, 1, 1] forloop 4",
        "grid [1, 1, 4] block [128, 1, 1] forloop 4").replace(
        "!block.tile<1x16x32xf16", "!block.tile<1x16x64xf16").replace(
        "!block.tile<1x32x16xf16", "!block.tile<1x64x16xf16").replace(
        "tensor<1x64x2xf16>", "tensor<1x64x1xf16>").replace(
        "!block.tile<1x16x2xf16", "!block.tile<1x16x1xf16").replace(
        "tensor<1x64x32xf16>", "tensor<1x64x16xf16>").replace(
        "%nt = block.loader %nd imap [-1, 1, -1] fmap -1\n        : tensor<1x64x16xf16> -> !block.tile<1x16x64xf16, pre>",
        "%nt = block.loader %nd imap [-1, 1, -1] fmap -1\n        : tensor<1x64x16xf16> -> !block.tile<1x16x16xf16, pre>").replace(
        "accum sum_to_dimx %nt\n        : !block.tile<1x16x64xf16, pre>",
        "accum sum_to_dimx %nt\n        : !block.tile<1x16x16xf16, pre>")))
    m.pop()
    m.append(("forloop 4 -> 2", t.replace(
        "grid [1, 2, 4] block [128, 1, 1] forloop 4",
        "grid [1, 2, 4] block [128, 1, 1] forloop 2").replace(
        "!block.tile<1x16x32xf16, pre>", "!block.tile<1x16x64xf16, pre>", 3).replace(
        "!block.tile<1x32x16xf16, pre>", "!block.tile<1x64x16xf16, pre>")))
    m.append(("matmul operands swapped (E V -> needs square tiles): Q K with K loaded as Q", None))
    m.pop()
    m.append(("K loader split y -> 2 becomes z -> 2 with Q on y", t.replace(
        "grid [1, 2, 4]", "grid [1, 4, 2]").replace(
        "imap [-1, -1, 1] fmap -1", "imap [-1, 1, -1] fmap -1").replace(
        "imap [-1, 2, -1] fmap 2", "imap [-1, -1, 2] fmap 2").replace(
        "imap [-1, 1, -1] fmap 1", "imap [-1, -1, 1] fmap 1").replace(
        "omap [-1, 2, 1]", "omap [-1, 1, 2]")))
    m.append(("kernel 2 div operands swapped", sub_once(t, "block.div %combined, %total\n        : !block.tile<1x16x16xf16, post>, !block.tile<1x16x1xf16, post>",
        "block.div %total, %combined\n        : !block.tile<1x16x1xf16, post>, !block.tile<1x16x16xf16, post>")))
    for op in ["square", "sqrt", "relu", "rsqrt"]:
        m.append((op + " inserted before kernel 2's saver", sub_once(t,
            "    %out = block.saver %ot", "    %ot2 = block." + op +
            " %ot : !block.tile<1x16x16xf16, post>\n    %out = block.saver %ot2")))
    m.append(("sum_to_dimx -> sum on the numerators", sub_once(t,
        "accum sum_to_dimx %nt\n        : !block.tile<1x16x32xf16, pre> -> !block.tile<1x16x16xf16, post>",
        "accum max %nt\n        : !block.tile<1x16x32xf16, pre> -> !block.tile<1x16x32xf16, post>").replace(
        "%nt2 = ", "%nt2 = ")))
    m.pop()
    m.append(("mul_scalar 0.5 on the row sums", sub_once(t,
        "    %ot = block.div %combined, %total", "    %half = block.mul_scalar %total, 0.5"
        " : !block.tile<1x16x1xf16, post>\n    %ot = block.div %combined, %half")))
    return [x for x in m if not x[0].startswith(("forloop 4", "K loader split"))]


def main():
    fns = functions(sys.argv[1])
    out = []
    for ref, name, make in [("rmsnorm_matmul_ref", "rmsnorm_matmul", rms_mutants),
                            ("mqa_ref", "mqa", mqa_mutants)]:
        for what, text in make(fns[name]):
            if text is None or text == fns[name]:
                continue
            out.append("// Mutant: %s of @%s\n%s%s" % (
                what, name, rename(fns[ref], ref, "ref"), rename(text, name, "mut")))
    print("\n// -----\n".join(out))
    sys.stderr.write("%d mutants\n" % len(out))


main()
