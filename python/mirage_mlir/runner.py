"""Running graphs: argument checks, the CPU kernel, CUDA through
mirage_runtime, the interpreter and the comparison."""

import sys
import tempfile

import numpy as np

from . import _mirage_mlir as _C
from .core import MirageError, format_shape

__all__ = ["CheckResult"]


def _call(fn, *args):
    try:
        return fn(*args)
    except _C.Error as err:
        raise MirageError(str(err)) from None


def _torch_module():
    return sys.modules.get("torch")


def _is_torch(x):
    torch = _torch_module()
    return torch is not None and isinstance(x, torch.Tensor)


def _specs(graph):
    return [(t.shape, t.dtype) for t in graph.get_input_dtensors()]


def _to_float32(graph, inputs):
    """Checks `inputs` against the graph's inputs (count, type, dtype, shape,
    strides, device) and returns (float32 arrays, dtype names, kind), kind
    'numpy', 'torch' or 'cuda'."""
    specs = _specs(graph)
    if len(inputs) != len(specs):
        raise ValueError(f"graph '{graph.name}' takes {len(specs)} inputs, "
                         f"{len(inputs)} were given")
    kinds = set()
    arrays = []
    for i, (x, (shape, dtype)) in enumerate(zip(inputs, specs)):
        where = f"input {i}"
        if _is_torch(x):
            kinds.add("cuda" if x.device.type == "cuda" else "torch")
            if x.device.type not in ("cpu", "cuda"):
                raise ValueError(f"{where}: device {x.device} (cpu or cuda)")
            got = str(x.dtype).replace("torch.", "")
            got_shape = tuple(x.shape)
            contiguous = x.is_contiguous()
            strides = tuple(x.stride())
        elif isinstance(x, np.ndarray):
            kinds.add("numpy")
            got = str(x.dtype)
            got_shape = x.shape
            contiguous = x.flags.c_contiguous
            strides = tuple(s // max(x.itemsize, 1) for s in x.strides)
        else:
            raise TypeError(f"{where}: expected a numpy array or a torch "
                            f"tensor, got {type(x).__name__}")
        want = dtype.torch_name
        if got != want:
            raise TypeError(f"{where}: dtype {got} where the graph takes "
                            f"{want}")
        if got_shape != tuple(shape):
            raise ValueError(f"{where}: shape {format_shape(got_shape)} "
                             f"where the graph takes {format_shape(shape)}")
        if not contiguous:
            raise ValueError(f"{where}: strides {strides} are not row-major "
                             f"(contiguous) for {format_shape(shape)}")
        if _is_torch(x):
            if x.device.type == "cuda":
                arrays.append(None)
                continue
            arrays.append(x.detach().float().numpy())
        else:
            arrays.append(np.ascontiguousarray(x, dtype=np.float32))
    if len(kinds) > 1:
        raise ValueError(f"inputs of different kinds {sorted(kinds)}: pass "
                         "all numpy arrays, all CPU tensors or all CUDA "
                         "tensors")
    kind = kinds.pop() if kinds else "numpy"
    return arrays, [d.name for _, d in specs], kind


def _outputs(results, kind, graph):
    outs = []
    for array, dtype in results:
        if kind == "torch":
            torch = _torch_module()
            t = torch.from_numpy(array)
            outs.append(t.to(getattr(torch, {"f16": "float16", "f32":
                                             "float32", "bf16": "bfloat16"}[
                                                 dtype])))
        else:
            np_name = {"f16": "float16", "f32": "float32"}.get(dtype)
            outs.append(array.astype(np_name) if np_name else array)
    return outs


def _entry(graph):
    return graph.name


def run(graph, inputs, stream):
    arrays, dtypes, kind = _to_float32(graph, inputs)
    if kind == "cuda":
        return _run_cuda(graph, inputs, stream)
    if graph._kernel is None:
        graph._kernel = _call(_C.CpuKernel, graph.to_mlir(), _entry(graph), 2)
    results = _call(graph._kernel.run, arrays, dtypes)
    return _outputs(results, kind, graph)


def _run_cuda(graph, inputs, stream):
    try:
        import mirage_runtime
    except ImportError:
        raise MirageError(
            "CUDA tensors need the mirage_runtime package (runtime/python, "
            "built where cuda.h is found; PYTHONPATH=<build>/runtime/python)"
        ) from None
    torch = _torch_module()
    major, minor = torch.cuda.get_device_capability(inputs[0].device)
    chip = f"sm_{major}{minor}"
    bundle = graph._bundles.get(chip)
    if bundle is None:
        directory = tempfile.mkdtemp(prefix="mirage-mlir-bundle-")
        graph.save_bundle(directory, chip)
        bundle = mirage_runtime.Bundle(directory)
        graph._bundles[chip] = bundle
    return list(bundle(*inputs, stream=stream))


def interpret(graph, inputs):
    arrays, dtypes, kind = _to_float32(graph, inputs)
    if kind == "cuda":
        inputs = [x.cpu() for x in inputs]
        arrays, dtypes, kind = _to_float32(graph, inputs)
    results = _call(_C.interpret, graph.to_mlir(), _entry(graph), arrays,
                    dtypes)
    return _outputs(results, kind if kind == "torch" else "numpy", graph)


class CheckResult:
    """The comparison of the CPU code's outputs with the interpreter's:
    `passed`, and `report`, one line per output and PASS or the failures."""

    def __init__(self, passed, report):
        self.passed = passed
        self.report = report

    def __bool__(self):
        return self.passed

    def __str__(self):
        return self.report

    def __repr__(self):
        return f"CheckResult(passed={self.passed})"


def check(graph, inputs, seed):
    text = graph.to_mlir()
    if inputs is None:
        pairs = _call(_C.random_inputs, text, _entry(graph), int(seed), 0.0)
        arrays = [a for a, _ in pairs]
        dtypes = [d for _, d in pairs]
    else:
        arrays, dtypes, kind = _to_float32(graph, list(inputs))
        if kind == "cuda":
            raise MirageError("check: pass CPU inputs (the check runs the "
                              "CPU code and the interpreter)")
    if graph._kernel is None:
        graph._kernel = _call(_C.CpuKernel, text, _entry(graph), 2)
    got = _call(graph._kernel.run, arrays, dtypes)
    want = _call(_C.interpret, text, _entry(graph), arrays, dtypes)
    out_dtypes = [d for _, d in want]
    passed, report = _call(_C.compare, [a for a, _ in got],
                           [a for a, _ in want], out_dtypes)
    return CheckResult(passed, report)
