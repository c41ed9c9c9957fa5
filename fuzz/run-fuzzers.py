#!/usr/bin/env python3
"""Runs the libFuzzer targets of fuzz/ and reports what they did.

    run-fuzzers.py --build-dir build-fuzz --targets parse npy ...
                   (--seconds N | --runs N | --until N)
                   [--json bench/results/fuzz.json]

--until N continues an earlier campaign recorded in the --json file: each
target runs the executions it still lacks to reach N in all (its corpus is
kept between runs), and the file then holds each target's runs and their
sums. It runs in slices of --slice-seconds (900) and writes the file after
each, so that an interrupted campaign loses one slice at most.

Each target runs in libFuzzer's fork mode (one worker), so that a crash,
an out-of-memory or a timeout is recorded and the campaign goes on: the
input is saved under BUILD/fuzz/artifacts/<target>/ and counted. The
corpus grows in BUILD/fuzz/corpus/<target>/ and starts from the seeds that
the build gathered in BUILD/fuzz/seeds/<target>/. Prints, per target, the
executions, executions per second, coverage (libFuzzer's cov: and ft:)
and the crashes, ooms and timeouts; with --json writes them with the date
and the machine. Exits 1 when any target crashed, ran out of memory or
timed out.
"""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from machine import cpu_model  # noqa: E402

STATS = re.compile(
    r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s: (\d+) "
    r"oom/timeout/crash: (\d+)/(\d+)/(\d+) time: (\d+)s")


def count_files(path):
    return len(os.listdir(path)) if os.path.isdir(path) else 0


def run_target(args, target):
    fuzz_dir = os.path.join(args.build_dir, "fuzz")
    binary = os.path.join(fuzz_dir, "bin", "mirage-fuzz-" + target)
    seeds = os.path.join(fuzz_dir, "seeds", target)
    corpus = os.path.join(fuzz_dir, "corpus", target)
    artifacts = os.path.join(fuzz_dir, "artifacts", target)
    log_path = os.path.join(fuzz_dir, "logs", target + ".log")
    for d in (corpus, artifacts, os.path.dirname(log_path)):
        os.makedirs(d, exist_ok=True)
    before = set(os.listdir(artifacts))
    command = [
        binary, "-fork=1", "-ignore_crashes=1", "-ignore_ooms=1",
        "-ignore_timeouts=1", "-rss_limit_mb=%d" % args.rss_limit_mb,
        "-timeout=%d" % args.timeout, "-artifact_prefix=" + artifacts + "/",
        "-print_final_stats=1",
    ]
    if args.runs:
        command.append("-runs=%d" % args.runs)
    if args.seconds:
        command.append("-max_total_time=%d" % args.seconds)
    command += [corpus, seeds]
    env = dict(os.environ)
    # Reports go to the job logs libFuzzer keeps; leaks are checked too.
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:allow_user_poisoning=0")
    env.setdefault("LSAN_OPTIONS", "suppressions=" + os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "lsan.supp"))
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    start = time.time()
    with open(log_path, "w") as log:
        status = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT,
                                 env=env)
    elapsed = time.time() - start
    last = None
    with open(log_path, errors="replace") as log:
        for line in log:
            m = STATS.match(line)
            if m:
                last = m
    result = {
        "target": target,
        "seconds": round(elapsed, 1),
        "exit_status": status,
        "seeds": count_files(seeds),
        "corpus": count_files(corpus),
        "log": os.path.relpath(log_path),
        # The source the binaries were built from (make fuzz-build stamps
        # it), not what is checked out now: figures hold for the code they
        # ran on.
        "commit": build_commit(fuzz_dir),
    }
    if last:
        runs, cov, ft, corp, eps, oom, tmo, crash, t = map(int, last.groups())
        result.update({
            "executions": runs, "exec_per_s": round(runs / max(elapsed, 1)),
            "coverage": cov, "features": ft, "ooms": oom, "timeouts": tmo,
            "crashes": crash,
        })
    else:
        result.update({"executions": 0, "exec_per_s": 0, "coverage": 0,
                       "features": 0, "ooms": 0, "timeouts": 0, "crashes": 0})
    new = sorted(set(os.listdir(artifacts)) - before)
    new = [a for a in new if not a.endswith(".txt")]
    # Fork mode keeps only the first line of a worker's report: rerun each
    # saved input alone for the whole report and its stack top.
    result["artifacts"] = []
    for name in new:
        path = os.path.join(artifacts, name)
        report, seconds = reproduce(binary, path, env, args.timeout)
        with open(path + ".txt", "w") as f:
            f.write(report)
        result["artifacts"].append({
            "input": os.path.relpath(path),
            "kind": name.split("-", 1)[0],
            "error": first_match(report, ERROR_LINE),
            "stack_top": first_match(report, OUR_FRAME),
            # A timeout or slow unit that runs fast alone was the machine's
            # load, not the input.
            "seconds_alone": seconds,
        })
    # The stats line may precede the last worker's end: count the inputs.
    for kind, key in (("crash", "crashes"), ("leak", "crashes"),
                      ("oom", "ooms"), ("timeout", "timeouts")):
        saved = sum(a["kind"] == kind for a in result["artifacts"])
        result[key] = max(result[key], saved)
    return result


def build_commit(fuzz_dir):
    """The commit the fuzz binaries were built from: the stamp `make
    fuzz-build` writes (BUILD/fuzz/build-commit, `git describe --always
    --dirty` of the tree it built), or None for an unstamped build. The
    checked-out commit is not used: the binaries need not be rebuilt when
    the tree moves on."""
    try:
        with open(os.path.join(fuzz_dir, "build-commit")) as stamp:
            return stamp.read().strip() or None
    except OSError:
        return None


def reproduce(binary, path, env, timeout):
    """Runs one saved input alone: (its report, its wall seconds or None
    when it did not finish within max(60, 6 * timeout) s)."""
    start = time.time()
    try:
        report = subprocess.run([binary, path], capture_output=True,
                                text=True, errors="replace", env=env,
                                timeout=max(60, 6 * timeout)).stderr
        return report, round(time.time() - start, 2)
    except subprocess.TimeoutExpired:
        return "timeout while reproducing\n", None


ERROR_LINE = re.compile(r"(ERROR: \w+Sanitizer: .*|runtime error: .*|"
                        r"mirage-fuzz: BUG: .*|ERROR: libFuzzer: .*|"
                        r"LLVM ERROR: .*|Assertion .* failed.*)")
# The first frame in the project's code, the harness's excepted (not the
# sanitizers', libFuzzer's, the C++ library's or LLVM's).
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUR_FRAME = re.compile(r"#\d+ 0x[0-9a-f]+ in (.+? " + re.escape(SOURCE_ROOT) +
                       r"/(?!fuzz/)\S+)")


def first_match(text, pattern):
    m = pattern.search(text)
    return m.group(1).strip() if m else None


def merge_runs(previous, new):
    """Each target's earlier runs and the new one, with their sums."""
    by_target = {t["target"]: dict(t) for t in previous}
    order = [t["target"] for t in previous]
    for r in new:
        old = by_target.get(r["target"])
        if old is None:
            by_target[r["target"]] = r
            order.append(r["target"])
            continue
        runs = old.pop("runs", None) or [
            {k: v for k, v in old.items() if k != "target"}]
        runs.append({k: v for k, v in r.items() if k != "target"})
        total = {"target": r["target"]}
        for key in ("seconds", "executions", "ooms", "timeouts", "crashes"):
            total[key] = round(sum(x.get(key, 0) for x in runs), 1)
        total["exec_per_s"] = round(total["executions"] /
                                    max(total["seconds"], 1))
        for key in ("exit_status", "seeds", "corpus", "log", "coverage",
                    "features"):
            total[key] = runs[-1].get(key)
        # A run recorded without a status (stopped from outside) counts as 0.
        total["exit_status"] = max(x.get("exit_status") or 0 for x in runs)
        total["artifacts"] = [a for x in runs for a in x.get("artifacts", [])]
        total["runs"] = runs
        if "note" in old:  # what a person found out about the runs so far
            total["note"] = old["note"]
        by_target[r["target"]] = total
    return [by_target[t] for t in order]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default="build-fuzz")
    parser.add_argument("--targets", nargs="+", required=True)
    parser.add_argument("--seconds", type=int, default=0)
    parser.add_argument("--runs", type=int, default=0)
    parser.add_argument("--rss-limit-mb", type=int, default=2048)
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--until", type=int, default=0)
    parser.add_argument("--slice-seconds", type=int, default=900)
    parser.add_argument("--json")
    args = parser.parse_args()
    if bool(args.seconds) + bool(args.runs) + bool(args.until) != 1:
        parser.error("give one of --seconds, --runs and --until")
    if args.until:
        if not args.json or not os.path.exists(args.json):
            parser.error("--until continues the campaign in an existing --json")
        with open(args.json) as f:
            previous = json.load(f)

    results = []
    failed = False
    for target in args.targets:
        if args.until:
            failed |= continue_target(args, target, previous)
            continue
        print("== mirage-fuzz-%s: %s" % (target, "%d s" % args.seconds
                                          if args.seconds else
                                          "%d runs" % args.runs), flush=True)
        r = run_target(args, target)
        r["run"] = "campaign"
        results.append(r)
        failed |= report_run(r)

    if args.json and not args.until:
        write_json(args, results)
    return 1 if failed else 0


def report_run(r):
    """Prints what a run did; True when it found anything."""
    print("   %d executions (%d/s), cov %d, ft %d, corpus %d; "
          "crashes %d, ooms %d, timeouts %d (log %s)" %
          (r["executions"], r["exec_per_s"], r["coverage"], r["features"],
           r["corpus"], r["crashes"], r["ooms"], r["timeouts"], r["log"]),
          flush=True)
    for a in r["artifacts"]:
        print("   %s: %s\n     %s\n     at %s" % (
            a["kind"], a["input"], a["error"], a["stack_top"]))
    return bool(r["crashes"] or r["ooms"] or r["timeouts"] or
                r["artifacts"] or r["exit_status"] not in (0,))


def continue_target(args, target, previous):
    """Runs `target` in slices of at most --slice-seconds until it has made
    --until executions in all, writing the JSON after every slice, so that
    an interrupted campaign loses one slice at most. True when it found
    anything."""
    failed = False
    while True:
        done = next((t.get("executions", 0) for t in previous["targets"]
                     if t["target"] == target), 0)
        left = args.until - done
        if left <= 0:
            print("== mirage-fuzz-%s: %d executions in all" % (target, done))
            return failed
        print("== mirage-fuzz-%s: %d executions so far, up to %d more in "
              "%d s" % (target, done, left, args.slice_seconds), flush=True)
        args.runs, args.seconds = left, args.slice_seconds
        r = run_target(args, target)
        r["run"] = "continued"
        failed |= report_run(r)
        previous["targets"] = merge_runs(previous["targets"], [r])
        write_json(args, previous["targets"])
        if r["executions"] == 0:
            print("   no progress: stopping")
            return True


def write_json(args, results):
    """Writes the report with the date, the machine and the options."""
    clang = subprocess.run(
        [os.environ.get("CXX", "/usr/lib/llvm-22/bin/clang++"),
         "--version"], capture_output=True, text=True).stdout
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ"),
        "machine": {
            "cpu": cpu_model(), "cores": os.cpu_count(),
            "os": platform.platform(),
            "compiler": clang.splitlines()[0] if clang else "unknown",
        },
        "options": {
            "mode": "fork=1, ignore_crashes/ooms/timeouts",
            "runs_per_target": args.until or args.runs or None,
            "seconds_per_target": None if args.until else (args.seconds
                                                            or None),
            "rss_limit_mb": args.rss_limit_mb, "timeout_s": args.timeout,
            "sanitizers": "address,undefined", "assertions": True,
            "corpus": "each target's corpus is kept in BUILD/fuzz/corpus/"
                      "<target> from run to run; it started from the seeds "
                      "gathered at build time",
        },
        "targets": results,
    }
    with open(args.json + ".tmp", "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    os.replace(args.json + ".tmp", args.json)
    print("wrote " + args.json, flush=True)


if __name__ == "__main__":
    sys.exit(main())
