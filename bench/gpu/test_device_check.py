#!/usr/bin/env python3
"""Tests of the GPU check without a GPU: the time budget (budget.py), the
benchmark's budget and compile cap (run.py), the report of skipped cases,
and device_check.py's command line, bundle discovery, dry run, summary and
copying of results. test/Runtime/device-check.test runs it, and runs the
script itself on real bundles up to the GPU.

  python3 bench/gpu/test_device_check.py
"""

import contextlib
import io
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import budget as B  # noqa: E402
import cases as C  # noqa: E402
import device_check as D  # noqa: E402
import report  # noqa: E402
import run as R  # noqa: E402


class BudgetTest(unittest.TestCase):
    def test_plan_fits_eight_minutes(self):
        self.assertEqual(B.TOTAL_S, 480)
        self.assertEqual(B.check_plan(), B.SLACK_S)
        self.assertGreater(B.SLACK_S, 0)
        with self.assertRaisesRegex(ValueError, "more than the 100 s"):
            B.check_plan(100)

    def test_limits_are_cumulative_deadlines(self):
        # On time: each step gets its own budget.
        elapsed = 0
        for name, budget in B.STEPS:
            self.assertEqual(B.limit(name, elapsed), budget)
            elapsed += budget
        # A step that finished early leaves its time to the next one.
        self.assertEqual(B.limit("bundles", 20), 90 - 20 + 75)
        # One that overran (stopped at its deadline) costs the next nothing.
        self.assertEqual(B.limit("calibrate", 165), 75)
        # Late: what is left to the step's deadline; nothing under 5 s.
        self.assertEqual(B.limit("benchmark", 450), 5)
        self.assertEqual(B.limit("benchmark", 451), 0)
        self.assertEqual(B.limit("benchmark", 1000), 0)
        # Every step together never passes the total minus the slack.
        self.assertEqual(B.limit(B.STEPS[-1][0], 0),
                         B.TOTAL_S - B.SLACK_S)
        with self.assertRaisesRegex(ValueError, "unknown step 'x'"):
            B.limit("x", 0)

    def test_scaled_totals(self):
        for total in (60, 300, 480, 900, 3600):
            steps = B.scaled(total)
            self.assertLessEqual(sum(b for _, b in steps), total)
            self.assertEqual([n for n, _ in steps],
                             [n for n, _ in B.STEPS])

    def test_should_start_and_compile_limit(self):
        self.assertTrue(B.should_start(30, 20))
        self.assertTrue(B.should_start(25, 20))
        self.assertFalse(B.should_start(24.9, 20))
        # The per-case cap, the compile budget and the time left each bind.
        self.assertEqual(B.compile_limit(200, 100, 45, 8), 45)
        self.assertEqual(B.compile_limit(200, 30, 45, 8), 30)
        self.assertEqual(B.compile_limit(40, 100, 45, 8), 27)
        self.assertEqual(B.compile_limit(13.5, 100, 45, 8), 0)
        self.assertEqual(B.compile_limit(200, 0.5, 45, 8), 0)

    def test_command_line(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(B.main(["limit", "benchmark", "100"]), 0)
        self.assertEqual(out.getvalue(), "355\n")
        with contextlib.redirect_stderr(io.StringIO()):
            with self.assertRaises(SystemExit) as e:
                B.main(["limit", "nope", "0"])
        self.assertEqual(e.exception.code, 2)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class FakeCuda:
    @staticmethod
    def synchronize():
        pass


class FakeTorch:
    cuda = FakeCuda


class RunBudgetTest(unittest.TestCase):
    def test_case_estimates_leave_compile_out(self):
        clock = FakeClock()
        b = R.Budget(100, 50, 45, clock=clock)
        self.assertEqual(b.estimate(), 20.0)
        b.case_ran(40.0, 30.0)
        self.assertEqual(b.estimate(), 10.0)
        b.case_ran(8.0, 0.0)
        self.assertEqual(b.estimate(), 10.0)
        clock.now = 90
        self.assertEqual(b.left(), 10)
        self.assertFalse(B.should_start(b.left(), b.estimate()))

    def test_compile_warm_up_is_interrupted(self):
        start = time.monotonic()
        with self.assertRaisesRegex(R.CompileTimeout, "over 0 s"):
            R.with_alarm(0.2, lambda: time.sleep(5))
        self.assertLess(time.monotonic() - start, 2)
        self.assertEqual(R.with_alarm(1, lambda: 7), 7)

    def test_first_call_caps_and_skips_compile(self):
        b = R.Budget(100, 10, 45)
        out, skipped = R.first_call(FakeTorch, "compile", lambda: "y", b)
        self.assertEqual((out, skipped), ("y", None))
        self.assertLess(b.compile_left, 10)
        self.assertGreater(b.compile_spent, 0)
        b.compile_left = 0
        out, skipped = R.first_call(FakeTorch, "compile", lambda: "y", b)
        self.assertIsNone(out)
        self.assertEqual(skipped, {"skipped": "torch.compile budget spent"})
        # Other implementations and unbudgeted runs are plain calls.
        self.assertEqual(R.first_call(FakeTorch, "eager", lambda: 1, b),
                         (1, None))
        self.assertEqual(R.first_call(FakeTorch, "compile", lambda: 2, None),
                         (2, None))

    def test_skipped_cases_in_the_report(self):
        case = C.cases(["gqa"], [8])[0]
        r = R.skipped_case(case, "time budget")
        self.assertEqual(report.case_line(r), "gqa bs8: skipped (time budget)")
        doc = {"cases": [r, {
            "example": "mqa", "batch": "bs1", "hbm_floor_us": 1.0,
            "impls": {"mirage": {"error": "x"},
                      "compile": {"skipped": "torch.compile budget spent"}}}]}
        lines = report.table(doc).splitlines()
        self.assertEqual(lines[2], "| gqa bs8 | skipped (time budget) "
                         "| | | | | | |")
        self.assertEqual(lines[3], "| mqa bs1 | error | - | skipped | - "
                         "| 1.0 | - | - |")
        self.assertIn("compile skipped (torch.compile budget spent)",
                      report.case_line(doc["cases"][1]))

    def test_run_py_rejects_bad_budgets(self):
        for flag in ("--budget-s", "--compile-budget-s",
                     "--compile-timeout-s"):
            with contextlib.redirect_stderr(io.StringIO()) as err:
                with self.assertRaises(SystemExit) as e:
                    R.main(["--bundles", "x", flag, "0"])
            self.assertEqual(e.exception.code, 2)
            self.assertIn(f"{flag} must be positive", err.getvalue())


class FakeTorchModule:
    """Just enough of torch for run.py's main() with run_case replaced:
    device queries, the version strings."""
    __version__ = "0.0-fake"

    class version:
        cuda = "13.0"

    class cuda:
        @staticmethod
        def is_available():
            return True

        @staticmethod
        def set_device(device):
            pass

        @staticmethod
        def get_device_name(device):
            return "NVIDIA H100 80GB HBM3"

        @staticmethod
        def get_device_capability(device):
            return (9, 0)

    @staticmethod
    def device(kind, index):
        return (kind, index)


class RunMainTest(unittest.TestCase):
    """run.py's main() with a fake torch and run_case replaced: the budget
    loop, --skip-mirage, the results written after every case, the README
    table and the exit status."""

    def run_main(self, argv, case_seconds, clock):
        calls = []

        def fake_run_case(torch, runtime, references, case, args, device,
                          time_left=None):
            calls.append((case.bundle_name, args.skip_mirage))
            clock.now += case_seconds
            # The results so far are on disk before the next case starts.
            path = os.path.join(args.results_dir,
                                "gpu-nvidia-h100-80gb-hbm3-" +
                                R.datetime.date.today().isoformat() + ".json")
            if calls[1:]:
                with open(path) as f:
                    self.assertEqual(len(R.json.load(f)["cases"]),
                                     len(calls) - 1)
            mirage = {"skipped": "x"} if case.bundle_name in \
                args.skip_mirage.split(",") else {
                    "median_us": 1.0, "vs_hbm_floor": 2.0,
                    "numerics": {"passed": True, "mismatches": 0,
                                 "elements": 4}}
            return {"example": case.example.name, "batch": case.label,
                    "bundle": case.bundle_name, "hbm_floor_us": 0.5,
                    "impls": {"mirage": mirage}}

        saved = (R.run_case, R.measure_bandwidth, R.time.monotonic,
                 sys.modules.get("torch"), sys.modules.get("references"))
        R.run_case = fake_run_case
        R.measure_bandwidth = lambda torch, device: 3000.0
        R.time.monotonic = clock
        sys.modules["torch"] = FakeTorchModule
        sys.modules["references"] = FakeTorchModule
        try:
            with contextlib.redirect_stdout(io.StringIO()) as out, \
                    contextlib.redirect_stderr(io.StringIO()):
                status = R.main(argv)
        finally:
            (R.run_case, R.measure_bandwidth, R.time.monotonic) = saved[:3]
            for name, module in (("torch", saved[3]),
                                 ("references", saved[4])):
                if module is None:
                    del sys.modules[name]
                else:
                    sys.modules[name] = module
        return status, calls, out.getvalue()

    def test_budget_skips_cases_that_would_not_fit(self):
        with tempfile.TemporaryDirectory() as d:
            clock = FakeClock()
            # 12 s per case, 60 s in all: 20 s is the first guess, then 12 s
            # per case with 5 s kept: cases start at 0, 12, 24 and 36 s (left
            # 60, 48, 36, 24 >= 12 + 5), not at 48 s.
            status, calls, out = self.run_main(
                ["--bundles", d, "--results-dir", d, "--budget-s", "60",
                 "--only", "gqa,mqa,mha", "--skip-mirage", "mha-bs8"],
                12.0, clock)
            self.assertEqual([c[0] for c in calls],
                             ["gqa-bs1", "gqa-bs8", "mha-bs1", "mha-bs8"])
            self.assertEqual(calls[0][1], "mha-bs8")
            self.assertIn("mqa bs1: skipped (time budget)", out)
            self.assertIn("mqa bs8: skipped (time budget)", out)
            self.assertIn("mha bs8: mirage skipped (x)", out)
            path = os.path.join(d, "gpu-nvidia-h100-80gb-hbm3-" +
                                R.datetime.date.today().isoformat() + ".json")
            with open(path) as f:
                doc = R.json.load(f)
            self.assertTrue(doc["complete"])
            self.assertEqual(len(doc["cases"]), 6)
            self.assertEqual(doc["cases"][4]["skipped"], "time budget")
            self.assertEqual(doc["budget_s"], 60.0)
            with open(os.path.join(d, "README.md")) as f:
                self.assertIn("| gqa bs1 | 1.0 |", f.read())
            # Skipped cases and the skipped bundle have no passing result.
            self.assertEqual(status, 1)
            self.assertFalse(os.path.exists(path + ".tmp"))

    def test_no_budget_runs_every_case(self):
        with tempfile.TemporaryDirectory() as d:
            status, calls, _ = self.run_main(
                ["--bundles", d, "--results-dir", d, "--only", "lora"],
                1000.0, FakeClock())
            self.assertEqual([c[0] for c in calls], ["lora-bs1"])
            self.assertEqual(status, 0)


class DeviceCheckTest(unittest.TestCase):
    def parse_error(self, argv):
        with contextlib.redirect_stderr(io.StringIO()) as err:
            with self.assertRaises(SystemExit) as e:
                D.parse_args(argv)
        self.assertEqual(e.exception.code, 2)
        return err.getvalue()

    def test_command_line(self):
        args = D.parse_args(["--steps", "calibrate", "--out", "o"])
        self.assertEqual(args.steps, ["calibrate"])
        self.assertEqual(args.out, "o")
        self.assertEqual(len(args.cases), 15)
        self.assertTrue(args.mirage_run.endswith(
            os.path.join("build-device-check", "bin", "mirage-run")))
        self.assertIn("unknown step(s) nope", self.parse_error(
            ["--steps", "build,nope"]))
        self.assertIn("unknown step(s) (none)", self.parse_error(
            ["--steps", ","]))
        self.assertIn("--total-s must be between 60 and 3600",
                      self.parse_error(["--total-s", "30"]))
        self.assertIn("unknown example(s): bert", self.parse_error(
            ["--only", "bert"]))
        self.assertIn("invalid int value", self.parse_error(
            ["--total-s", "eight"]))

    def test_out_defaults_to_the_device_tools_folder(self):
        old = os.environ.get("OUT")
        os.environ["OUT"] = "/tmp/somewhere"
        try:
            self.assertEqual(D.parse_args([]).out, "/tmp/somewhere")
        finally:
            if old is None:
                del os.environ["OUT"]
            else:
                os.environ["OUT"] = old

    def make_bundles(self, root, names):
        for name, refs in names:
            os.makedirs(os.path.join(root, name))
            open(os.path.join(root, name, "x.json"), "w").close()
            if refs:
                os.makedirs(os.path.join(root, name, "expected"))

    def test_find_bundles(self):
        with tempfile.TemporaryDirectory() as d:
            self.make_bundles(d, [("gqa-bs1", True), ("gqa-bs8", False)])
            os.makedirs(os.path.join(d, "mqa-bs1"))  # no manifest
            found = D.find_bundles(d, C.cases(["gqa", "mqa"], [1, 8]))
            self.assertEqual(
                [(c.bundle_name, p is not None, r) for c, p, r in found],
                [("gqa-bs1", True, True), ("gqa-bs8", True, False),
                 ("mqa-bs1", False, False), ("mqa-bs8", False, False)])

    def test_dry_run(self):
        with tempfile.TemporaryDirectory() as d:
            self.make_bundles(d, [("lora-bs1", True)])
            with contextlib.redirect_stdout(io.StringIO()) as out:
                status = D.main(["--dry-run", "--bundles", d, "--only",
                                 "lora"])
            self.assertEqual(status, 0)
            text = out.getvalue()
            self.assertIn("time budget: 480 s", text)
            self.assertIn("lora-bs1: with interpreter outputs", text)
            self.assertIn("--seed 0 --expected " +
                          os.path.join(d, "lora-bs1", "expected"), text)
            self.assertIn("calibrate.py --budget-s 65", text)
            self.assertIn("run.py --bundles " + d + " --budget-s 205", text)
            # Nothing was built or written.
            self.assertFalse(os.path.exists(os.path.join(
                D.ROOT, "build-device-check", "device-check.log")))
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()) as err:
                self.assertEqual(D.main(["--dry-run", "--bundles",
                                         os.path.join(d, "none")]), 1)
            self.assertIn("make gpu-bundles", err.getvalue())
            # Calibration alone needs no bundles.
            with contextlib.redirect_stdout(io.StringIO()):
                self.assertEqual(D.main(["--dry-run", "--steps", "calibrate",
                                         "--bundles",
                                         os.path.join(d, "none")]), 0)

    def test_mixed_commands(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "mixed"))
            for name in ("b.o", "a.o", "a.expected.txt", "b.expected.txt"):
                open(os.path.join(d, "mixed", name), "w").close()
            with open(os.path.join(d, "mixed", "a.tolerance"), "w") as f:
                f.write("--rtol 1e-2 --atol 1e-3\n")
            found = D.find_mixed(d)
            self.assertEqual([os.path.basename(b) for b in found], ["a", "b"])
            args = D.parse_args(["--build-dir", os.path.join(d, "build")])
            link, run, compare = D.mixed_commands(args, found[0])
            self.assertIn(found[0] + ".o", link)
            self.assertEqual(link[-4:], ["-lcuda", "-lm", "-o",
                                         os.path.join(d, "build", "mixed",
                                                      "a")])
            self.assertEqual(run, [link[-1]])
            self.assertEqual(compare[-6:], [
                found[0] + ".expected.txt", run[0] + ".txt", "--rtol",
                "1e-2", "--atol", "1e-3"])
            self.assertEqual(D.mixed_commands(args, found[1])[2][-1],
                             D.mixed_commands(args, found[1])[1][0] + ".txt")
            self.assertEqual(D.find_mixed(os.path.join(d, "none")), [])

    def test_script_commands(self):
        args = D.parse_args(["--only", "gqa"])
        (calibrate,) = D.script_commands(args, "calibrate", 75)
        self.assertEqual(calibrate[-4:], ["--budget-s", "65", "--results-dir",
                                          args.results_dir])
        (bench,) = D.script_commands(args, "benchmark", 100,
                                     ["gqa-bs1", "gqa-bs8"])
        self.assertIn("90", bench)
        self.assertEqual(bench[-4:], ["--only", "gqa", "--skip-mirage",
                                      "gqa-bs1,gqa-bs8"])
        # A limit under the margin still gives the script a second.
        (short,) = D.script_commands(args, "calibrate", 5)
        self.assertEqual(short[3], "1")

    def test_written_since(self):
        with tempfile.TemporaryDirectory() as d:
            names = ["gpu-nvidia-h100-2026-12-06.json",
                     "gpu-calibration-nvidia-h100.json",
                     "gpu-bundles-nvidia-h100-2026-12-06.json",
                     "gpu-old-2026-01-01.json", "search.json"]
            for name in names:
                open(os.path.join(d, name), "w").close()
            old = os.path.join(d, "gpu-old-2026-01-01.json")
            os.utime(old, (1000, 1000))
            now = time.time()
            self.assertEqual(
                [os.path.basename(p) for p in
                 D.written_since(d, "benchmark", now)],
                ["gpu-nvidia-h100-2026-12-06.json"])
            self.assertEqual(
                [os.path.basename(p) for p in
                 D.written_since(d, "calibrate", now)],
                ["gpu-calibration-nvidia-h100.json"])

    def test_summary(self):
        text = D.summary([("build", True, 31.25, 120, "built"),
                          ("bundles", False, 2.0, 134, "2 failed\ndetail")],
                         33.3, 480)
        self.assertEqual(text.splitlines(), [
            "== summary",
            "  build      ok     31.2 s of 120  built",
            "  bundles    FAIL    2.0 s of 134  2 failed",
            "  total 33 s of 480"])

    def test_run_command_kills_on_timeout(self):
        with tempfile.TemporaryDirectory() as d:
            log = D.Log(os.path.join(d, "log"))
            start = time.monotonic()
            status, _ = D.run_command(
                ["sh", "-c", "sleep 30 & sleep 30; echo never"], 0.5, log)
            self.assertIsNone(status)
            self.assertLess(time.monotonic() - start, 10)
            status, output = D.run_command(["sh", "-c", "echo hi; exit 3"],
                                           10, log)
            self.assertEqual((status, output), (3, "hi\n"))
            log.close()

    def test_copy_out(self):
        with tempfile.TemporaryDirectory() as d:
            results = os.path.join(d, "results")
            os.makedirs(results)
            written = []
            for name in ("gpu-x-2026.json", "gpu-calibration-x.json",
                         "README.md"):
                with open(os.path.join(results, name), "w") as f:
                    f.write(name)
                if name != "README.md":
                    written.append(os.path.join(results, name))
            args = D.parse_args(["--results-dir", results, "--out",
                                 os.path.join(d, "out")])
            log = D.Log(os.path.join(d, "build", "device-check.log"))
            log.write("hello", console=False)
            with contextlib.redirect_stdout(io.StringIO()):
                D.copy_out(args, {"written": written + written[:1]}, log)
            log.close()
            out = sorted(os.listdir(os.path.join(d, "out")))
            # The device tool brings back at most 8 files.
            self.assertLessEqual(len(out), 8)
            self.assertEqual(out, ["README.md", "device-check.log",
                                   "gpu-calibration-x.json",
                                   "gpu-x-2026.json"])


if __name__ == "__main__":
    unittest.main(verbosity=1)
