#!/usr/bin/env python3
"""Runs --mirage-superoptimize on every program of examples/ at its real
shape, with the default options except the time budget, and writes
bench/results/search.json (docs/Search.md, "Benchmark"):

  * per program: wall time, states visited, candidates verified, peak RSS
    and the issue's bound (500 MB plus the program's inputs at their own
    dtype), the predicted time of the input and of what the search found,
    whether it found a faster μGraph and, if not, why (the remark's
    reasons), and determinism: the output and statistics of a second run
    with the default threads and of a run with threads=1, against the
    first;
  * Mirage's own μGraphs for the program (bench/search/mirage/NAME.mlir,
    imported from Mirage's saved JSON, docs/MirageImport.md): each checked
    against the program by --mirage-check-equivalence and priced by the
    same cost model (mirage-bench-cost), beside ours.

  bench/search/run_search_bench.py [--budget SECONDS] [--only NAME,...]
      [--output PATH] [--bin DIR] [--no-determinism] [--no-mirage]

Results are written after every program, so an interrupted run keeps what
it measured.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from machine import cpu_model  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DTYPE_BYTES = {"f16": 2, "bf16": 2, "f32": 4}
RSS_BOUND_BASE = 500 * 1000 * 1000


def input_bytes(source, function):
    """The bytes of the function's arguments at their own dtype."""
    text = open(source).read()
    match = re.search(r"func\.func @%s\((.*?)\)\s*->" % re.escape(function),
                      text, re.S)
    total = 0
    for dims, dtype in re.findall(r"tensor<([0-9x]+)x(f16|bf16|f32)>",
                                  match.group(1)):
        count = 1
        for d in dims.split("x"):
            count *= int(d)
        total += count * DTYPE_BYTES[dtype]
    return total


def run_measured(command, log):
    """Runs `command`; returns (exit code, wall seconds, peak RSS bytes,
    stdout, stderr). The peak RSS is the child's (wait4)."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(["nice", "-n", "10"] + command, stdout=out,
                                stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    print("  $ %s  [%.1f s, exit %d]" % (" ".join(command), wall,
                                          proc.returncode), file=log,
          flush=True)
    # ru_maxrss is in KiB on Linux.
    return proc.returncode, wall, usage.ru_maxrss * 1024, stdout, stderr


def search(tools, source, budget, threads, tmp, tag, log):
    stats_path = os.path.join(tmp, "stats-%s.json" % tag)
    out_path = os.path.join(tmp, "out-%s.mlir" % tag)
    options = ("time-budget=%g cache=false progress=false stats-file=%s"
               % (budget, stats_path))
    if threads is not None:
        options += " threads=%d" % threads
    code, wall, rss, _, stderr = run_measured(
        [tools["mirage-opt"], source,
         "--mirage-superoptimize=" + options, "-o", out_path], log)
    stats = json.load(open(stats_path)) if os.path.exists(stats_path) else None
    output = open(out_path).read() if os.path.exists(out_path) else None
    remark = [line for line in stderr.splitlines()
              if "mirage-superoptimize:" in line]
    return {"exit_code": code, "wall_seconds": round(wall, 2),
            "peak_rss_bytes": rss, "stats": stats, "output": output,
            "memory_remark": next((line.split("remark: ", 1)[-1]
                                   for line in stderr.splitlines()
                                   if "too large to search" in line), None),
            "remark": remark[-1].split("remark: ", 1)[-1] if remark else
            (stderr.strip().splitlines() or [""])[-1]}


# Statistics that depend on the machine or on the number of threads
# (docs/Search.md, "Parallelism and determinism" and "Statistics"): the
# times, the cost bound's counters, the memo's peak.
UNSTABLE_STATS = {"seconds", "saturation_seconds", "pruned_cost",
                  "candidates_verified", "candidates_rejected",
                  "candidates_found", "candidates_unconfirmed",
                  "memo_peak_bytes"}


def compare_runs(first, other):
    """Whether `other` gave the output and the thread-independent statistics
    of `first`; None for what neither run has."""
    same_output = (first["output"] is not None and
                   first["output"] == other["output"])
    a, b = first["stats"], other["stats"]
    if a is None or b is None:
        return same_output, None, []
    differing = sorted(k for k in set(a) | set(b)
                       if k not in UNSTABLE_STATS and a.get(k) != b.get(k))
    return same_output, not differing, differing


def mirage_ugraphs(tools, name, source, tmp, log):
    """Checks and prices Mirage's μGraphs for `name`, if any were imported."""
    path = os.path.join(ROOT, "bench", "search", "mirage", name + ".mlir")
    if not os.path.exists(path):
        return None
    combined = os.path.join(tmp, "mirage-%s.mlir" % name)
    with open(combined, "w") as f:
        f.write(open(source).read() + "\n" + open(path).read())
    code, _, _, prices, stderr = run_measured(
        [tools["mirage-bench-cost"], combined], log)
    if code != 0:
        return {"error": stderr.strip().splitlines()[-1:]}
    priced = [json.loads(line) for line in prices.splitlines()]
    reference = next(p for p in priced if p["function"] == name)
    entries = []
    for p in priced:
        if p["function"] == name:
            continue
        code, wall, _, stdout, stderr = run_measured(
            [tools["mirage-opt"], combined,
             "--mirage-check-equivalence=lhs=%s rhs=%s" % (name, p["function"]),
             "-o", os.devnull], log)
        verdict = (stdout.strip() or stderr.strip()).splitlines()[0]
        entries.append({
            "function": p["function"],
            "verdict": verdict,
            "equivalent": code == 0 and verdict.startswith("equivalent"),
            "check_seconds": round(wall, 2),
            "predicted_us": round(p["predicted_seconds"] * 1e6, 2),
            "kernels": p["kernels"]})
    equivalent = [e["predicted_us"] for e in entries if e["equivalent"]]
    return {"file": os.path.relpath(path, ROOT),
            "input_predicted_us": round(reference["predicted_seconds"] * 1e6, 2),
            "ugraphs": entries,
            "best_equivalent_us": min(equivalent) if equivalent else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The bound is 60 s of wall time for the whole mirage-opt
    # process; the time budget covers the search of the function,
    # confirmation included, while parsing, importing and printing come
    # outside it (about half a second): 55 s keeps a search stopped by its
    # budget within 60 s.
    parser.add_argument("--budget", type=float, default=55.0,
                        help="time-budget per program in seconds (55)")
    parser.add_argument("--only",
                        help="run these programs only, in this order "
                             "(file stems, comma-separated)")
    parser.add_argument("--output",
                        default=os.path.join(ROOT, "bench", "results",
                                             "search.json"))
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"),
                        help="where mirage-opt and mirage-bench-cost are")
    parser.add_argument("--no-determinism", action="store_true",
                        help="skip the determinism runs (a second search "
                             "with the default threads, one with threads=1)")
    parser.add_argument("--no-mirage", action="store_true",
                        help="skip checking and pricing Mirage's μGraphs")
    args = parser.parse_args()
    tools = {t: os.path.join(args.bin, t)
             for t in ("mirage-opt", "mirage-bench-cost")}
    names = sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "examples"))
                   if f.endswith(".mlir"))
    if args.only:
        wanted = args.only.split(",")
        unknown = [n for n in wanted if n not in names]
        if unknown:
            parser.error("no example named %s" % ", ".join(unknown))
        names = wanted

    report = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(),
                    "load_average_at_start": os.getloadavg()[0]},
        "command": " ".join(["bench/search/run_search_bench.py"] +
                            sys.argv[1:]),
        "options": "default options except time-budget=%g (cache=false, "
                   "stats-file); the determinism runs repeat the search and "
                   "add threads=1" % args.budget,
        "bounds": {"wall_seconds": 60, "goal_wall_seconds": 20,
                   "peak_rss_bytes": "500 MB + the program's input bytes"},
        "results": [],
    }
    log = sys.stderr
    for name in names:
        source = os.path.join(ROOT, "examples", name + ".mlir")
        print("== %s" % name, file=log, flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            main_run = search(tools, source, args.budget, None, tmp, "default",
                              log)
            stats = main_run["stats"] or {}
            best = stats.get("best") or []
            inputs = input_bytes(source, name)
            bound = RSS_BOUND_BASE + inputs
            entry = {
                "example": name,
                "wall_seconds": main_run["wall_seconds"],
                "exit_code": main_run["exit_code"],
                "states_visited": stats.get("states_visited"),
                "candidates_verified": stats.get("candidates_verified"),
                "candidates_found": stats.get("candidates_found"),
                "budget_exhausted": stats.get("budget_exhausted"),
                "peak_rss_bytes": main_run["peak_rss_bytes"],
                "input_bytes": inputs,
                "rss_bound_bytes": bound,
                "within_rss_bound": main_run["peak_rss_bytes"] <= bound,
                "within_60_s": main_run["wall_seconds"] <= 60,
                "predicted_input_us":
                    round(stats["reference_seconds"] * 1e6, 2)
                    if "reference_seconds" in stats else None,
                "predicted_ours_us":
                    round(best[0]["predicted_seconds"] * 1e6, 2)
                    if best else None,
                "ours_kernels": best[0]["kernels"] if best else None,
                "found": bool(best),
                "why_not_found": stats.get("not_found_reasons") or
                                 ([] if best else [main_run["remark"]]),
                "remark": main_run["remark"],
            }
            if main_run["memory_remark"]:
                entry["memory_remark"] = main_run["memory_remark"]
            entry["memo_peak_bytes"] = stats.get("memo_peak_bytes")
            entry["fingerprint_input_bytes"] = stats.get(
                "fingerprint_input_bytes")
            if not args.no_determinism:
                again = search(tools, source, args.budget, None, tmp,
                               "again", log)
                one = search(tools, source, args.budget, 1, tmp, "1thread",
                             log)
                exhausted = any(bool((r["stats"] or {}).get(
                    "budget_exhausted")) for r in (main_run, again, one))
                same_again, stats_again, diff_again = compare_runs(main_run,
                                                                   again)
                same_one, stats_one, diff_one = compare_runs(main_run, one)
                entry["determinism"] = {
                    "threads_compared": [os.cpu_count(), 1],
                    "same_output_two_runs": same_again,
                    "same_statistics_two_runs": stats_again,
                    "same_output": same_one,
                    "same_statistics": stats_one,
                    "differing_statistics": sorted(set(diff_again) |
                                                   set(diff_one)),
                    "comparable": not exhausted,
                    "note": "a search stopped by its time budget keeps what "
                            "it found so far and need not agree"
                            if exhausted else "",
                    "second_run_wall_seconds": again["wall_seconds"],
                    "one_thread_wall_seconds": one["wall_seconds"],
                    "one_thread_peak_rss_bytes": one["peak_rss_bytes"],
                }
            mirage = (None if args.no_mirage else
                      mirage_ugraphs(tools, name, source, tmp, log))
            if mirage is not None:
                entry["mirage"] = mirage
                theirs = mirage.get("best_equivalent_us")
                entry["predicted_mirage_us"] = theirs
                ours = entry["predicted_ours_us"]
                entry["ours_not_slower_than_mirage"] = (
                    None if theirs is None else
                    ours is not None and ours <= theirs)
        print(json.dumps({k: v for k, v in entry.items()
                          if k not in ("mirage", "remark")}), file=log,
              flush=True)
        report["results"].append(entry)
        report["machine"]["load_average_at_end"] = os.getloadavg()[0]
        os.makedirs(os.path.dirname(args.output), exist_ok=True)
        with open(args.output, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
