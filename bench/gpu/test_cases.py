#!/usr/bin/env python3
"""Tests of the torch-free parts of the GPU benchmark: case shapes, the
batched MLIR, HBM floors, statistics and the report. With --mirage-opt it
also checks that every batched example parses and verifies.

  python3 bench/gpu/test_cases.py [--mirage-opt build/bin/mirage-opt]
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cases as C  # noqa: E402
import report  # noqa: E402

MIRAGE_OPT = None


def read_example(name):
    with open(os.path.join(C.EXAMPLES_DIR, name + ".mlir")) as f:
        return f.read()


class CasesTest(unittest.TestCase):
    def test_every_example_is_a_case(self):
        files = sorted(f[:-5] for f in os.listdir(C.EXAMPLES_DIR)
                       if f.endswith(".mlir"))
        self.assertEqual(sorted(e.name for e in C.EXAMPLES), files)

    def test_batch_one_shapes_are_the_examples(self):
        for e in C.EXAMPLES:
            ins, outs = C.signature_shapes(read_example(e.name))
            self.assertEqual(ins, list(e.inputs), e.name)
            self.assertEqual(outs, list(e.outputs), e.name)

    def test_batched_mlir_matches_the_case_shapes(self):
        for case in C.cases():
            text = C.batched_mlir(read_example(case.example.name),
                                  case.example, case.batch or 1)
            ins, outs = C.signature_shapes(text)
            self.assertEqual(ins, case.input_shapes, case.bundle_name)
            self.assertEqual(outs, case.output_shapes, case.bundle_name)

    def test_batch_scaling(self):
        mha8 = C.Case(dict((e.name, e) for e in C.EXAMPLES)["mha"], 8)
        self.assertEqual(mha8.input_shapes,
                         [(256, 16, 64), (256, 64, 4096), (256, 4096, 64)])
        rms8 = C.Case(dict((e.name, e) for e in C.EXAMPLES)
                      ["rmsnorm_matmul"], 8)
        # W is not batched even though only X's leading 2 scales.
        self.assertEqual(rms8.input_shapes, [(16, 4096), (4096, 6144)])
        self.assertEqual(rms8.bundle_name, "rmsnorm_matmul-bs8")
        self.assertEqual(rms8.bytes_moved,
                         2 * (16 * 4096 + 4096 * 6144 + 16 * 6144))

    def test_case_list(self):
        labels = [f"{c.example.name} {c.label}" for c in C.cases()]
        self.assertEqual(len(labels), 6 * 2 + 3)
        self.assertIn("gated_mlp fixed", labels)
        self.assertIn("mqa bs8", labels)
        self.assertEqual([c.bundle_name for c in C.cases(["lora"])],
                         ["lora-bs1"])
        with self.assertRaises(ValueError):
            C.cases(["nope"])

    def test_hbm_floor(self):
        case = C.cases(["rmsnorm_matmul"], [1])[0]
        # 50.4 MB at 1000 GB/s: 50.4 us.
        self.assertAlmostEqual(C.hbm_floor_us(case, 1000.0),
                               case.bytes_moved / 1e6)
        self.assertEqual(C.peak_bandwidth_gbs("NVIDIA H100 80GB HBM3"),
                         3350.0)
        self.assertEqual(C.peak_bandwidth_gbs("NVIDIA H100 NVL"), 3900.0)
        self.assertIsNone(C.peak_bandwidth_gbs("Some GPU"))

    def test_statistics(self):
        s = C.percentile_stats([float(i) for i in range(100, 0, -1)])
        self.assertEqual(s["runs"], 100)
        self.assertEqual(s["median_us"], 50500.0)
        self.assertEqual(s["p90_us"], 90000.0)
        self.assertEqual(s["min_us"], 1000.0)

    def test_batched_examples_verify(self):
        tool = MIRAGE_OPT or os.environ.get("MIRAGE_OPT")
        if not tool:
            self.skipTest("needs --mirage-opt")
        with tempfile.TemporaryDirectory() as tmp:
            for case in C.cases():
                path = os.path.join(tmp, case.bundle_name + ".mlir")
                with open(path, "w") as f:
                    f.write(C.batched_mlir(read_example(case.example.name),
                                           case.example, case.batch or 1))
                run = subprocess.run([tool, path, "-o", os.devnull],
                                     capture_output=True, text=True)
                self.assertEqual(run.returncode, 0,
                                 case.bundle_name + ": " + run.stderr)


def sample_doc():
    return {
        "date": "2026-01-01", "device": "NVIDIA H100 80GB HBM3",
        "compute_capability": "sm_90", "torch": "2.5.0", "cuda": "12.4",
        "timing": {"graphs": True, "warmup": 20, "iters": 200},
        "bandwidth_gbs": {"measured_copy": 2900.0, "peak": 3350.0},
        "cases": [{
            "example": "gqa", "batch": "bs1", "bundle": "gqa-bs1",
            "hbm_floor_us": 2.5,
            "impls": {
                "mirage": {"median_us": 10.0, "vs_hbm_floor": 4.0,
                           "numerics": {"passed": True, "mismatches": 0,
                                        "elements": 32768}},
                "eager": {"median_us": 30.25},
                "compile": {"error": "no triton"},
                "sdpa": {"median_us": 8.0},
            }}],
    }


class ReportTest(unittest.TestCase):
    def test_table(self):
        self.assertEqual(
            report.table(sample_doc()).splitlines()[2],
            "| gqa bs1 | 10.0 | 30.2 | error | 8.0 | 2.5 | 4.0x | ok |")

    def test_case_line(self):
        self.assertEqual(
            report.case_line(sample_doc()["cases"][0]),
            "gqa bs1: mirage 10.0 us (ok), eager 30.2 us (-), compile "
            "error: no triton, sdpa 8.0 us (-); HBM floor 2.5 us")

    def test_readme_section_is_replaced(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "README.md")
            with open(path, "w") as f:
                f.write("# Results\n\nKept.\n")
            report.update_readme(path, sample_doc(), "a.json")
            doc = sample_doc()
            doc["date"] = "2026-02-02"
            report.update_readme(path, doc, "b.json")
            with open(path) as f:
                text = f.read()
            self.assertTrue(text.startswith("# Results\n\nKept.\n\n"))
            self.assertEqual(text.count(report.BEGIN), 1)
            self.assertIn("2026-02-02", text)
            self.assertNotIn("a.json", text)
            json.dumps(doc)  # the document stays serializable


if __name__ == "__main__":
    if "--mirage-opt" in sys.argv:
        i = sys.argv.index("--mirage-opt")
        MIRAGE_OPT = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    unittest.main()
