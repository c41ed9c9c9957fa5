#!/usr/bin/env python3
"""Compiles every example to PTX with --mirage-to-ptx and records what
`ptxas -v` says about each kernel, per chip: registers per thread, spills,
stack frame, barriers and static shared memory, next to the dynamic shared
memory and launch shape of the manifest. Writes bench/results/ptxas.json with
the date and the machine. No GPU is needed.

  bench/ptxas/run_ptxas.py [--chips sm_80,sm_90] [--only NAME]
      [--output PATH] [--mirage-opt PATH] [--ptxas PATH]
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

ENTRY = re.compile(r"Compiling entry function '(\w+)' for '(\w+)'")
FRAME = re.compile(r"(\d+) bytes stack frame, (\d+) bytes spill stores, "
                   r"(\d+) bytes spill loads")
USED = re.compile(r"Used (\d+) registers")
BARRIERS = re.compile(r"used (\d+) barriers")
SMEM = re.compile(r"(\d+) bytes smem")


def examples(only):
    paths = sorted(glob.glob(os.path.join(ROOT, "examples", "*.mlir")))
    paths += sorted(glob.glob(os.path.join(ROOT, "examples", "ugraphs", "*.mlir")))
    for path in paths:
        name = os.path.relpath(path, os.path.join(ROOT, "examples"))
        name = name[:-len(".mlir")]
        if not only or name in only:
            yield name, path


def parse_ptxas(text):
    """Per kernel: the figures of one `ptxas -v` run."""
    kernels = {}
    current = None
    for line in text.splitlines():
        if m := ENTRY.search(line):
            current = kernels.setdefault(m.group(1), {})
        elif current is not None and (m := FRAME.search(line)):
            current.update(stack_frame_bytes=int(m.group(1)),
                           spill_store_bytes=int(m.group(2)),
                           spill_load_bytes=int(m.group(3)))
        elif current is not None and (m := USED.search(line)):
            current["registers"] = int(m.group(1))
            b = BARRIERS.search(line)
            current["barriers"] = int(b.group(1)) if b else 0
            s = SMEM.search(line)
            current["static_shared_memory_bytes"] = int(s.group(1)) if s else 0
    return kernels


def run(command):
    return subprocess.run(command, capture_output=True, text=True)


def compile_example(args, name, path, chip, tmp):
    out = os.path.join(tmp, chip, name.replace("/", "-"))
    lowered = run([args.mirage_opt, path,
                   f"--mirage-to-ptx=chip={chip} output={out}", "-o", os.devnull])
    if lowered.returncode != 0:
        return {"error": lowered.stderr.strip().splitlines()[:3]}
    function = os.path.basename(path)[:-len(".mlir")]
    manifest = json.load(open(os.path.join(out, function + ".json")))
    ptx = os.path.join(out, manifest["ptx"])
    assembled = run([args.ptxas, "-v", f"-arch={chip}", ptx, "-o", os.devnull])
    if assembled.returncode != 0:
        return {"error": assembled.stderr.strip().splitlines()[:3]}
    figures = parse_ptxas(assembled.stdout + assembled.stderr)
    kernels = []
    for kernel in manifest["kernels"]:
        entry = {"name": kernel["name"], "grid": kernel["grid"],
                 "block": kernel["block"],
                 "dynamic_shared_memory_bytes":
                     kernel["dynamic_shared_memory_bytes"]}
        entry.update(figures.get(kernel["name"], {}))
        kernels.append(entry)
    with open(ptx) as f:
        text = f.read()
    return {"ptx_bytes": len(text.encode()),
            "mma_sync": text.count("mma.sync"),
            "cp_async": len(re.findall(r"cp\.async\.c[ag]\.", text)),
            "kernels": kernels}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chips", default="sm_80,sm_90")
    parser.add_argument("--only", help="comma-separated example names "
                        "(e.g. gqa,ugraphs/rmsnorm_matmul)")
    parser.add_argument("--output",
                        default=os.path.join(ROOT, "bench", "results",
                                             "ptxas.json"))
    parser.add_argument("--mirage-opt",
                        default=os.path.join(ROOT, "build", "bin", "mirage-opt"))
    parser.add_argument("--ptxas", default="/usr/local/cuda/bin/ptxas")
    args = parser.parse_args()
    for tool in (args.mirage_opt, args.ptxas):
        if not os.access(tool, os.X_OK):
            parser.error(f"{tool} is not an executable")
    only = set(args.only.split(",")) if args.only else None
    chips = args.chips.split(",")

    version = [line for line in run([args.ptxas, "--version"]).stdout.splitlines()
               if "release" in line]
    commit = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    results = []
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in examples(only):
            for chip in chips:
                entry = {"example": name, "chip": chip}
                entry.update(compile_example(args, name, path, chip, tmp))
                failed |= "error" in entry
                print(json.dumps({k: entry[k] for k in entry
                                  if k != "kernels"}), flush=True)
                results.append(entry)

    report = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                    "ptxas": version[0] if version else "unknown"},
        "commit": commit.stdout.strip() if commit.returncode == 0 else None,
        "command": "bench/ptxas/run_ptxas.py --chips " + ",".join(chips),
        "results": results,
    }
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
