#!/usr/bin/env python3
"""The GPU check: everything this project can learn from a GPU, in one
command of at most 8 minutes (bench/gpu/device-check.sh runs this).

On a machine with CUDA (cuda.h, a driver), PyTorch and CuPy, and no LLVM,
from the repository root, with the bundles made on the CPU machine by
`make gpu-bundles` (bench/gpu/bundles):

  1. build    the runtime alone: cmake -S runtime -B BUILD_DIR (cuda.h only)
  2. bundles  every bundle: mirage-run --validate, then, where make_bundles
              stored the interpreter's outputs (BUNDLE/expected/), a run on
              the GPU compared with them (seed 0, the project's comparison):
              RESULTS_DIR/gpu-bundles-<device>-<date>.json
  3. calibrate  bench/gpu/calibrate.py: RESULTS_DIR/gpu-calibration-<device>.json
  4. benchmark  bench/gpu/run.py: ours against eager, torch.compile and SDPA,
              checked against PyTorch: RESULTS_DIR/gpu-<device>-<date>.json
              and the table in RESULTS_DIR/README.md
  5. mixed    the mixed modules of bench/gpu/make_mixed.sh (BUNDLES/mixed:
              objects of modules lowered by mirage-mixed-to-gpu, the host
              code calling our kernels through the mgpu* wrappers): each
              linked with bench/gpu/mixed/{mixed_main,mgpu_cuda}.c against
              libcuda by cc, run, and its printed results compared with
              those of the same module lowered by upstream passes alone
              (rtol 1e-4; an f16 module: by our CPU path, rtol 1e-2):
              RESULTS_DIR/gpu-mixed-<device>-<date>.json

Each step runs under its share of the budget (budget.py); a step that
fails does not stop the others. The results and one log are copied to
--out (default $OUT, the folder the device tool brings back). The summary
is printed last. Exit status: 0 when every step passed, 1 otherwise, 2 for
a bad command line.

  bench/gpu/device-check.sh [--bundles DIR] [--build-dir DIR]
      [--results-dir DIR] [--out DIR] [--total-s 480]
      [--steps build,bundles,calibrate,benchmark,mixed] [--only gqa,mqa]
      [--batch-sizes 1,8] [--mirage-run PATH] [--dry-run]

--dry-run checks the command line and the bundles, prints the budget and
every command with its time limit, and runs nothing (no GPU needed).
"""

import argparse
import datetime
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import budget  # noqa: E402
import cases as C  # noqa: E402

STEPS = tuple(name for name, _ in budget.STEPS)
# What each step leaves for its own clean-up inside its limit: the scripts
# get this much less as their --budget-s, so they write their results
# before the step's timeout would kill them.
SCRIPT_MARGIN_S = 10
# One mirage-run may take this long at most (the largest bundle generates
# ~270 M inputs on the host in a few seconds): a kernel that never returns
# costs this, not the whole step, and its bundle is left out of the
# benchmark (run.py --skip-mirage), as is one whose run crashed or failed
# with a CUDA error.
BUNDLE_COMMAND_CAP_S = 30


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="device-check.sh", description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--bundles",
                        default=os.path.join(ROOT, "bench", "gpu", "bundles"))
    parser.add_argument("--build-dir",
                        default=os.path.join(ROOT, "build-device-check"),
                        help="where the runtime is built (its own folder)")
    parser.add_argument("--results-dir",
                        default=os.path.join(ROOT, "bench", "results"))
    parser.add_argument("--out", default=os.environ.get("OUT"),
                        help="copy the results and the log here "
                        "(default: $OUT when set)")
    parser.add_argument("--total-s", type=int, default=budget.TOTAL_S)
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--only", help="comma-separated example names")
    parser.add_argument("--batch-sizes", default="1,8")
    parser.add_argument("--mirage-run",
                        help="mirage-run to use (default: BUILD_DIR/bin)")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    args.steps = [s for s in args.steps.split(",") if s]
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown or not args.steps:
        parser.error(f"unknown step(s) {', '.join(unknown) or '(none)'}; "
                     f"steps: {', '.join(STEPS)}")
    if args.total_s < 60 or args.total_s > 3600:
        parser.error("--total-s must be between 60 and 3600")
    try:
        args.cases = C.cases(args.only.split(",") if args.only else None,
                             [int(b) for b in args.batch_sizes.split(",")])
    except ValueError as e:
        parser.error(str(e))
    args.mirage_run = args.mirage_run or os.path.join(args.build_dir, "bin",
                                                      "mirage-run")
    return args


def find_bundles(directory, cases):
    """[(case, bundle dir or None, has references)] for the cases."""
    out = []
    for case in cases:
        path = os.path.join(directory, case.bundle_name)
        if not glob.glob(os.path.join(path, "*.json")):
            out.append((case, None, False))
            continue
        out.append((case, path,
                    os.path.isdir(os.path.join(path, "expected"))))
    return out


class Log:
    """Everything goes to the log file; the console gets headers, the tail
    of a failed step and the summary."""

    def __init__(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path
        self.file = open(path, "w")

    def write(self, text, console=True):
        self.file.write(text + "\n")
        self.file.flush()
        if console:
            print(text, flush=True)

    def close(self):
        self.file.close()


def run_command(command, limit_s, log, env=None, cwd=ROOT):
    """Runs `command` in its own process group, killed (with its children)
    after limit_s. Returns (status, output); status is None on a timeout."""
    log.write("$ " + " ".join(command) + f"    # limit {limit_s:.0f} s",
              console=False)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=cwd, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=limit_s)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        status = None
    log.write(output.rstrip("\n"), console=False)
    return status, output


def tail(text, lines=15):
    return "\n".join(text.rstrip("\n").splitlines()[-lines:])


def device_name():
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name",
                              "--format=csv,noheader", "--id=0"],
                             capture_output=True, text=True, timeout=20)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired):
        pass
    return "unknown-gpu"


def git_commit():
    try:
        out = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def build_commands(args):
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    # cuda.h next to the nvcc on PATH, when it is not in /usr/local/cuda.
    nvcc = shutil.which("nvcc")
    if nvcc:
        generator.append("-DCUDAToolkit_ROOT=" + os.path.dirname(
            os.path.dirname(os.path.realpath(nvcc))))
    return [["cmake", "-S", os.path.join(ROOT, "runtime"), "-B",
             args.build_dir, "-DCMAKE_BUILD_TYPE=Release"] + generator,
            # Only what the check uses (not the runtime's tests).
            ["cmake", "--build", args.build_dir, "-j",
             str(os.cpu_count() or 4), "--target", "mirage-run",
             "mirage-runtime-python"]]


def bundle_commands(args, bundle, has_refs, json_path):
    commands = [[args.mirage_run, bundle, "--validate"]]
    if has_refs:
        commands.append([args.mirage_run, bundle, "--seed", "0", "--expected",
                         os.path.join(bundle, "expected"), "--json",
                         json_path])
    return commands


def find_mixed(bundles):
    """The objects make_mixed.sh left in BUNDLES/mixed, without ".o"."""
    return sorted(path[:-2] for path in
                  glob.glob(os.path.join(bundles, "mixed", "*.o")))


def cuda_root():
    """The CUDA toolkit: the one of the nvcc on PATH, else CUDA_PATH or
    /usr/local/cuda."""
    nvcc = shutil.which("nvcc")
    if nvcc:
        return os.path.dirname(os.path.dirname(os.path.realpath(nvcc)))
    return os.environ.get("CUDA_PATH", "/usr/local/cuda")


def mixed_commands(args, base):
    """(link, run, compare) for the mixed module BASE.o: its host code and
    kernels, mixed_main.c and the mgpu* wrappers on the CUDA driver, linked
    against the toolkit's stub libcuda (the driver's at run time)."""
    name = os.path.basename(base)
    exe = os.path.join(args.build_dir, "mixed", name)
    cuda = cuda_root()
    mixed = os.path.join(HERE, "mixed")
    link = [shutil.which("cc") or "gcc", "-O2",
            "-I", os.path.join(cuda, "include"),
            os.path.join(mixed, "mixed_main.c"),
            os.path.join(mixed, "mgpu_cuda.c"), base + ".o",
            "-L", os.path.join(cuda, "lib64", "stubs"),
            "-L", os.path.join(cuda, "targets", "x86_64-linux", "lib",
                               "stubs"),
            "-lcuda", "-lm", "-o", exe]
    compare = [sys.executable, os.path.join(
        ROOT, "test", "Conversion", "Inputs", "compare-memref-prints.py"),
        base + ".expected.txt", exe + ".txt"]
    # make_mixed.sh's tolerance for a module compared with our CPU path
    # (f16: rtol 1e-2); rtol 1e-4 otherwise.
    if os.path.exists(base + ".tolerance"):
        with open(base + ".tolerance") as f:
            compare += f.read().split()
    return link, [exe], compare


def script_commands(args, step, limit, unsafe=()):
    budget_s = str(max(1, limit - SCRIPT_MARGIN_S))
    if step == "calibrate":
        return [[sys.executable, os.path.join(HERE, "calibrate.py"),
                 "--budget-s", budget_s, "--results-dir", args.results_dir]]
    command = [sys.executable, os.path.join(HERE, "run.py"), "--bundles",
               args.bundles, "--budget-s", budget_s, "--results-dir",
               args.results_dir, "--batch-sizes", args.batch_sizes]
    if args.only:
        command += ["--only", args.only]
    if unsafe:
        command += ["--skip-mirage", ",".join(unsafe)]
    return [command]


def step_build(args, limit, log, state):
    deadline = time.monotonic() + limit
    for command in build_commands(args):
        status, output = run_command(command, deadline - time.monotonic(),
                                     log)
        if status != 0:
            return False, ("timed out" if status is None else
                           f"exit {status}") + ":\n" + tail(output)
    return True, f"runtime built in {args.build_dir}"


def write_results(args, state, kind, results):
    """Writes `results`, after the device's name and today's date, to
    RESULTS_DIR/gpu-KIND-DEVICE-DATE.json and records the path in `state`."""
    device = state.setdefault("device", device_name())
    today = datetime.date.today().isoformat()
    path = os.path.join(args.results_dir,
                        f"gpu-{kind}-{slug(device)}-{today}.json")
    os.makedirs(args.results_dir, exist_ok=True)
    with open(path, "w") as f:
        json.dump({"device": device, "date": today, **results}, f, indent=2)
        f.write("\n")
    state.setdefault("written", []).append(path)


def step_bundles(args, limit, log, state):
    deadline = time.monotonic() + limit
    if not os.access(args.mirage_run, os.X_OK):
        return False, f"{args.mirage_run} is not an executable (build step)"
    found = find_bundles(args.bundles, args.cases)
    tmp = os.path.join(args.build_dir, "bundle-runs")
    os.makedirs(tmp, exist_ok=True)
    entries, failures = [], []
    for case, path, has_refs in found:
        entry = {"bundle": case.bundle_name}
        if path is None:
            entry["error"] = "no bundle"
            failures.append(case.bundle_name)
            entries.append(entry)
            continue
        json_path = os.path.join(tmp, case.bundle_name + ".json")
        if os.path.exists(json_path):
            os.remove(json_path)
        for command in bundle_commands(args, path, has_refs, json_path):
            left = deadline - time.monotonic()
            if left < 1:
                entry["error"] = "time budget"
                break
            status, output = run_command(
                command, min(left, BUNDLE_COMMAND_CAP_S), log)
            what = "validate" if "--validate" in command else "run"
            # A run that hung, crashed or failed otherwise than by its
            # numbers (exit 3) may leave a CUDA error that would poison the
            # benchmark's PyTorch process for every case after it: its
            # bundle is left out there (run.py --skip-mirage).
            if what == "run" and status not in (0, 3) and not (
                    status is None and left < BUNDLE_COMMAND_CAP_S):
                state.setdefault("unsafe", []).append(case.bundle_name)
            entry[what] = {"status": status, "output": tail(output, 8)}
            if status != 0:
                # mirage-run: 3 is "outputs differ from the reference".
                entry["error"] = f"{what}: " + (
                    "timed out" if status is None else
                    "outputs differ from the interpreter's (exit 3)"
                    if status == 3 and what == "run" else f"exit {status}")
                break
        if os.path.exists(json_path):
            with open(json_path) as f:
                entry["result"] = json.load(f)
        if not has_refs:
            entry["note"] = "no interpreter outputs (make_bundles " \
                            "--references): validated only"
        if "error" in entry:
            failures.append(case.bundle_name)
        log.write(f"  {case.bundle_name}: " +
                  (entry.get("error") or
                   ("passed" if has_refs else "valid (not run)")))
        entries.append(entry)
    write_results(args, state, "bundles", {"seed": 0, "bundles": entries})
    valid = sum(1 for e in entries if e.get("validate", {}).get("status")
                == 0)
    matched = sum(1 for e in entries if e.get("run", {}).get("status") == 0)
    summary = (f"{valid} of {len(entries)} bundles valid, {matched} run and "
               "matching the interpreter's outputs")
    if failures:
        return False, summary + "; failed: " + ", ".join(failures)
    return True, summary


def step_mixed(args, limit, log, state):
    deadline = time.monotonic() + limit
    found = find_mixed(args.bundles)
    if not found:
        return False, (f"no mixed modules in {args.bundles}/mixed: run "
                       "`make gpu-bundles` on the CPU machine")
    os.makedirs(os.path.join(args.build_dir, "mixed"), exist_ok=True)
    entries, failures = [], []
    for base in found:
        name = os.path.basename(base)
        entry = {"module": name}
        link, run, compare = mixed_commands(args, base)
        for what, command in (("link", link), ("run", run),
                              ("compare", compare)):
            left = deadline - time.monotonic()
            if left < 1:
                entry["error"] = "time budget"
                break
            status, output = run_command(command, left, log)
            if what == "run":
                with open(run[0] + ".txt", "w") as f:
                    f.write(output)
            entry[what] = {"status": status, "output": tail(output, 8)}
            if status != 0:
                entry["error"] = f"{what}: " + (
                    "timed out" if status is None else f"exit {status}")
                break
        if "error" in entry:
            failures.append(name)
        log.write(f"  {name}: " + (entry.get("error") or
                                   "run on the GPU, " +
                                   tail(entry["compare"]["output"], 1)))
        entries.append(entry)
    write_results(args, state, "mixed", {"modules": entries})
    summary = (f"{len(entries) - len(failures)} of {len(entries)} mixed "
               "modules run on the GPU and matching upstream's lowering")
    if failures:
        return False, summary + "; failed: " + ", ".join(failures)
    return True, summary


def written_since(results_dir, step, started):
    """The results files of `step` modified since `started` (time.time())."""
    out = []
    for path in sorted(glob.glob(os.path.join(results_dir, "gpu-*.json"))):
        name = os.path.basename(path)
        calibration = name.startswith("gpu-calibration-")
        if (step == "calibrate") != calibration or \
                name.startswith(("gpu-bundles-", "gpu-mixed-")):
            continue
        if os.path.getmtime(path) >= started - 1:
            out.append(path)
    return out


def step_script(args, limit, log, state, step):
    env = dict(os.environ)
    python_dir = os.path.join(args.build_dir, "python")
    env["PYTHONPATH"] = os.pathsep.join(
        [python_dir] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONUNBUFFERED"] = "1"
    (command,) = script_commands(args, step, limit, state.get("unsafe", ()))
    started = time.time()
    status, output = run_command(command, limit, log, env=env)
    # What the script wrote, even if it was stopped (run.py writes its
    # results after every case).
    for path in written_since(args.results_dir, step, started):
        state.setdefault("written", []).append(path)
    log.write(tail(output, len(args.cases) + 4 if step == "benchmark"
                   else 12))
    ok = status == 0
    last = tail(output, 1)
    return ok, ("timed out" if status is None else f"exit {status}") + \
        ("" if ok else f" ({last})" if last else "")


def run_steps(args, log, clock=time.monotonic):
    start = clock()
    state = {}
    rows = []
    for step in STEPS:
        if step not in args.steps:
            continue
        elapsed = clock() - start
        limit = budget.limit(step, elapsed, args.total_s)
        log.write(f"== {step} (limit {limit} s, {elapsed:.0f} s elapsed)")
        if limit == 0:
            rows.append((step, False, 0.0, limit, "no time left"))
            continue
        t0 = clock()
        try:
            if step == "build":
                ok, note = step_build(args, limit, log, state)
            elif step == "bundles":
                ok, note = step_bundles(args, limit, log, state)
            elif step == "mixed":
                ok, note = step_mixed(args, limit, log, state)
            else:
                ok, note = step_script(args, limit, log, state, step)
        except Exception as e:  # reported; the next steps still run
            ok, note = False, f"{type(e).__name__}: {e}"
        rows.append((step, ok, clock() - t0, limit, note))
        if not ok:
            log.write(f"   {step} failed: {note}")
    return rows, state, clock() - start


def summary(rows, total, total_s):
    lines = ["== summary"]
    for step, ok, seconds, limit, note in rows:
        first = note.splitlines()[0] if note else ""
        lines.append(f"  {step:10} {'ok  ' if ok else 'FAIL'} "
                     f"{seconds:6.1f} s of {limit:3d}  {first}")
    lines.append(f"  total {total:.0f} s of {total_s}")
    return "\n".join(lines)


def dry_run(args):
    print(budget.plan_text(args.total_s))
    found = find_bundles(args.bundles, args.cases)
    present = [f for f in found if f[1]]
    print(f"bundles in {args.bundles}: {len(present)} of {len(found)}")
    for case, path, refs in found:
        print(f"  {case.bundle_name}: " + ("missing" if path is None else
              "with interpreter outputs" if refs else "validate only"))
    elapsed = 0
    for step, step_budget in budget.scaled(args.total_s):
        if step not in args.steps:
            continue
        limit = budget.limit(step, elapsed, args.total_s)
        print(f"{step} (limit {limit} s):")
        if step == "build":
            commands = build_commands(args)
        elif step == "bundles":
            commands = [c for _, path, refs in present for c in
                        bundle_commands(args, path, refs, os.path.join(
                            args.build_dir, "bundle-runs", "NAME.json"))]
        elif step == "mixed":
            commands = [c for base in find_mixed(args.bundles)
                        for c in mixed_commands(args, base)]
            if not commands:
                print("  (no mixed modules in " +
                      os.path.join(args.bundles, "mixed") + ")")
        else:
            commands = script_commands(args, step, limit)
        for command in commands:
            print("  " + " ".join(command))
        elapsed += step_budget
    if "bundles" in args.steps or "benchmark" in args.steps:
        if not present:
            print(f"device-check: no bundles in {args.bundles}: run `make "
                  "gpu-bundles` on the CPU machine and carry "
                  "bench/gpu/bundles", file=sys.stderr)
            return 1
    return 0


def copy_out(args, state, log):
    if not args.out:
        return
    os.makedirs(args.out, exist_ok=True)
    files = list(dict.fromkeys(state.get("written", [])))
    readme = os.path.join(args.results_dir, "README.md")
    if "benchmark" in args.steps and os.path.exists(readme):
        files.append(readme)
    for path in files:
        if os.path.exists(path):
            shutil.copy(path, os.path.join(args.out, os.path.basename(path)))
    log.file.flush()
    shutil.copy(log.path, os.path.join(args.out, "device-check.log"))
    print(f"copied {len(files)} result files and device-check.log to "
          f"{args.out}")


def main(argv=None):
    args = parse_args(argv)
    if args.dry_run:
        return dry_run(args)
    log = Log(os.path.join(args.build_dir, "device-check.log"))
    log.write(f"device-check: {len(args.cases)} cases, steps "
              f"{','.join(args.steps)}, {args.total_s} s in all")
    now = datetime.datetime.now(datetime.timezone.utc)
    log.write(f"python {sys.version.split()[0]}, commit {git_commit()}, "
              f"started {now.isoformat(timespec='seconds')}", console=False)
    rows, state, total = run_steps(args, log)
    log.write(summary(rows, total, args.total_s))
    copy_out(args, state, log)
    log.close()
    return 0 if all(ok for _, ok, _, _, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
