#!/usr/bin/env python3
"""Measures on the GPU what the cost model assumes, and writes
bench/results/gpu-calibration-<device>.json.

The cost model (docs/CostModel.md) prices a kernel launch as

  launch + max(bytes / bandwidth(blocks), tensor FLOPs / tensor rate,
               CUDA-core FLOPs / CUDA-core rate)

with bandwidth(blocks) = DRAM bandwidth x min(1, blocks x share of one SM).
Small kernels of our own (calibration_kernels.cu, compiled by NVRTC through
CuPy) measure each figure:

  * read bandwidth against the number of blocks (1 .. 8 x SMs) and the
    bytes in flight per block (threads x 16 B x independent loads, 2 to
    64 KiB): the DRAM bandwidth is the best of them, the share of one SM
    the least-squares slope of bandwidth / DRAM bandwidth against the busy
    SMs below saturation, at REFERENCE_IN_FLIGHT bytes per block;
  * launch overhead: empty kernels back to back in a CUDA graph (per kernel;
    what a bundle's kernels cost one after another), on a stream, and one
    launch alone between two events;
  * tensor-core rate: mma.sync.m16n8k16 f16 x f16 + f32 chains, 4 to 16
    warps per SM (the instruction our kernels use), per SM and in all;
  * CUDA-core rate: fp32 FMA chains;
  * SM count and the opt-in shared memory per block, read off the device.

  bench/gpu/calibrate.py [--results-dir bench/results] [--out FILE]
      [--budget-s 75] [--device 0] [--dry-run]

--dry-run prints the plan (no GPU, no CuPy). Every section that fails is
recorded with its error and its cost-model fields are left out, so the model
keeps its assumed figure for them. The file's "cost_model" object is what
--mirage-superoptimize='calibration=FILE' (or MIRAGE_GPU_CALIBRATION) reads.
"""

import argparse
import datetime
import json
import math
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KERNELS = os.path.join(HERE, "calibration_kernels.cu")

FORMAT = "mirage-gpu-calibration"
VERSION = 1

# The fields of "cost_model", as the C++ loader (lib/Search/Calibration.cpp)
# reads them, with their type.
COST_MODEL_FIELDS = {
    "num_sms": int,
    "shared_memory_per_block": int,
    "dram_bytes_per_second": float,
    "bandwidth_share_of_one_sm": float,
    "tensor_flops_per_second": float,
    "cuda_flops_per_second": float,
    "launch_seconds": float,
}

# (threads per block, independent 16-byte loads per thread): bytes in flight
# per block = threads x 16 x loads.
IN_FLIGHT = ((128, 1), (256, 1), (256, 2), (256, 4), (256, 8), (512, 8))
# The bytes in flight per block at which the share of one SM is fitted:
# about one pipeline stage of our loaders (two 64x64 fp16 tiles).
REFERENCE_IN_FLIGHT = 16384
# Points at or above this fraction of the DRAM bandwidth are saturated and
# left out of the fit of the share.
SATURATED = 0.7

READ_BUFFER_BYTES = 1 << 30  # 1 GiB: far larger than L2
READ_BYTES_PER_BLOCK = 8 << 20
READ_MAX_BYTES = 512 << 20
MMA_FLOPS = 2 * 16 * 8 * 16
MMA_CHAINS = 8  # calibration_kernels.cu
FMA_CHAINS = 8
TARGET_KERNEL_SECONDS = 3e-3
REPS = 10
WARMUP = 2
LAUNCH_STREAM_COUNT = 1000
LAUNCH_GRAPH_COUNT = 100


def in_flight_bytes(threads, loads):
    return threads * 16 * loads


def block_counts(num_sms):
    """1, 2, 4, ... 32, then SMs/2, SMs, 2, 4 and 8 x SMs."""
    counts = [1, 2, 4, 8, 16, 32, num_sms // 2, num_sms, 2 * num_sms,
              4 * num_sms, 8 * num_sms]
    return sorted(set(c for c in counts if c >= 1))


def read_plan(blocks, threads, loads):
    """(vectors per block, vectors per launch, launches before the region
    repeats) of one bandwidth configuration. A block reads a multiple of
    threads x loads 16-byte vectors; successive launches read successive
    regions of the 1 GiB buffer, so that no launch finds its data in L2."""
    unit = threads * loads
    total = min(READ_MAX_BYTES, blocks * READ_BYTES_PER_BLOCK)
    per_block = max(unit, (total // blocks // 16) // unit * unit)
    region = per_block * blocks
    regions = (READ_BUFFER_BYTES // 16) // region
    if regions < 1:
        raise ValueError(f"{blocks} blocks of {per_block * 16} bytes do not "
                         "fit the read buffer")
    return per_block, region, regions


def gpu_key(device_name):
    """The cost model's parameter set for a device name ("h100", "h200"),
    or None for a device it has none for."""
    if "H200" in device_name:
        return "h200"
    if "H100" in device_name:
        return "h100"
    return None


def slug(device_name):
    return re.sub(r"[^a-z0-9]+", "-", device_name.lower()).strip("-")


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        raise ValueError("no samples")
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def fit_share(points, dram, num_sms):
    """The share of the DRAM bandwidth one busy SM draws: the least-squares
    slope through the origin of bandwidth / dram against busy SMs
    (min(blocks, SMs)), over the points below saturation. With none below
    saturation (one block already saturates), the share of one block."""
    if dram <= 0:
        raise ValueError("DRAM bandwidth must be positive")
    rows = [(min(b, num_sms), bw / dram) for b, bw in points
            if bw < SATURATED * dram]
    if not rows:
        b, bw = min(points)
        return min(1.0, bw / dram / min(b, num_sms))
    return sum(x * y for x, y in rows) / sum(x * x for x, _ in rows)


def derive(measurements):
    """The cost-model fields from the measurements (only those measured)."""
    out = {}
    props = measurements.get("device") or {}
    num_sms = props.get("num_sms")
    if num_sms:
        out["num_sms"] = int(num_sms)
    if props.get("shared_memory_per_block_optin"):
        out["shared_memory_per_block"] = int(
            props["shared_memory_per_block_optin"])
    bw = measurements.get("bandwidth") or {}
    points = bw.get("points") or []
    if points and num_sms:
        dram = max(p["bytes_per_second"] for p in points)
        out["dram_bytes_per_second"] = dram
        reference = [(p["blocks"], p["bytes_per_second"]) for p in points
                     if p["bytes_in_flight_per_block"] == REFERENCE_IN_FLIGHT]
        if reference:
            out["bandwidth_share_of_one_sm"] = fit_share(reference, dram,
                                                         num_sms)
    launch = measurements.get("launch") or {}
    if "graph_seconds_per_kernel" in launch:
        out["launch_seconds"] = launch["graph_seconds_per_kernel"]
    for section, field in (("mma", "tensor_flops_per_second"),
                           ("fma", "cuda_flops_per_second")):
        points = (measurements.get(section) or {}).get("points") or []
        if points:
            out[field] = max(p["flops_per_second"] for p in points)
    for name, value in out.items():
        kind = COST_MODEL_FIELDS[name]
        if not (isinstance(value, kind) and value > 0 and
                math.isfinite(value)):
            raise ValueError(f"derived {name} = {value!r} is not a positive "
                             f"finite {kind.__name__}")
    return out


def sweep_per_in_flight(points, num_sms):
    """For the report: the share of one SM fitted at each bytes in flight."""
    if not points:
        return {}
    dram = max(p["bytes_per_second"] for p in points)
    by = {}
    for p in points:
        by.setdefault(p["bytes_in_flight_per_block"], []).append(
            (p["blocks"], p["bytes_per_second"]))
    return {str(k): fit_share(v, dram, num_sms) for k, v in sorted(by.items())}


class Deadline:
    def __init__(self, seconds, clock=time.monotonic):
        self.clock = clock
        self.end = clock() + seconds

    def left(self):
        return self.end - self.clock()

    def check(self, what):
        if self.left() <= 0:
            raise TimeoutError(f"calibration budget spent before {what}")


def measure(dev, deadline):
    """Every section, each in its own try: a failure is recorded and the
    others still run. `dev` is a CupyDevice (or a test's fake)."""
    m = {"device": dev.properties()}
    num_sms = m["device"]["num_sms"]

    def section(name, fn):
        try:
            deadline.check(name)
            m[name] = fn()
        except Exception as e:  # recorded; the model keeps its assumption
            m[name] = {"error": f"{type(e).__name__}: {e}"}

    def launch():
        return {"graph_seconds_per_kernel": dev.launch_graph(
                    LAUNCH_GRAPH_COUNT),
                "stream_seconds_per_kernel": dev.launch_stream(
                    LAUNCH_STREAM_COUNT),
                "single_launch_event_seconds": dev.launch_single(),
                "graph_kernels": LAUNCH_GRAPH_COUNT,
                "stream_kernels": LAUNCH_STREAM_COUNT}

    def bandwidth():
        points = []
        for threads, loads in IN_FLIGHT:
            for blocks in block_counts(num_sms):
                deadline.check("the bandwidth sweep")
                per_block, region, regions = read_plan(blocks, threads, loads)
                seconds = dev.read(blocks, threads, loads, per_block, region,
                                   regions)
                points.append({
                    "blocks": blocks, "threads": threads,
                    "loads_per_thread": loads,
                    "bytes_in_flight_per_block": in_flight_bytes(threads,
                                                                 loads),
                    "bytes": region * 16, "seconds": seconds,
                    "bytes_per_second": region * 16 / seconds})
        return {"kernel": "read_u<loads> (calibration_kernels.cu)",
                "points": points,
                "share_of_one_sm_by_bytes_in_flight":
                    sweep_per_in_flight(points, num_sms),
                "reference_bytes_in_flight": REFERENCE_IN_FLIGHT}

    def rate(kind, chains, flops_per_op, configs):
        points = []
        for blocks_per_sm, threads in configs:
            deadline.check(f"the {kind} rate")
            blocks = blocks_per_sm * num_sms
            iters = dev.calibrate_iters(kind, blocks, threads)
            seconds = dev.rate(kind, blocks, threads, iters)
            ops = blocks * (threads // 32 if kind == "mma" else threads) * \
                iters * chains
            points.append({"blocks": blocks, "threads": threads,
                           "warps_per_sm": blocks_per_sm * threads // 32,
                           "iters": iters, "seconds": seconds,
                           "flops_per_second": ops * flops_per_op / seconds,
                           "flops_per_second_per_sm":
                               ops * flops_per_op / seconds / num_sms})
        return {"points": points}

    section("launch", launch)
    section("bandwidth", bandwidth)
    section("mma", lambda: dict(rate("mma", MMA_CHAINS, MMA_FLOPS,
                                     ((1, 128), (2, 128), (4, 128))),
                                instruction="mma.sync.aligned.m16n8k16.row."
                                "col.f32.f16.f16.f32"))
    section("fma", lambda: rate("fma", FMA_CHAINS, 2,
                                ((4, 256), (2, 1024))))
    return m


class CupyDevice:
    """The measurements, through CuPy (NVRTC, events, graph capture)."""

    def __init__(self, index):
        import cupy as cp
        import numpy as np
        self.cp, self.np = cp, np
        self.index = index
        cp.cuda.Device(index).use()
        with open(KERNELS) as f:
            source = f.read()
        self.module = cp.RawModule(code=source, options=("-std=c++17",))
        self.sink = cp.zeros(4, dtype=cp.uint32)
        self.buffer = None
        self.stream = cp.cuda.Stream(non_blocking=True)

    def properties(self):
        cp = self.cp
        props = cp.cuda.runtime.getDeviceProperties(self.index)
        name = props["name"]
        if isinstance(name, bytes):
            name = name.decode()
        attrs = cp.cuda.Device(self.index).attributes
        return {"name": name,
                "compute_capability": f"sm_{props['major']}{props['minor']}",
                "num_sms": int(attrs["MultiProcessorCount"]),
                "shared_memory_per_block_optin":
                    int(attrs["MaxSharedMemoryPerBlockOptin"]),
                "l2_bytes": int(attrs["L2CacheSize"]),
                "clock_khz": int(attrs.get("ClockRate", 0)),
                "memory_clock_khz": int(attrs.get("MemoryClockRate", 0)),
                "memory_bus_bits": int(attrs.get("GlobalMemoryBusWidth", 0)),
                "cupy": cp.__version__}

    def _time(self, launch, reps=REPS, warmup=WARMUP):
        """Median seconds of `reps` calls launch(i), each between its own
        pair of events on the stream, after `warmup` calls."""
        cp = self.cp
        with self.stream:
            for i in range(warmup):
                launch(i)
            starts = [cp.cuda.Event() for _ in range(reps)]
            ends = [cp.cuda.Event() for _ in range(reps)]
            for i in range(reps):
                starts[i].record(self.stream)
                launch(warmup + i)
                ends[i].record(self.stream)
            self.stream.synchronize()
        return median(cp.cuda.get_elapsed_time(s, e) * 1e-3
                      for s, e in zip(starts, ends))

    def launch_stream(self, count):
        k = self.module.get_function("empty_kernel")

        def many(_):
            for _ in range(count):
                k((1,), (32,), ())
        return self._time(many, reps=5) / count

    def launch_single(self):
        k = self.module.get_function("empty_kernel")
        return self._time(lambda _: k((1,), (32,), ()), reps=100, warmup=10)

    def launch_graph(self, count):
        k = self.module.get_function("empty_kernel")
        with self.stream:
            self.stream.begin_capture()
            for _ in range(count):
                k((1,), (32,), ())
            graph = self.stream.end_capture()
        return self._time(lambda _: graph.launch(self.stream), reps=20,
                          warmup=3) / count

    def read(self, blocks, threads, loads, per_block, region, regions):
        np = self.np
        if self.buffer is None:
            # Scrambled words, never zeros (reads of zeros can time
            # differently from real data).
            cp = self.cp
            self.buffer = cp.arange(READ_BUFFER_BYTES // 4, dtype=cp.uint32)
            self.buffer *= cp.uint32(2654435761)
        k = self.module.get_function(f"read_u{loads}")
        return self._time(lambda i: k(
            (blocks,), (threads,),
            (self.buffer, np.uint64((i % regions) * region),
             np.uint64(per_block), self.sink)))

    def _rate_launch(self, kind, blocks, threads, iters):
        np = self.np
        if kind == "mma":
            k = self.module.get_function("mma_m16n8k16")
            return lambda _: k((blocks,), (threads,),
                               (np.int32(iters), self.sink))
        k = self.module.get_function("fma_f32")
        return lambda _: k((blocks,), (threads,),
                           (np.int32(iters), np.float32(0.999), self.sink))

    def calibrate_iters(self, kind, blocks, threads):
        """Iterations that make the kernel run about 3 ms."""
        probe = 256
        t = self._time(self._rate_launch(kind, blocks, threads, probe),
                       reps=3, warmup=1)
        return max(probe, min(1 << 24, int(probe * TARGET_KERNEL_SECONDS /
                                           max(t, 1e-7))))

    def rate(self, kind, blocks, threads, iters):
        return self._time(self._rate_launch(kind, blocks, threads, iters))


def document(measurements, cost_model, command, budget_s, elapsed_s):
    props = measurements.get("device") or {}
    name = props.get("name", "unknown")
    return {"format": FORMAT, "version": VERSION,
            "device": name, "gpu": gpu_key(name),
            "compute_capability": props.get("compute_capability"),
            "date": datetime.date.today().isoformat(),
            "command": command, "budget_s": budget_s,
            "elapsed_s": elapsed_s,
            "cost_model": cost_model, "measurements": measurements}


def plan_text(num_sms=132):
    lines = [f"calibration plan ({num_sms} SMs assumed for the listing):"]
    counts = block_counts(num_sms)
    lines.append(f"  launch: {LAUNCH_GRAPH_COUNT} empty kernels in a graph, "
                 f"{LAUNCH_STREAM_COUNT} on a stream, one alone")
    lines.append(f"  bandwidth: blocks {counts} x bytes in flight per block "
                 f"{[in_flight_bytes(t, u) for t, u in IN_FLIGHT]} "
                 f"({len(counts) * len(IN_FLIGHT)} points, {REPS} timed "
                 "launches each)")
    lines.append(f"  mma.sync m16n8k16: 4, 8, 16 warps per SM, "
                 f"~{TARGET_KERNEL_SECONDS * 1e3:.0f} ms each")
    lines.append("  fp32 FMA: 32 and 64 warps per SM")
    return "\n".join(lines)


def main(argv=None, device_factory=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results-dir",
                        default=os.path.join(ROOT, "bench", "results"))
    parser.add_argument("--out", help="the file to write (default: "
                        "RESULTS_DIR/gpu-calibration-<device>.json)")
    parser.add_argument("--budget-s", type=float, default=75.0,
                        help="stop measuring after this many seconds")
    parser.add_argument("--device", type=int, default=0)
    parser.add_argument("--dry-run", action="store_true",
                        help="print the plan and stop (no GPU)")
    args = parser.parse_args(argv)
    if args.budget_s <= 0:
        parser.error("--budget-s must be positive")
    if args.dry_run:
        print(plan_text())
        return 0
    start = time.monotonic()
    deadline = Deadline(args.budget_s)
    try:
        dev = (device_factory or CupyDevice)(args.device)
    except ImportError as e:
        print(f"calibrate.py needs CuPy and numpy: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # NVRTC's log, a CUDA error: nothing measured
        print(f"calibrate.py: cannot set up the device: {type(e).__name__}: "
              f"{e}", file=sys.stderr)
        return 1
    measurements = measure(dev, deadline)
    cost_model = derive(measurements)
    command = " ".join(["bench/gpu/calibrate.py"] +
                       (argv if argv is not None else sys.argv[1:]))
    doc = document(measurements, cost_model, command, args.budget_s,
                   time.monotonic() - start)
    path = args.out or os.path.join(
        args.results_dir, f"gpu-calibration-{slug(doc['device'])}.json")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    failed = [k for k in ("launch", "bandwidth", "mma", "fma")
              if "error" in measurements.get(k, {})]
    for name in COST_MODEL_FIELDS:
        value = cost_model.get(name)
        print(f"  {name:28} " + ("not measured" if value is None else
                                 f"{value:.6g}"))
    for k in failed:
        print(f"  {k}: {measurements[k]['error']}", file=sys.stderr)
    print(f"wrote {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
