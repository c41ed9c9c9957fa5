"""The GPU benchmark cases: every example at batch sizes 1 and 8.

Torch-free, so that it is tested on machines without torch or a GPU
(bench/gpu/test_cases.py). Shapes follow the header of each
examples/<name>.mlir: the batch size b multiplies one leading extent of every
tensor (e.g. Q of MHA is 32b x 16 x 64), except for the three examples whose
shapes are fixed (the original benchmark script ignores the batch size for
them), which are run once, as batch "fixed".
"""

import os
import re
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EXAMPLES_DIR = os.path.join(ROOT, "examples")
BATCH_SIZES = (1, 8)

Shape = Tuple[int, ...]


class Example(NamedTuple):
    name: str
    # Input and output shapes at batch size 1, in argument order.
    inputs: Tuple[Shape, ...]
    outputs: Tuple[Shape, ...]
    # The leading extent that scales with the batch size (2 for "2b x ..."),
    # or None when the shapes are fixed.
    batch_lead: Optional[int]
    # The --mirage-superoptimize preset (bench/search/run_search_bench.py).
    preset: str
    # Has a scaled_dot_product_attention baseline.
    attention: bool
    # Random inputs are uniform in [-scale, scale): small enough that no
    # fp16 intermediate overflows (see INPUT_SCALES).
    scale: float


# exp(Q.K) with a 64-long dot product of U(-s, s) values has standard
# deviation 64^0.5 s^2 / 3: s = 0.5 keeps it near 0.67, far from fp16's
# exp overflow at 11. MoE's exp(X.A) sums 4096 products: s = 0.2 keeps the
# standard deviation near 0.85. Everything else computes polynomials of
# moderate size at s = 1.
EXAMPLES: Tuple[Example, ...] = (
    Example("rmsnorm_matmul", ((2, 4096), (4096, 6144)), ((2, 6144),), 2,
            "mlp", False, 1.0),
    Example("gated_mlp", ((8, 4096), (4096, 4096), (4096, 4096)),
            ((8, 4096),), None, "mlp", False, 1.0),
    Example("lora", ((16, 256), (256, 4096), (256, 16), (16, 4096)),
            ((16, 4096),), None, "lora", False, 1.0),
    Example("gqa", ((2, 256, 64), (2, 64, 4096), (2, 4096, 64)),
            ((2, 256, 64),), 2, "attention", True, 0.5),
    Example("qknorm_gqa", ((2, 256, 64), (2, 64, 4096), (2, 4096, 64)),
            ((2, 256, 64),), 2, "attention", True, 0.5),
    Example("mha", ((32, 16, 64), (32, 64, 4096), (32, 4096, 64)),
            ((32, 16, 64),), 32, "attention", True, 0.5),
    Example("mqa", ((1, 1024, 64), (1, 64, 4096), (1, 4096, 64)),
            ((1, 1024, 64),), 1, "attention", True, 0.5),
    Example("ntrans", ((8, 4096), (8, 4096), (8, 4096)), ((8, 4096),), 8,
            "none", False, 1.0),
    Example("moe", ((8, 8, 4096), (8, 4096, 4096), (8, 4096, 4096)),
            ((8, 8, 4096),), None, "none", False, 0.2),
)

BYTES_PER_ELEMENT = 2  # every example is fp16


class Case(NamedTuple):
    example: Example
    batch: Optional[int]  # None: fixed shapes

    @property
    def label(self) -> str:
        return "fixed" if self.batch is None else f"bs{self.batch}"

    @property
    def bundle_name(self) -> str:
        """The bundle directory: <example>-bs<N> (bs1 for fixed shapes)."""
        return f"{self.example.name}-bs{self.batch or 1}"

    def scale_shape(self, shape: Shape) -> Shape:
        lead = self.example.batch_lead
        if lead is None or self.batch is None or shape[0] != lead:
            return tuple(shape)
        return (shape[0] * self.batch,) + tuple(shape[1:])

    @property
    def input_shapes(self) -> List[Shape]:
        return [self.scale_shape(s) for s in self.example.inputs]

    @property
    def output_shapes(self) -> List[Shape]:
        return [self.scale_shape(s) for s in self.example.outputs]

    @property
    def bytes_moved(self) -> int:
        """Compulsory HBM traffic: every input read once, every output
        written once. No implementation can move less."""
        elements = sum(_count(s) for s in self.input_shapes +
                       self.output_shapes)
        return elements * BYTES_PER_ELEMENT


def _count(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def cases(names: Optional[Sequence[str]] = None,
          batch_sizes: Sequence[int] = BATCH_SIZES) -> List[Case]:
    """The cases of the named examples (all by default)."""
    known = {e.name: e for e in EXAMPLES}
    unknown = [n for n in names or [] if n not in known]
    if unknown:
        raise ValueError(f"unknown example(s): {', '.join(unknown)} "
                         f"(known: {', '.join(known)})")
    out = []
    for e in EXAMPLES:
        if names and e.name not in names:
            continue
        if e.batch_lead is None:
            out.append(Case(e, None))
        else:
            out.extend(Case(e, b) for b in batch_sizes)
    return out


def hbm_floor_us(case: Case, bandwidth_gbs: float) -> float:
    """The time to move case.bytes_moved at bandwidth_gbs (GB/s), in us."""
    return case.bytes_moved / (bandwidth_gbs * 1e9) * 1e6


# Peak HBM bandwidth (GB/s) by device name, from the vendor's data sheets.
PEAK_BANDWIDTH_GBS: Dict[str, float] = {
    "H200": 4800.0,
    "H100 80GB HBM3": 3350.0,  # SXM
    "H100 NVL": 3900.0,
    "H100 PCIe": 2000.0,
    "A100-SXM4-80GB": 2039.0,
    "A100 80GB PCIe": 1935.0,
    "A100-SXM4-40GB": 1555.0,
    "A100-PCIE-40GB": 1555.0,
    "L40S": 864.0,
}


def peak_bandwidth_gbs(device_name: str) -> Optional[float]:
    # Longest key first: "H100 NVL" before a shorter match.
    for key in sorted(PEAK_BANDWIDTH_GBS, key=len, reverse=True):
        if key in device_name:
            return PEAK_BANDWIDTH_GBS[key]
    return None


_TENSOR_LEAD = re.compile(r"tensor<(\d+)x")


def batched_mlir(text: str, example: Example, batch: int) -> str:
    """The example's MLIR at batch size `batch`: every tensor type whose
    leading extent is the example's batch lead gets it multiplied."""
    if example.batch_lead is None or batch == 1:
        return text
    lead = example.batch_lead

    def scale(m):
        d = int(m.group(1))
        return f"tensor<{d * batch if d == lead else d}x"

    return _TENSOR_LEAD.sub(scale, text)


def signature_shapes(text: str) -> Tuple[List[Shape], List[Shape]]:
    """The argument and result shapes of the func.func in `text` (the first
    one), for checking batched_mlir against Case shapes."""
    m = re.search(r"func\.func\s+@\w+\((.*?)\)\s*->\s*(\(.*?\)|tensor<[^>]*>)",
                  text, re.S)
    if not m:
        raise ValueError("no func.func signature found")

    def shapes(part):
        return [tuple(int(d) for d in t.split("x")[:-1])
                for t in re.findall(r"tensor<([^>]*)>", part)]

    return shapes(m.group(1)), shapes(m.group(2))


def percentile_stats(samples_ms: Sequence[float]) -> Dict[str, float]:
    """Median, min, nearest-rank p90 and mean, in microseconds (the same
    statistics as mirage-run --bench)."""
    s = sorted(samples_ms)
    n = len(s)
    if n == 0:
        raise ValueError("no samples")
    median = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    p90 = s[(9 * n + 9) // 10 - 1]
    return {"runs": n, "median_us": median * 1e3, "min_us": s[0] * 1e3,
            "p90_us": p90 * 1e3, "mean_us": sum(s) / n * 1e3}
