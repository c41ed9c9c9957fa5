#!/usr/bin/env python3
"""The GPU benchmark: our kernels against PyTorch, on every example.

For every case (each example at batch sizes 1 and 8; cases.py) it times
  * mirage:  our bundle, through mirage_runtime (runtime/python),
  * eager:   PyTorch eager, references.py (written from the .mlir),
  * compile: torch.compile of the same function,
  * sdpa:    scaled_dot_product_attention (attention examples only),
all the same way: CUDA graphs for all (or, with --no-graphs, for none),
each replay bracketed by its own pair of CUDA events, median / min / p90 of
--iters (at least 100) runs after --warmup runs. It checks each output
against an fp32 evaluation of the reference at fp16 tolerances, reports
the HBM floor of each case (compulsory bytes / bandwidth) and writes
bench/results/gpu-<device>-<date>.json and the table in
bench/results/README.md.

  bench/gpu/run.py --bundles DIR [--only gqa,mqa] [--batch-sizes 1,8]
      [--no-graphs] [--warmup 20] [--iters 200] [--seed 0]
      [--budget-s S] [--compile-budget-s S] [--compile-timeout-s S]
      [--skip-mirage gqa-bs1,...]

With --budget-s it starts a case only when the slowest case so far (20 s
before the first) still fits, records the others as skipped, and always
writes the results; torch.compile warm-ups (the slow part) share
--compile-budget-s (default: half the budget) and each is stopped after
--compile-timeout-s (budget.py: compile_limit). device-check.sh runs it so.

Bundles come from bench/gpu/make_bundles.py (run it on the CPU machine).
mirage_runtime is found on PYTHONPATH, else in build/runtime/python or
build-runtime/python.
"""

import argparse
import datetime
import json
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import budget  # noqa: E402
import cases as C  # noqa: E402
import report  # noqa: E402

# fp16 tolerances, the f16 defaults of the project's one comparison
# (include/Mirage/Portable/Compare.h, docs/Runtime.md "Comparing outputs"):
# |got - ref| <= RTOL |ref| + ATOL_SCALE max|ref|; a non-finite output
# fails, a non-finite reference makes the case unusable (never passed). fp16
# keeps 11 significant bits (ulp 2^-10 relative); results of long f32
# reductions rounded to fp16 are within a few ulps. Scaling the absolute
# part by the output's magnitude keeps the check meaningful for outputs far
# from 1 (attention outputs are ~1e-2, gated MLP outputs ~1e2).
RTOL = 1e-2
ATOL_SCALE = 1e-2


def import_runtime():
    try:
        import mirage_runtime
        return mirage_runtime
    except ImportError:
        pass
    for candidate in ("build/runtime/python", "build-runtime/python"):
        path = os.path.join(C.ROOT, candidate)
        if os.path.isdir(os.path.join(path, "mirage_runtime")):
            sys.path.insert(0, path)
            import mirage_runtime
            return mirage_runtime
    return None


def time_callable(torch, fn, warmup, iters, graphs):
    """Milliseconds of each of `iters` runs of fn (or of its graph)."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    run = fn
    if graphs:
        # Warm up on a side stream before capturing, as PyTorch advises.
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(3):
                fn()
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            fn()
        run = graph.replay
        for _ in range(3):
            run()
        torch.cuda.synchronize()
    starts = [torch.cuda.Event(enable_timing=True) for _ in range(iters)]
    ends = [torch.cuda.Event(enable_timing=True) for _ in range(iters)]
    for i in range(iters):
        starts[i].record()
        run()
        ends[i].record()
    torch.cuda.synchronize()
    return [s.elapsed_time(e) for s, e in zip(starts, ends)]


def numerics(torch, got, ref):
    """Errors of `got` against the fp32 reference `ref`."""
    got, ref = got.float(), ref.float()
    finite = torch.isfinite(ref)
    unusable = int((~finite).sum().item())
    ref = torch.where(finite, ref, torch.zeros_like(ref))
    scale = ref.abs().max().item()
    err = (got - ref).abs()
    bad = err > RTOL * ref.abs() + ATOL_SCALE * scale
    bad |= ~torch.isfinite(got)
    bad &= finite
    return {"max_abs_error": err[finite].max().item() if unusable < ref.numel()
            else 0.0, "max_abs_reference": scale,
            "mismatches": int(bad.sum().item()), "elements": got.numel(),
            "reference_not_finite": unusable,
            "passed": unusable == 0 and not bool(bad.any().item())}


def measure_bandwidth(torch, device):
    """Device-to-device copy bandwidth in GB/s (bytes read + written)."""
    n = 256 * 1024 * 1024  # 512 MiB of fp16
    src = torch.empty(n, dtype=torch.float16, device=device)
    dst = torch.empty_like(src)
    samples = time_callable(torch, lambda: dst.copy_(src), 5, 20, False)
    median = sorted(samples)[len(samples) // 2]
    return 2 * n * 2 / (median * 1e-3) / 1e9


class CompileTimeout(Exception):
    pass


class Budget:
    """The time left to run.py (None: no limit) and to its compile
    warm-ups."""

    def __init__(self, seconds, compile_seconds, compile_timeout,
                 clock=None):
        self.clock = clock or time.monotonic
        self.end = None if seconds is None else self.clock() + seconds
        self.compile_left = compile_seconds
        self.compile_timeout = compile_timeout
        # The slowest case so far without its compile warm-up (which
        # compile_limit fits in separately); a guess before the first.
        self.slowest_case = None
        self.compile_spent = 0.0

    def estimate(self):
        return 20.0 if self.slowest_case is None else self.slowest_case

    def case_ran(self, seconds, compile_seconds):
        rest = seconds - compile_seconds
        self.slowest_case = max(self.slowest_case or 0.0, rest)

    def left(self):
        return float("inf") if self.end is None else self.end - self.clock()


def with_alarm(seconds, fn):
    """fn(), interrupted by CompileTimeout after `seconds` (main thread)."""
    def expire(signum, frame):
        raise CompileTimeout(f"torch.compile warm-up over {seconds:.0f} s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def first_call(torch, name, fn, time_left):
    """The first (checked) call of an implementation; torch.compile's is
    its warm-up, capped by the budget. Returns (output, None) or
    (None, skipped entry)."""
    if name != "compile" or time_left is None:
        return fn(), None
    # The rest of the case: timing four implementations, ~2 s each.
    limit = budget.compile_limit(time_left.left(), time_left.compile_left,
                                 time_left.compile_timeout, 8.0)
    if limit == 0:
        return None, {"skipped": "torch.compile budget spent"}
    start = time.monotonic()
    try:
        out = with_alarm(limit, fn)
        torch.cuda.synchronize()
        return out, None
    finally:
        spent = time.monotonic() - start
        time_left.compile_left -= spent
        time_left.compile_spent += spent


def run_case(torch, runtime, references, case, args, device,
             time_left=None):
    ex = case.example
    gen = torch.Generator(device=device).manual_seed(args.seed)
    inputs = [((torch.rand(s, generator=gen, device=device) * 2 - 1) *
               ex.scale).half() for s in case.input_shapes]
    ref_fn = references.REFERENCES[ex.name]
    ref32 = ref_fn(*[x.float() for x in inputs])
    result = {"example": ex.name, "batch": case.label,
              "bundle": case.bundle_name,
              "inputs": [list(s) for s in case.input_shapes],
              "outputs": [list(s) for s in case.output_shapes],
              "input_scale": ex.scale, "bytes_moved": case.bytes_moved,
              "hbm_floor_us": C.hbm_floor_us(case, args.bandwidth),
              "impls": {}}
    if args.peak_bandwidth:
        result["hbm_floor_peak_us"] = C.hbm_floor_us(case,
                                                     args.peak_bandwidth)

    impls = {}
    bundle_dir = os.path.join(args.bundles, case.bundle_name)
    if case.bundle_name in args.skip_mirage.split(","):
        result["impls"]["mirage"] = {"skipped": "--skip-mirage (hung or "
                                     "failed earlier)"}
    elif runtime is None:
        result["impls"]["mirage"] = {"error": "mirage_runtime not found"}
    elif not os.path.isdir(bundle_dir):
        result["impls"]["mirage"] = {"error": f"no bundle {bundle_dir}"}
    else:
        try:
            bundle = runtime.Bundle(bundle_dir)
            outs = tuple(torch.empty(s, dtype=torch.float16, device=device)
                         for s in case.output_shapes)
            impls["mirage"] = lambda: bundle(*inputs, out=outs)[0]
        except Exception as e:  # report and go on with the baselines
            result["impls"]["mirage"] = {"error": str(e)}
    impls["eager"] = lambda: ref_fn(*inputs)
    try:
        compiled = torch.compile(ref_fn)
        impls["compile"] = lambda: compiled(*inputs)
    except Exception as e:
        result["impls"]["compile"] = {"error": str(e)}
    if ex.attention:
        sdpa_in = references.sdpa_inputs(ex.name, *inputs)
        sdpa_fn = references.sdpa(ex.name)
        impls["sdpa"] = lambda: sdpa_fn(*sdpa_in)

    for name, fn in impls.items():
        try:
            out, skipped = first_call(torch, name, fn, time_left)
            if skipped:
                result["impls"][name] = skipped
                continue
            torch.cuda.synchronize()
            entry = {"numerics": numerics(torch, out, ref32)}
            samples = time_callable(torch, fn, args.warmup, args.iters,
                                    not args.no_graphs)
            entry.update(C.percentile_stats(samples))
            entry["vs_hbm_floor"] = entry["median_us"] / result["hbm_floor_us"]
        except Exception as e:  # CompileTimeout included
            entry = {"error": f"{type(e).__name__}: {e}"}
        result["impls"][name] = entry
        torch.cuda.synchronize()
    return result


def write_results(torch, args, argv, device, name, start, results, planned):
    date = datetime.date.today().isoformat()
    major, minor = torch.cuda.get_device_capability(device)
    doc = {
        "date": date,
        "device": name,
        "compute_capability": f"sm_{major}{minor}",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "command": " ".join(["bench/gpu/run.py"] + (argv or sys.argv[1:])),
        "budget_s": args.budget_s,
        "elapsed_s": time.monotonic() - start,
        "complete": len(results) == planned,
        "timing": {"graphs": not args.no_graphs, "warmup": args.warmup,
                   "iters": args.iters, "statistic": "median"},
        "tolerance": {"rtol": RTOL, "atol_times_max_abs_reference":
                      ATOL_SCALE},
        "bandwidth_gbs": {"measured_copy": args.bandwidth,
                          "peak": args.peak_bandwidth},
        "cases": results,
    }
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    os.makedirs(args.results_dir, exist_ok=True)
    path = os.path.join(args.results_dir, f"gpu-{slug}-{date}.json")
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)
    return path


def skipped_case(case, reason):
    return {"example": case.example.name, "batch": case.label,
            "bundle": case.bundle_name, "skipped": reason,
            "hbm_floor_us": None, "impls": {}}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundles", required=True,
                        help="directory of <example>-bs<N>/ bundles")
    parser.add_argument("--only", help="comma-separated example names")
    parser.add_argument("--batch-sizes", default="1,8")
    parser.add_argument("--no-graphs", action="store_true",
                        help="time plain launches instead of CUDA graphs")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--iters", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", type=int, default=0)
    parser.add_argument("--results-dir",
                        default=os.path.join(C.ROOT, "bench", "results"))
    parser.add_argument("--budget-s", type=float,
                        help="start no case that would end later than this")
    parser.add_argument("--compile-budget-s", type=float,
                        help="seconds for all torch.compile warm-ups "
                        "(default: half of --budget-s)")
    parser.add_argument("--compile-timeout-s", type=float, default=45.0,
                        help="seconds for one torch.compile warm-up")
    parser.add_argument("--skip-mirage", default="",
                        help="comma-separated bundles not to run (e.g. "
                        "ones that hung in device-check's bundles step); "
                        "their baselines still run")
    args = parser.parse_args(argv)
    if args.iters < 100:
        parser.error("--iters must be at least 100")
    for name in ("budget_s", "compile_budget_s", "compile_timeout_s"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            parser.error(f"--{name[:-2].replace('_', '-')}-s must be "
                         "positive")
    start = time.monotonic()
    try:
        todo = C.cases(args.only.split(",") if args.only else None,
                       [int(b) for b in args.batch_sizes.split(",")])
    except ValueError as e:
        parser.error(str(e))

    try:
        import torch
    except ImportError:
        sys.exit("run.py needs PyTorch with CUDA (pip install torch)")
    if not torch.cuda.is_available():
        sys.exit("run.py needs a CUDA GPU: torch.cuda.is_available() is "
                 "False")
    import references
    runtime = import_runtime()
    if runtime is None:
        print("warning: mirage_runtime not found (build runtime/ and put "
              "its python/ on PYTHONPATH); timing the baselines only",
              file=sys.stderr)

    device = torch.device("cuda", args.device)
    torch.cuda.set_device(device)
    name = torch.cuda.get_device_name(device)
    args.bandwidth = measure_bandwidth(torch, device)
    args.peak_bandwidth = C.peak_bandwidth_gbs(name)
    print(f"{name}: copy bandwidth {args.bandwidth:.0f} GB/s"
          + (f", peak {args.peak_bandwidth:.0f} GB/s"
             if args.peak_bandwidth else ""), flush=True)

    time_left = None
    if args.budget_s is not None:
        time_left = Budget(args.budget_s - (time.monotonic() - start),
                           args.compile_budget_s or args.budget_s / 2,
                           args.compile_timeout_s)
    results = []
    for case in todo:
        if time_left and not budget.should_start(time_left.left(),
                                                 time_left.estimate()):
            r = skipped_case(case, "time budget")
        else:
            case_start = time.monotonic()
            compile_before = time_left.compile_spent if time_left else 0.0
            r = run_case(torch, runtime, references, case, args, device,
                         time_left)
            if time_left:
                time_left.case_ran(time.monotonic() - case_start,
                                   time_left.compile_spent - compile_before)
        print(report.case_line(r), flush=True)
        results.append(r)

        # Written after every case, so that a case that hangs (a kernel
        # that never returns, killed by device-check's timeout) keeps the
        # cases before it.
        path = write_results(torch, args, argv, device, name, start,
                             results, len(todo))
    readme = os.path.join(args.results_dir, "README.md")
    with open(path) as f:
        report.update_readme(readme, json.load(f), os.path.basename(path))
    print(f"wrote {path} and the table in {readme}")
    # Non-zero when any case has no passing result of our kernels.
    failed = [r["bundle"] for r in results
              if not r["impls"].get("mirage", {}).get("numerics", {})
              .get("passed")]
    if failed:
        print(f"no passing mirage result: {', '.join(failed)}",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
