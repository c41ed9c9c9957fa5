#!/usr/bin/env python3
"""Runs the 40 semantic mutants (test/Semantics/Inputs/make_mutants.py) on
the PTX emulator: each module holds the kernel-level reference `ref` and the
mutated μGraph `mut`; both are lowered to PTX, the interpreter computes
`ref`'s outputs, and the emulator runs both bundles against them. Prints one
line per mutant: "mutant I: ref PASS, mut FAIL" when the reference's PTX
passes and the mutant's is caught (by the comparison or a check), else what
happened.

  run_mutants.py MUTANTS.mlir WORK_DIR     (mirage-opt, mirage-ptx-emu on PATH)
"""
import os
import shutil
import subprocess
import sys


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def main():
    mutants, work = sys.argv[1:3]
    opt = shutil.which("mirage-opt")
    emu = shutil.which("mirage-ptx-emu")
    with open(mutants) as f:
        modules = f.read().split("// -----")
    for i, text in enumerate(modules):
        d = os.path.join(work, "m%02d" % i)
        os.makedirs(d, exist_ok=True)
        src = os.path.join(d, "in.mlir")
        with open(src, "w") as f:
            f.write(text)
        r = run([opt, "--mirage-to-ptx=chip=sm_80 output=%s" % d, src, "-o",
                 os.devnull])
        if r.returncode:
            print("mutant %d: cannot lower: %s" % (i, r.stdout.strip()))
            continue
        ref = os.path.join(d, "ref")
        r = run([opt, "--mirage-interpret=entry=ref seed=2 output-dir=%s" % ref,
                 src, "-o", os.devnull])
        if r.returncode:
            print("mutant %d: cannot interpret: %s" % (i, r.stdout.strip()))
            continue
        verdicts = []
        for fn in ("ref", "mut"):
            r = run([emu, os.path.join(d, fn + ".json"), "--seed", "2",
                     "--expected", ref])
            verdict = {0: "PASS", 1: "FAIL"}.get(r.returncode, "ERROR")
            if verdict == "ERROR":
                verdict += " (" + r.stdout.strip().splitlines()[-1] + ")"
            verdicts.append("%s %s" % (fn, verdict))
        print("mutant %d: %s" % (i, ", ".join(verdicts)))


if __name__ == "__main__":
    main()
