"""Mirage's Python API on Mirage-MLIR (docs/Python.md).

    import mirage_mlir as mi
    graph = mi.new_kernel_graph()
    X = graph.new_input(dims=(16, 4096), dtype=mi.float16)
    W = graph.new_input(dims=(4096, 64), dtype=mi.float16)
    O = graph.matmul(graph.rms_norm(X), W)
    graph.mark_output(O)
    optimized = graph.superoptimize(time_budget=30)
    (out,) = optimized([x, w])        # numpy arrays or torch CPU tensors

    compiled = torch.compile(model, backend=mi.backend)   # FX regions

Everything runs in-process on the project's C++ libraries (the extension
_mirage_mlir): the verifiers, the search, the interpreter, the CPU lowering
and its JIT, the cost model and the PTX bundle writer.
"""

from .core import (DType, DTensor, MirageError, ShapeError, STensor, bfloat16,
                   float16, float32)
from .backend_torch import MirageBackend, MirageFallbackWarning, backend
from .kernel import KNGraph, from_mlir, new_kernel_graph
from .runner import CheckResult
from .threadblock import TBGraph, new_threadblock_graph

__all__ = [
    "DType", "DTensor", "STensor", "MirageError", "ShapeError", "float16",
    "bfloat16", "float32", "KNGraph", "TBGraph", "CheckResult",
    "new_kernel_graph", "new_threadblock_graph", "from_mlir", "superoptimize",
    "backend", "MirageBackend", "MirageFallbackWarning",
]


def superoptimize(graph, **kwargs):
    """mi.superoptimize(graph, ...), the older spelling of
    graph.superoptimize(...)."""
    return graph.superoptimize(**kwargs)
