#!/usr/bin/env python3
"""Makes the bundles of the GPU benchmark, on the CPU machine.

For every case of cases.py (each example at batch sizes 1 and 8; examples
with fixed shapes once) it writes OUT/mlir/<example>-bs<N>.mlir, the
example at that batch size, then compiles it

  mirage-opt FILE [--mirage-superoptimize='preset=P time-budget=T']
             --mirage-to-ptx='chip=C output=OUT/<example>-bs<N>'

and checks the bundle with `mirage-run --validate` (no GPU needed). With
--references it also runs the reference interpreter on the same program
(`--mirage-interpret` with seed 0, the runtime's seeded inputs) and stores
its outputs in OUT/<example>-bs<N>/expected/output<I>.npy, against which
the GPU check runs the bundle (mirage-run --seed 0 --expected). Copy OUT to
the GPU machine (`make gpu-bundles`, then carry bench/gpu/bundles; README.md,
"GPU check") and give it to bench/gpu/device-check.sh or run.py --bundles.

  bench/gpu/make_bundles.py --out bench/gpu/bundles [--chip sm_90]
      [--no-search] [--time-budget 60] [--only gqa,mqa] [--batch-sizes 1,8]
      [--references]
"""

import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as C  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="bundle directory")
    parser.add_argument("--chip", default="sm_90")
    parser.add_argument("--no-search", action="store_true",
                        help="compile the default schedules, no search")
    parser.add_argument("--time-budget", type=float, default=60.0,
                        help="search time per case, seconds")
    parser.add_argument("--only", help="comma-separated example names")
    parser.add_argument("--batch-sizes", default="1,8")
    parser.add_argument("--references", action="store_true",
                        help="store the interpreter's outputs (seed 0) in "
                        "each bundle's expected/")
    parser.add_argument("--mirage-opt",
                        default=os.path.join(C.ROOT, "build", "bin",
                                             "mirage-opt"))
    parser.add_argument("--mirage-run",
                        default=os.path.join(C.ROOT, "build", "bin",
                                             "mirage-run"))
    args = parser.parse_args(argv)

    names = args.only.split(",") if args.only else None
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    try:
        todo = C.cases(names, batch_sizes)
    except ValueError as e:
        parser.error(str(e))
    for tool in (args.mirage_opt,):
        if not os.access(tool, os.X_OK):
            parser.error(f"{tool} is not an executable (build it, or pass "
                         "--mirage-opt)")
    os.makedirs(os.path.join(args.out, "mlir"), exist_ok=True)

    failed = []
    for case in todo:
        source = os.path.join(C.EXAMPLES_DIR, case.example.name + ".mlir")
        with open(source) as f:
            text = C.batched_mlir(f.read(), case.example, case.batch or 1)
        mlir = os.path.join(args.out, "mlir", case.bundle_name + ".mlir")
        with open(mlir, "w") as f:
            f.write(text)
        bundle = os.path.join(args.out, case.bundle_name)
        command = [args.mirage_opt, mlir, "-o", os.devnull]
        if not args.no_search:
            command.append("--mirage-superoptimize="
                           f"preset={case.example.preset} "
                           f"time-budget={args.time_budget}")
        command.append(f"--mirage-to-ptx=chip={args.chip} output={bundle}")
        print(f"== {case.bundle_name}: {' '.join(command)}", flush=True)
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            print(run.stderr.strip(), file=sys.stderr)
            failed.append(case.bundle_name)
            continue
        if args.references:
            # The interpreter runs the program as written (before the
            # search): the reference the bundle must match.
            expected = os.path.join(bundle, "expected")
            interpret = [args.mirage_opt, mlir, "-o", os.devnull,
                         "--mirage-interpret=entry="
                         f"{case.example.name} seed=0 output-dir={expected}"]
            run = subprocess.run(interpret, capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stderr.strip(), file=sys.stderr)
                failed.append(case.bundle_name)
                continue
            print(f"{case.bundle_name}: interpreter outputs in {expected}")
        if os.access(args.mirage_run, os.X_OK):
            check = subprocess.run([args.mirage_run, bundle, "--validate"],
                                   capture_output=True, text=True)
            print((check.stdout + check.stderr).strip())
            if check.returncode != 0:
                failed.append(case.bundle_name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"{len(todo)} bundles in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
