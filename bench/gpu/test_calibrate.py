#!/usr/bin/env python3
"""Tests of bench/gpu/calibrate.py without a GPU: a simulated device whose
figures follow the cost model's own formula, from which the derivation must
recover them; the plan's arithmetic; the file's form. With --write FILE it
also writes the calibration file of the simulated device (for the C++
loader's lit test).

  python3 bench/gpu/test_calibrate.py [--write FILE]
"""

import contextlib
import io
import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibrate as K  # noqa: E402

# The simulated H100: 132 SMs, 3.0e12 B/s, one SM draws 4% of it with 16 KiB
# in flight (proportionally less with less), 2.0 us per kernel in a graph,
# 650e12 mma.sync FLOP/s with 8 warps per SM or more, 60e12 FMA FLOP/s.
SMS = 132
DRAM = 3.0e12
SHARE = 0.04
LAUNCH = 2.0e-6
MMA = 650e12
FMA = 60e12


class FakeDevice:
    def __init__(self, index, fail=()):
        self.fail = fail
        self.reads = []

    def properties(self):
        return {"name": "NVIDIA H100 80GB HBM3", "compute_capability": "sm_90",
                "num_sms": SMS, "shared_memory_per_block_optin": 232448,
                "l2_bytes": 50 << 20}

    def _maybe_fail(self, what):
        if what in self.fail:
            raise RuntimeError(f"simulated {what} failure")

    def launch_graph(self, count):
        self._maybe_fail("launch")
        return LAUNCH

    def launch_stream(self, count):
        return 2.5e-6

    def launch_single(self):
        return 4e-6

    def read(self, blocks, threads, loads, per_block, region, regions):
        self._maybe_fail("bandwidth")
        self.reads.append((blocks, threads, loads, per_block, region,
                           regions))
        inflight = K.in_flight_bytes(threads, loads)
        share = SHARE * min(1.0, inflight / K.REFERENCE_IN_FLIGHT)
        bw = DRAM * min(1.0, min(blocks, SMS) * share)
        return region * 16 / bw

    def calibrate_iters(self, kind, blocks, threads):
        return 1000

    def rate(self, kind, blocks, threads, iters):
        self._maybe_fail(kind)
        warps_per_sm = blocks // SMS * threads // 32
        if kind == "mma":
            flops = blocks * threads // 32 * iters * K.MMA_CHAINS * \
                K.MMA_FLOPS
            return flops / (MMA * min(1.0, warps_per_sm / 8))
        flops = blocks * threads * iters * K.FMA_CHAINS * 2
        return flops / FMA


class FakeCupy:
    """The part of CuPy's API that CupyDevice uses, on the host: kernels
    are looked up in calibration_kernels.cu and called with the number of
    arguments their signature has, events advance a clock by what the
    simulated device above would take. Catches mistakes in CupyDevice's
    use of the API that only a GPU run would otherwise show."""

    def __init__(self):
        with open(K.KERNELS) as f:
            source = f.read()
        # name -> number of parameters, from the source.
        self.params = {}
        for name, params in re.findall(
                r'void (\w+)\(([^)]*)\)', source.replace("##UNROLL", "")):
            self.params[name] = 0 if not params.strip() else \
                params.count(",") + 1
        for loads in (1, 2, 4, 8):
            self.params[f"read_u{loads}"] = self.params["read_u"]
        self.launches = []
        self.clock = 0.0
        self.capturing = None
        cp = self

        class Device:
            def __init__(self, index):
                self.index = index
                self.attributes = {"MultiProcessorCount": SMS,
                                   "MaxSharedMemoryPerBlockOptin": 232448,
                                   "L2CacheSize": 50 << 20}

            def use(self):
                pass

        class Runtime:
            @staticmethod
            def getDeviceProperties(index):
                return {"name": b"NVIDIA H100 80GB HBM3", "major": 9,
                        "minor": 0}

        class Event:
            def record(self, stream=None):
                self.time = cp.clock

        class Graph:
            def __init__(self, launches):
                self.launches = launches

            def launch(self, stream=None):
                for launch in self.launches:
                    cp._run(*launch)

        class Stream:
            def __init__(self, non_blocking=False):
                pass

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def begin_capture(self):
                cp.capturing = []

            def end_capture(self):
                graph, cp.capturing = Graph(cp.capturing), None
                return graph

            def synchronize(self):
                pass

        class Cuda:
            pass

        Cuda.Device, Cuda.runtime, Cuda.Event = Device, Runtime, Event
        Cuda.Stream = Stream
        Cuda.get_elapsed_time = staticmethod(
            lambda start, end: (end.time - start.time) * 1e3)
        self.cuda = Cuda
        self.__version__ = "fake"

    def _run(self, name, grid, block, args):
        fake = FakeDevice(0)
        if name == "empty_kernel":
            self.clock += LAUNCH
        elif name.startswith("read_u"):
            loads = int(name[len("read_u"):])
            _, _, chunk, _ = args
            region = int(chunk) * grid[0]
            self.clock += fake.read(grid[0], block[0], loads, int(chunk),
                                    region, 2)
        else:
            kind = "mma" if name == "mma_m16n8k16" else "fma"
            self.clock += fake.rate(kind, grid[0], block[0], int(args[0]))

    def RawModule(self, code, options=()):
        cp = self

        class Module:
            def get_function(self, name):
                if name not in cp.params:
                    raise KeyError(name)

                def kernel(grid, block, args):
                    assert isinstance(grid, tuple) and \
                        isinstance(block, tuple)
                    if len(args) != cp.params[name]:
                        raise TypeError(f"{name} takes {cp.params[name]} "
                                        f"arguments, got {len(args)}")
                    cp.launches.append(name)
                    if cp.capturing is not None:
                        cp.capturing.append((name, grid, block, args))
                    else:
                        cp._run(name, grid, block, args)
                return kernel
        return Module()

    def zeros(self, n, dtype=None):
        return [0] * n

    def arange(self, n, dtype=None):
        class Buffer:
            def __imul__(self, other):
                return self
        return Buffer()

    uint32 = int
    int32 = int


class FakeNumpy:
    uint64 = int
    int32 = int
    float32 = float


def simulated_document():
    m = K.measure(FakeDevice(0), K.Deadline(60))
    return K.document(m, K.derive(m), "test", 60, 1.0)


class DeriveTest(unittest.TestCase):
    def test_recovers_the_simulated_figures(self):
        m = K.measure(FakeDevice(0), K.Deadline(60))
        cm = K.derive(m)
        self.assertEqual(cm["num_sms"], SMS)
        self.assertEqual(cm["shared_memory_per_block"], 232448)
        self.assertAlmostEqual(cm["dram_bytes_per_second"] / DRAM, 1.0)
        self.assertAlmostEqual(cm["bandwidth_share_of_one_sm"], SHARE)
        self.assertEqual(cm["launch_seconds"], LAUNCH)
        self.assertAlmostEqual(cm["tensor_flops_per_second"] / MMA, 1.0)
        self.assertAlmostEqual(cm["cuda_flops_per_second"] / FMA, 1.0)
        self.assertEqual(set(cm), set(K.COST_MODEL_FIELDS))
        by = m["bandwidth"]["share_of_one_sm_by_bytes_in_flight"]
        self.assertAlmostEqual(by["4096"], SHARE / 4)

    def test_a_failed_section_leaves_its_fields_out(self):
        m = K.measure(FakeDevice(0, fail=("bandwidth", "mma")),
                      K.Deadline(60))
        self.assertIn("simulated bandwidth failure", m["bandwidth"]["error"])
        cm = K.derive(m)
        self.assertNotIn("dram_bytes_per_second", cm)
        self.assertNotIn("bandwidth_share_of_one_sm", cm)
        self.assertNotIn("tensor_flops_per_second", cm)
        self.assertIn("launch_seconds", cm)
        self.assertIn("cuda_flops_per_second", cm)

    def test_spent_budget_stops_every_section(self):
        m = K.measure(FakeDevice(0), K.Deadline(-1))
        for section in ("launch", "bandwidth", "mma", "fma"):
            self.assertIn("budget spent", m[section]["error"])
        self.assertEqual(set(K.derive(m)),
                         {"num_sms", "shared_memory_per_block"})

    def test_fit_share(self):
        # Linear below saturation: the slope; saturated points ignored.
        pts = [(1, 0.05 * 3e12), (2, 0.10 * 3e12), (66, 3e12), (132, 3e12)]
        self.assertAlmostEqual(K.fit_share(pts, 3e12, 132), 0.05)
        # Blocks beyond the SMs count as the SMs.
        self.assertAlmostEqual(K.fit_share([(264, 0.5 * 3e12)], 3e12, 132),
                               0.5 / 132)
        # One block saturates: the share of that block, at most 1.
        self.assertEqual(K.fit_share([(1, 3e12)], 3e12, 132), 1.0)
        with self.assertRaises(ValueError):
            K.fit_share(pts, 0, 132)

    def test_derive_rejects_nonsense(self):
        m = {"device": {"num_sms": SMS},
             "launch": {"graph_seconds_per_kernel": -1.0}}
        with self.assertRaisesRegex(ValueError, "launch_seconds"):
            K.derive(m)


class CupyDeviceTest(unittest.TestCase):
    def test_measures_through_the_cupy_api(self):
        fake = FakeCupy()
        saved = {m: sys.modules.get(m) for m in ("cupy", "numpy")}
        sys.modules["cupy"], sys.modules["numpy"] = fake, FakeNumpy
        try:
            m = K.measure(K.CupyDevice(0), K.Deadline(60))
        finally:
            for name, module in saved.items():
                if module is None:
                    del sys.modules[name]
                else:
                    sys.modules[name] = module
        for section in ("launch", "bandwidth", "mma", "fma"):
            self.assertNotIn("error", m[section], m[section].get("error"))
        self.assertEqual(m["device"]["name"], "NVIDIA H100 80GB HBM3")
        self.assertEqual(m["device"]["compute_capability"], "sm_90")
        cm = K.derive(m)
        self.assertAlmostEqual(cm["launch_seconds"] / LAUNCH, 1.0)
        self.assertAlmostEqual(cm["dram_bytes_per_second"] / DRAM, 1.0)
        self.assertAlmostEqual(cm["bandwidth_share_of_one_sm"], SHARE)
        self.assertAlmostEqual(cm["tensor_flops_per_second"] / MMA, 1.0)
        self.assertAlmostEqual(cm["cuda_flops_per_second"] / FMA, 1.0)
        for name in ("empty_kernel", "read_u1", "read_u8", "mma_m16n8k16",
                     "fma_f32"):
            self.assertIn(name, fake.launches)


class PlanTest(unittest.TestCase):
    def test_block_counts(self):
        self.assertEqual(K.block_counts(132),
                         [1, 2, 4, 8, 16, 32, 66, 132, 264, 528, 1056])
        self.assertEqual(K.block_counts(2), [1, 2, 4, 8, 16, 32])

    def test_read_plans_fit_and_rotate_past_l2(self):
        for threads, loads in K.IN_FLIGHT:
            for blocks in K.block_counts(132):
                per_block, region, regions = K.read_plan(blocks, threads,
                                                         loads)
                self.assertEqual(per_block % (threads * loads), 0)
                self.assertEqual(region, per_block * blocks)
                self.assertLessEqual(region * 16 * regions,
                                     K.READ_BUFFER_BYTES)
                # Two successive launches never read the same bytes, and
                # the bytes between two reads of a region exceed a 60 MB L2.
                self.assertGreaterEqual(regions, 2)
                self.assertGreater(region * 16 * (regions - 1), 60e6)

    def test_gpu_key_and_slug(self):
        self.assertEqual(K.gpu_key("NVIDIA H100 80GB HBM3"), "h100")
        self.assertEqual(K.gpu_key("NVIDIA H200"), "h200")
        self.assertIsNone(K.gpu_key("NVIDIA A100-SXM4-80GB"))
        self.assertEqual(K.slug("NVIDIA H100 80GB HBM3"),
                         "nvidia-h100-80gb-hbm3")

    def test_dry_run_needs_no_gpu(self):
        self.assertIn("mma.sync m16n8k16", K.plan_text())
        self.assertEqual(K.main(["--dry-run"]), 0)


class FileTest(unittest.TestCase):
    def test_main_writes_the_file(self):
        with tempfile.TemporaryDirectory() as d:
            status = K.main(["--results-dir", d, "--budget-s", "30"],
                            device_factory=FakeDevice)
            self.assertEqual(status, 0)
            path = os.path.join(d, "gpu-calibration-nvidia-h100-80gb-hbm3"
                                ".json")
            with open(path) as f:
                doc = json.load(f)
            self.assertEqual(doc["format"], K.FORMAT)
            self.assertEqual(doc["version"], K.VERSION)
            self.assertEqual(doc["gpu"], "h100")
            self.assertEqual(set(doc["cost_model"]),
                             set(K.COST_MODEL_FIELDS))
            self.assertEqual(os.listdir(d), [os.path.basename(path)])

    def test_main_fails_when_a_section_fails(self):
        with tempfile.TemporaryDirectory() as d:
            status = K.main(["--out", os.path.join(d, "c.json")],
                            device_factory=lambda i: FakeDevice(
                                i, fail=("mma",)))
            self.assertEqual(status, 1)
            with open(os.path.join(d, "c.json")) as f:
                self.assertIn("error", json.load(f)["measurements"]["mma"])

    def test_setup_failure_is_reported(self):
        def broken(index):
            raise RuntimeError("NVRTC_ERROR_COMPILATION: line 3")
        with tempfile.TemporaryDirectory() as d:
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                status = K.main(["--results-dir", d], device_factory=broken)
            self.assertEqual(status, 1)
            self.assertIn("cannot set up the device: RuntimeError: "
                          "NVRTC_ERROR_COMPILATION", err.getvalue())
            self.assertEqual(os.listdir(d), [])

    def test_kernel_names_exist(self):
        with open(K.KERNELS) as f:
            source = f.read()
        for loads in {u for _, u in K.IN_FLIGHT}:
            self.assertIn(f"READ_KERNEL({loads})", source)
        for name in ("empty_kernel", "mma_m16n8k16", "fma_f32"):
            self.assertIn(f"void {name}(", source)
        self.assertIn(f"#define MMA_CHAINS {K.MMA_CHAINS}", source)
        self.assertIn(f"#define FMA_CHAINS {K.FMA_CHAINS}", source)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        with open(sys.argv[2], "w") as f:
            json.dump(simulated_document(), f, indent=2)
        sys.exit(0)
    unittest.main(verbosity=1)
