#!/usr/bin/env python3
"""The PTX emulator's speed: lowers an example to a bundle (sm_90), runs it
with build/bin/mirage-ptx-emu against the interpreter's outputs for the same
seed, and records the emulated thread instructions, the seconds (wall clock
and CPU time of the emulation alone, the best of --repeat runs) and the
instructions per CPU second. Writes bench/results/emu.json with the date,
the machine and the commit. The default case is RMSNorm+MatMul at its real
shape (2x4096 @ 4096x6144); --all adds every example and hand-written
μGraph at its real shape.

  bench/emu/run_emu_bench.py [--all] [--repeat N] [--output PATH]
      [--build DIR]
"""
import argparse
import datetime
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from machine import cpu_model  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATS = re.compile(r"emulated (\d+) thread instructions in ([0-9.]+) s, "
                   r"([0-9.]+) s of CPU")
SEED = 1
TARGET_SECONDS = 60.0


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)


def bench_case(build, path, repeat, work):
    name = os.path.splitext(os.path.basename(path))[0]
    tag = os.path.relpath(path, os.path.join(ROOT, "examples"))[:-len(".mlir")]
    out = os.path.join(work, tag.replace("/", "-"))
    opt = os.path.join(build, "bin", "mirage-opt")
    emu = os.path.join(build, "bin", "mirage-ptx-emu")
    r = run([opt, "--mirage-to-ptx=chip=sm_90 output=%s" % out, path, "-o",
             os.devnull])
    if r.returncode:
        sys.exit("lowering %s failed:\n%s" % (tag, r.stdout))
    ref = os.path.join(out, "ref")
    r = run([opt, "--mirage-interpret=entry=%s seed=%d output-dir=%s" %
             (name, SEED, ref), path, "-o", os.devnull])
    if r.returncode:
        sys.exit("interpreting %s failed:\n%s" % (tag, r.stdout))
    manifest = os.path.join(out, name + ".json")
    with open(manifest) as f:
        kernels = json.load(f)["kernels"]
    best = None
    for _ in range(repeat):
        r = run([emu, manifest, "--seed", str(SEED), "--expected", ref,
                 "--print-stats"])
        m = STATS.search(r.stdout)
        if not m:
            sys.exit("mirage-ptx-emu on %s printed no statistics:\n%s" %
                     (tag, r.stdout))
        result = {
            "instructions": int(m.group(1)),
            "wall_seconds": float(m.group(2)),
            "cpu_seconds": float(m.group(3)),
            "pass": r.returncode == 0 and "\nPASS" in r.stdout,
        }
        if best is None or result["cpu_seconds"] < best["cpu_seconds"]:
            best = result
    best["instructions_per_cpu_second"] = round(
        best["instructions"] / max(best["cpu_seconds"], 1e-9))
    best["case"] = tag
    best["kernels"] = [{"name": k["name"], "grid": k["grid"],
                        "block": k["block"]} for k in kernels]
    print("%-28s %12d instr  %7.2f s CPU  %7.2f s wall  %6.1f M/s  %s" %
          (tag, best["instructions"], best["cpu_seconds"],
           best["wall_seconds"], best["instructions_per_cpu_second"] / 1e6,
           "PASS" if best["pass"] else "FAIL"))
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--output",
                        default=os.path.join(ROOT, "bench", "results",
                                             "emu.json"))
    args = parser.parse_args()
    paths = [os.path.join(ROOT, "examples", "rmsnorm_matmul.mlir")]
    if args.all:
        paths = sorted(glob.glob(os.path.join(ROOT, "examples", "*.mlir")))
        paths += sorted(glob.glob(os.path.join(ROOT, "examples", "ugraphs",
                                               "*.mlir")))
    with tempfile.TemporaryDirectory() as work:
        cases = [bench_case(args.build, p, args.repeat, work) for p in paths]
    commit = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout
    main_case = next(c for c in cases if c["case"] == "rmsnorm_matmul")
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "machine": cpu_model(),
        "commit": commit.strip(),
        "single_thread": True,
        "seed": SEED,
        "target": "rmsnorm_matmul (2x4096 @ 4096x6144) in under %g s on one "
                  "core" % TARGET_SECONDS,
        "target_met": main_case["cpu_seconds"] < TARGET_SECONDS
        and main_case["pass"],
        "cases": cases,
    }
    with open(args.output, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print("wrote %s" % args.output)
    return 0 if all(c["pass"] for c in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
