#!/usr/bin/env python3
"""The time budget of bench/gpu/device-check.sh: 8 minutes in all.

Each step has a budget; a step may run until the sum of the budgets up to
and including its own has passed since the start (so a step that finishes
early leaves its time to the next, and one that overruns is stopped there),
and the slack at the end covers copying the results. The benchmark stops
starting cases when the next one would not fit (should_start) and caps
torch.compile warm-ups (compile_limit).

  budget.py plan [--total-s 480]          the table
  budget.py limit STEP ELAPSED [--total-s 480]   seconds STEP may run, as
                                          an integer (0: skip it)
"""

import argparse
import sys

TOTAL_S = 480
# (step, budget in seconds), in the order device-check.sh runs them.
STEPS = (
    ("build", 90),       # cmake -S runtime, 16 cores: ~30 s expected
    ("bundles", 75),     # mirage-run --validate / --expected on each
                         # bundle: ~530 M random inputs made on the host
                         # (~20 s), 15 contexts and PTX JITs
    ("calibrate", 75),   # calibrate.py: ~10 s of kernels plus NVRTC
    ("benchmark", 215),  # run.py: eager, compile, SDPA and ours per case
    ("mixed", 20),       # make_mixed.sh's mixed modules: cc, a PTX JIT,
                         # a few launches and a comparison each (~2 s)
)
SLACK_S = TOTAL_S - sum(b for _, b in STEPS)
# A step is not started with less than this left.
MIN_STEP_S = 5


def check_plan(total_s=TOTAL_S, steps=STEPS):
    used = sum(b for _, b in steps)
    if any(b <= 0 for _, b in steps):
        raise ValueError("every step needs a positive budget")
    if used > total_s:
        raise ValueError(f"the steps need {used} s, more than the {total_s} s "
                         "in all")
    return total_s - used


def scaled(total_s):
    """The steps scaled to another total (same proportions, same slack
    fraction), for --total-s."""
    if total_s == TOTAL_S:
        return STEPS
    factor = total_s / TOTAL_S
    return tuple((name, max(1, int(b * factor))) for name, b in STEPS)


def limit(step, elapsed_s, total_s=TOTAL_S):
    """Seconds `step` may run when it starts `elapsed_s` after the start:
    the cumulative deadline of its budget minus the time already spent, 0
    when under MIN_STEP_S remain."""
    steps = scaled(total_s)
    check_plan(total_s, steps)
    deadline = 0
    for name, budget in steps:
        deadline += budget
        if name == step:
            left = int(deadline - elapsed_s)
            return left if left >= MIN_STEP_S else 0
    raise ValueError(f"unknown step '{step}' (steps: "
                     f"{', '.join(n for n, _ in steps)})")


def should_start(left_s, estimate_s, reserve_s=5.0):
    """Whether a case estimated to take estimate_s may start with left_s
    remaining, keeping reserve_s to write the results."""
    return left_s - reserve_s >= estimate_s


def compile_limit(left_s, compile_left_s, per_case_s, estimate_rest_s,
                  reserve_s=5.0):
    """Seconds one torch.compile warm-up may take: no more than its per-case
    cap, the compile budget left, and what the budget left minus the rest
    of the case (estimate_rest_s) and the reserve allows; 0: skip it."""
    allowed = min(per_case_s, compile_left_s,
                  left_s - reserve_s - estimate_rest_s)
    return allowed if allowed >= 1 else 0


def plan_text(total_s=TOTAL_S):
    steps = scaled(total_s)
    slack = check_plan(total_s, steps)
    lines = [f"time budget: {total_s} s"]
    deadline = 0
    for name, budget in steps:
        deadline += budget
        lines.append(f"  {name:10} {budget:4d} s  (until {deadline} s)")
    lines.append(f"  {'slack':10} {slack:4d} s")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--total-s", type=int, default=TOTAL_S)
    lp = sub.add_parser("limit")
    lp.add_argument("step")
    lp.add_argument("elapsed", type=float)
    lp.add_argument("--total-s", type=int, default=TOTAL_S)
    args = parser.parse_args(argv)
    if args.total_s < 60:
        parser.error("--total-s must be at least 60")
    try:
        if args.command == "plan":
            print(plan_text(args.total_s))
        else:
            print(limit(args.step, args.elapsed, args.total_s))
    except ValueError as e:
        parser.error(str(e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
