#!/usr/bin/env python3
"""Runs --mirage-superoptimize on every benchmark program at its real shape
with Mirage's limits (5 kernel ops, 11 block ops) and writes
bench/results/search.json: wall time, states visited, pruned by each check,
candidates verified, predicted cost before and after, and whether the time
budget ran out, with the machine and the date.

  bench/search/run_search_bench.py [--budget SECONDS] [--threads N]
      [--only NAME] [--output PATH]
"""
import argparse
import datetime
import json
import os
import sys
import subprocess
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from machine import cpu_model  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The preset each benchmark is searched with (docs/Benchmarks.md).
PRESETS = {
    "rmsnorm_matmul": "mlp",
    "gated_mlp": "mlp",
    "lora": "lora",
    "gqa": "attention",
    "qknorm_gqa": "attention",
    "mha": "attention",
    "mqa": "attention",
    "ntrans": "none",
    "moe": "none",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=120.0,
                        help="time budget per example in seconds")
    parser.add_argument("--threads", type=int, default=0,
                        help="search threads (0: every core)")
    parser.add_argument("--only", help="run one example")
    parser.add_argument("--output",
                        default=os.path.join(ROOT, "bench", "results",
                                             "search.json"))
    parser.add_argument("--mirage-opt",
                        default=os.path.join(ROOT, "build", "bin",
                                             "mirage-opt"))
    args = parser.parse_args()

    results = []
    for name, preset in PRESETS.items():
        if args.only and name != args.only:
            continue
        source = os.path.join(ROOT, "examples", name + ".mlir")
        with tempfile.TemporaryDirectory() as tmp:
            stats_path = os.path.join(tmp, "stats.json")
            options = (f"preset={preset} threads={args.threads} "
                       f"time-budget={args.budget} max-kernel-ops=5 "
                       f"max-block-ops=11 cache=false stats-file={stats_path}")
            start = time.monotonic()
            run = subprocess.run(
                [args.mirage_opt, source,
                 f"--mirage-superoptimize={options}", "-o",
                 os.path.join(tmp, "out.mlir")],
                capture_output=True, text=True)
            wall = time.monotonic() - start
            entry = {"example": name, "preset": preset,
                     "wall_seconds": round(wall, 2),
                     "exit_code": run.returncode}
            if os.path.exists(stats_path):
                stats = json.load(open(stats_path))
                best = stats.get("best", [])
                entry.update({
                    "states_visited": stats["states_visited"],
                    "pruned_abstract_expr": stats["pruned_abstract_expr"],
                    "pruned_shape": stats["pruned_shape"],
                    "pruned_shared_memory": stats["pruned_shared_memory"],
                    "pruned_canonical": stats["pruned_canonical"],
                    "pruned_cost": stats["pruned_cost"],
                    "pruned_unclosable": stats["pruned_unclosable"],
                    "pruned_dangling": stats.get("pruned_dangling", 0),
                    "candidates_verified": stats["candidates_verified"],
                    "candidates_found": stats["candidates_found"],
                    "budget_exhausted": stats["budget_exhausted"],
                    "predicted_input_us":
                        round(stats["reference_seconds"] * 1e6, 2),
                    "predicted_best_us":
                        round(best[0]["predicted_seconds"] * 1e6, 2)
                        if best else None,
                    "best_kernels": best[0]["kernels"] if best else None,
                })
            else:
                entry["error"] = run.stderr.strip().splitlines()[-1:] or []
            print(json.dumps(entry), flush=True)
            results.append(entry)

    report = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count()},
        "command": "bench/search/run_search_bench.py --budget %g --threads %d"
                   % (args.budget, args.threads),
        "limits": {"max_kernel_ops": 5, "max_block_ops": 11,
                   "time_budget_seconds": args.budget},
        "targets": {"rmsnorm_matmul_seconds": 10},
        "results": results,
    }
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
