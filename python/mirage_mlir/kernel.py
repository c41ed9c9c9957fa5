"""Kernel graphs (Mirage's KNGraph): building, superoptimizing, running.

A KNGraph is either being built (new_input, the ops, mark_output) or holds
MLIR text (mi.from_mlir, the result of superoptimize). Both print with
to_mlir() and run the same way: the text goes to the C++ libraries.
"""

import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile

from . import _mirage_mlir as _C
from . import runner
from .core import (DTensor, MirageError, ShapeError, _as_dtype, _dims,
                   caller_location, dtype_from_name, format_shape, infer,
                   tensor_type)
from .threadblock import TBGraph

__all__ = ["KNGraph", "new_kernel_graph", "from_mlir"]

_ids = itertools.count()

# superoptimize(config=...) and our presets.
_PRESETS = {None: "none", "none": "none", "attention": "attention",
            "mlp": "mlp", "lora": "lora"}


def new_kernel_graph(name=None):
    """An empty kernel graph; `name` is its function's name in MLIR."""
    return KNGraph(name=name)


def from_mlir(text, entry=None):
    """The graph of function `entry` (default: the first) of MLIR text."""
    return KNGraph(text=text, name=entry)


def _call(fn, *args):
    try:
        return fn(*args)
    except _C.Error as err:
        raise MirageError(str(err)) from None


class KNGraph:
    def __init__(self, name=None, text=None, remarks=""):
        self._count = itertools.count()
        self._inputs = []
        self._lines = []
        self._outputs = []
        self._produced = []  # every op result, in order
        self._used = set()   # the names ops read
        self._text = None
        self._kernel = None  # the CPU kernel, compiled on first call
        self._bundles = {}
        self.remarks = remarks
        if text is None:
            self.name = name or f"graph{next(_ids)}"
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_$.]*", self.name):
                raise ValueError(f"invalid graph name {self.name!r}")
            return
        if not isinstance(text, str):
            raise TypeError("from_mlir: expected MLIR text (str)")
        info = json.loads(_call(_C.describe, text, name or ""))
        self._text = text
        self.name = info["name"]
        values = info["values"]
        self._info = info
        self._inputs = [DTensor(self, f"%arg{i}", values[i]["shape"],
                                dtype_from_name(values[i]["dtype"]))
                        for i in range(info["num_inputs"])]
        self._outputs = [DTensor(self, f"%out{k}", values[v]["shape"],
                                 dtype_from_name(values[v]["dtype"]))
                         for k, v in enumerate(info["outputs"])]

    # Building ------------------------------------------------------------

    def _mutable(self, what):
        if self._text is not None:
            raise MirageError(f"{what}: the graph was made from MLIR text "
                              "(from_mlir or superoptimize); build a new "
                              "graph to add ops")
        self._kernel = None

    def _check(self, op, *tensors):
        for t in tensors:
            if not isinstance(t, DTensor) or t._graph is not self:
                raise TypeError(f"{op}: expected a DTensor of this graph, got "
                                f"{t!r}")
            if op != "mark_output":
                self._used.add(t._name)

    def _emit(self, text, shape, dtype):
        name = f"%v{next(self._count)}"
        self._lines.append(f"{name} = {text} {caller_location()}")
        t = DTensor(self, name, shape, dtype)
        self._produced.append(t)
        return t

    def new_input(self, dims, strides=None, dtype=None):
        self._mutable("new_input")
        from .core import float16
        dtype = float16 if dtype is None else _as_dtype(dtype)
        dims = _dims(dims, "new_input")
        if strides is not None:
            expect, step = [], 1
            for d in reversed(dims):
                expect.append(step)
                step *= d
            if tuple(strides) != tuple(reversed(expect)):
                raise ShapeError(
                    f"new_input: strides {tuple(strides)} are not the "
                    f"row-major strides {tuple(reversed(expect))} of "
                    f"{format_shape(dims)}; only row-major inputs are "
                    "supported")
        t = DTensor(self, f"%in{len(self._inputs)}", dims, dtype)
        self._inputs.append(t)
        return t

    def mark_output(self, A, strides=None):
        self._mutable("mark_output")
        self._check("mark_output", A)
        if strides is not None:
            expect, step = [], 1
            for d in reversed(A.shape):
                expect.append(step)
                step *= d
            if tuple(strides) != tuple(reversed(expect)):
                raise ShapeError(f"mark_output: strides {tuple(strides)} are "
                                 f"not row-major for {format_shape(A.shape)}")
        self._outputs.append(A)

    def _unary(self, op, A):
        self._mutable(op)
        self._check(op, A)
        return self._emit(f"kernel.{op} {A._name} : {A.type()}", A.shape,
                          A.dtype)

    def _binary(self, op, A, B, fn=_C.infer_broadcast):
        self._mutable(op)
        self._check(op, A, B)
        if A.dtype is not B.dtype:
            raise TypeError(f"{op}: operands of dtypes {A.dtype.name} and "
                            f"{B.dtype.name}")
        shape = infer(op, fn, list(A.shape), list(B.shape), operands=(A, B))
        return self._emit(f"kernel.{op} {A._name}, {B._name} : {A.type()}, "
                          f"{B.type()}", shape, A.dtype)

    def matmul(self, A, B):
        return self._binary("matmul", A, B, _C.infer_matmul)

    def add(self, A, B):
        return self._binary("add", A, B)

    def mul(self, A, B):
        return self._binary("mul", A, B)

    def div(self, A, B):
        return self._binary("div", A, B)

    def exp(self, A):
        return self._unary("exp", A)

    def silu(self, A):
        return self._unary("silu", A)

    def gelu(self, A):
        return self._unary("gelu", A)

    def relu(self, A):
        return self._unary("relu", A)

    def sqrt(self, A):
        return self._unary("sqrt", A)

    def square(self, A):
        return self._unary("square", A)

    def clamp(self, A, min_val, max_val):
        self._mutable("clamp")
        self._check("clamp", A)
        return self._emit(f"kernel.clamp {A._name} min {float(min_val)!r} max "
                          f"{float(max_val)!r} : {A.type()}", A.shape, A.dtype)

    def reduction(self, A, dim, size=1):
        """Sums dimension `dim` (Mirage's reduction: the dim becomes 1, or
        `size` by a strided sum)."""
        self._mutable("reduction")
        self._check("reduction", A)
        dim, size = int(dim), int(size)
        shape = infer("reduction", _C.infer_reduction, list(A.shape), dim,
                      size, operands=(A,))
        suffix = f" size {size}" if size != 1 else ""
        return self._emit(f"kernel.reduction {A._name} dim {dim}{suffix} : "
                          f"{A.type()}", shape, A.dtype)

    def rms_norm(self, A, normalized_shape=None):
        """RMS normalization over the trailing `normalized_shape` (default:
        the last dim). Mirage's older form rms_norm(X, G) with a weight
        tensor G multiplies by G."""
        self._mutable("rms_norm")
        self._check("rms_norm", A)
        weight = None
        if isinstance(normalized_shape, DTensor):
            weight, normalized_shape = normalized_shape, None
        if normalized_shape is None:
            normalized_shape = (A.shape[-1],)
        normalized = _dims(normalized_shape, "rms_norm")
        try:
            _C.check_rms_norm(list(A.shape), list(normalized))
        except ValueError as err:
            raise ShapeError(f"rms_norm({format_shape(A.shape)}, normalized "
                             f"{format_shape(normalized)}): {err}") from None
        over = ", ".join(str(d) for d in normalized)
        out = self._emit(f"kernel.rms_norm {A._name} over [{over}] : "
                         f"{A.type()}", A.shape, A.dtype)
        if weight is not None:
            out = self.mul(out, weight)
        return out

    def customized(self, inputs, bgraph):
        """A graph-defined kernel running the block graph `bgraph` on
        `inputs` (the DTensors its new_input calls loaded, in order)."""
        self._mutable("customized")
        if not isinstance(bgraph, TBGraph):
            raise TypeError("customized: expected a TBGraph")
        inputs = list(inputs)
        self._check("customized", *inputs)
        if len(inputs) != len(bgraph._inputs) or any(
                a is not b for a, b in zip(inputs, bgraph._inputs)):
            raise ValueError(
                f"customized: the block graph loads "
                f"{[t._name for t in bgraph._inputs]}, the inputs given are "
                f"{[t._name for t in inputs]}")
        region = bgraph._region()
        n = len(bgraph._outputs)
        name = f"%v{next(self._count)}"
        result = f"{name}:{n}" if n > 1 else name
        grid = ", ".join(str(v) for v in bgraph.grid_dim)
        block = ", ".join(str(v) for v in bgraph.block_dim)
        in_types = ", ".join(t.type() for t in inputs)
        out_types = ", ".join(tensor_type(s, d) for _, s, d in bgraph._outputs)
        args = ", ".join(t._name for t in inputs)
        head = (f"{result} = kernel.graph_defined ({args}) grid [{grid}] "
                f"block [{block}] forloop {bgraph.forloop_range} dimx "
                f"{bgraph.reduction_dimx} : ({in_types}) -> ({out_types}) {{")
        line = "\n".join([head] + region + ["  } " + caller_location()])
        results = [DTensor(self, f"{name}#{i}" if n > 1 else name, s, d)
                   for i, (_, s, d) in enumerate(bgraph._outputs)]
        # The block graph's rules (accumulation states, savers, limits) are
        # the verifiers': check the kernel now, so that the error points at
        # this call and the lines that built the block graph.
        self._verify(self._lines + [line], results)
        self._lines.append(line)
        self._produced.extend(results)
        return results

    def _verify(self, lines, results):
        args = ", ".join(f"{t._name}: {t.type()}" for t in self._inputs)
        types = ", ".join(t.type() for t in results)
        names = ", ".join(t._name for t in results)
        body = "\n".join("  " + line for line in lines)
        _call(_C.verify, f"func.func @{self.name}({args}) -> ({types}) {{\n"
                         f"{body}\n  return {names} : {types}\n}}\n")

    # Views ------------------------------------------------------------------

    def get_input_dtensors(self):
        return list(self._inputs)

    def get_output_dtensors(self):
        return list(self._effective_outputs())

    def _effective_outputs(self):
        if self._text is not None or self._outputs:
            return self._outputs
        # Mirage's README GQA example marks no output: the results no op
        # reads are the outputs then.
        return [t for t in self._produced if t._name not in self._used]

    def to_mlir(self):
        """The graph as an MLIR module: one func.func of kernel ops."""
        if self._text is not None:
            return self._text
        outputs = self._effective_outputs()
        if not outputs:
            raise MirageError(f"graph '{self.name}' has no outputs: "
                              "mark_output one of its tensors")
        args = ", ".join(f"{t._name}: {t.type()}" for t in self._inputs)
        results = ", ".join(t.type() for t in outputs)
        body = "\n".join("  " + line for line in self._lines)
        names = ", ".join(t._name for t in outputs)
        return (f"func.func @{self.name}({args}) -> ({results}) {{\n"
                f"{body}\n  return {names} : {results}\n}}\n")

    # Search ------------------------------------------------------------------

    def superoptimize(self, config=None, imaps=None, omaps=None, griddims=None,
                      blockdims=None, fmaps=None, franges=None,
                      verbose=False, backend="cpu", time_budget=None,
                      threads=None, cache=True, cache_dir=None, gpu=None,
                      target=None, top_k=None, seed=None, max_kernel_ops=None,
                      max_block_ops=None, max_graph_defined=None,
                      **mirage_only):
        """Searches for the fastest equivalent μGraph (--mirage-superoptimize)
        and returns it as a new KNGraph. config: None, 'attention', 'mlp' or
        'lora'; time_budget in seconds (default: $MIRAGE_MLIR_TIME_BUDGET,
        else 300); threads (default every core); cache and cache_dir (the
        persistent search cache; default dir $MIRAGE_MLIR_CACHE_DIR, else
        ~/.cache/mirage-mlir); gpu/target: the cost model's GPU (h100,
        h200); max_kernel_ops, max_block_ops, max_graph_defined: the
        search's limits (docs/Search.md). Mirage's profiling arguments (warmup_iters, profile_iters,
        save_codes, ...) are accepted and have no effect here: candidates
        are ranked by the cost model."""
        ignored = {"warmup_iters", "profile_iters", "save_codes",
                   "use_graph_dataset", "use_cached_graphs",
                   "is_formal_verified", "previous_checkpoint"}
        unknown = set(mirage_only) - ignored
        if unknown:
            raise TypeError(f"superoptimize: unknown arguments "
                            f"{sorted(unknown)}")
        if config not in _PRESETS:
            raise ValueError(f"superoptimize: unknown config {config!r} "
                             "(None, 'attention', 'mlp', 'lora')")
        if blockdims is not None:
            raise ValueError("superoptimize: blockdims must be None (as in "
                             "Mirage): block sizes follow the grid")
        if fmaps is not None:
            raise NotImplementedError(
                "superoptimize: fmaps is not an option of this search (it "
                "enumerates every loader's for-loop dimension)")
        # Mirage's backends pick its code generator; here one μGraph serves
        # the CPU and the PTX bundle whatever the backend.
        if backend not in ("cpu", "cuda", "triton", "nki"):
            raise ValueError(f"superoptimize: backend {backend!r}: 'cpu', "
                             "'cuda', 'triton' or 'nki'")
        options = [f"preset={_PRESETS[config]}"]
        if time_budget is None:
            time_budget = float(os.environ.get("MIRAGE_MLIR_TIME_BUDGET",
                                               300))
        options.append(f"time-budget={float(time_budget)!r}")
        if threads is not None:
            options.append(f"threads={int(threads)}")
        options.append(f"cache={'true' if cache else 'false'}")
        cache_dir = cache_dir or os.environ.get("MIRAGE_MLIR_CACHE_DIR")
        if cache_dir:
            if re.search(r"[\s{}=]", str(cache_dir)):
                raise ValueError("superoptimize: cache_dir must not contain "
                                 "spaces, braces or '='")
            options.append(f"cache-dir={cache_dir}")
        chip = gpu or target
        if chip is not None:
            options.append(f"gpu={str(chip).lower()}")
        if top_k is not None:
            options.append(f"top-k={int(top_k)}")
        if seed is not None:
            options.append(f"seed={int(seed)}")
        for key, value in (("max-kernel-ops", max_kernel_ops),
                           ("max-block-ops", max_block_ops),
                           ("max-graph-defined", max_graph_defined)):
            if value is not None:
                options.append(f"{key}={int(value)}")

        def axes(maps, what):
            out = []
            for m in maps:
                m = tuple(int(v) for v in m) + (-1,) * (3 - len(m))
                if len(m) != 3 or any(v < -1 or v > 9 for v in m):
                    raise ValueError(f"superoptimize: {what} entry {m}")
                out.append("".join("_" if v == -1 else str(v) for v in m))
            return ",".join(out)
        if imaps:
            options.append(f"imaps={axes(imaps, 'imaps')}")
        if omaps:
            options.append(f"omaps={axes(omaps, 'omaps')}")
        if griddims:
            grids = []
            for g in griddims:
                g = tuple(int(v) for v in g) + (1,) * (3 - len(g))
                grids.append("x".join(str(v) for v in g))
            options.append(f"grids={','.join(grids)}")
        if franges:
            options.append(
                f"forloop-ranges={','.join(str(int(f)) for f in franges)}")
        text, remarks = _call(_C.superoptimize, self.to_mlir(),
                              " ".join(options))
        if verbose:
            print(remarks, end="")
        return KNGraph(text=text, name=self.name, remarks=remarks)

    # Running -----------------------------------------------------------------

    def __call__(self, inputs=None, *args, stream=None, **kwargs):
        """Runs the graph: numpy arrays or torch CPU tensors on the CPU (the
        code --mirage-to-cpu generates, JIT-compiled once), torch CUDA
        tensors through the PTX bundle and mirage_runtime. Returns the list
        of outputs, of the inputs' kind."""
        if inputs is None:
            inputs = kwargs.pop("inputs", None)
        elif args:
            inputs = [inputs, *args]
        for key in kwargs:
            if key not in ("target_cc", "num_warp_groups", "pipeline_stages",
                           "profiling", "enable_online_softmax", "verbose"):
                raise TypeError(f"unknown argument {key!r}")
        if inputs is None:
            raise TypeError("expected the inputs: graph(inputs=[...])")
        return runner.run(self, list(inputs), stream)

    def interpret(self, inputs):
        """The reference interpreter's outputs for `inputs` (numpy arrays or
        torch tensors), as numpy arrays."""
        return runner.interpret(self, list(inputs))

    def check(self, inputs=None, seed=0):
        """Runs the CPU code and the interpreter on `inputs` (default: the
        interpreter's seeded random inputs) and compares every output with
        the project's one comparison. Returns a CheckResult (truthy when
        every output passes; str() is the report)."""
        return runner.check(self, inputs, seed)

    def cost(self, gpu="h100"):
        """The cost model's prediction: {'seconds', 'kernels': [...]}."""
        seconds, kernels = _call(_C.cost, self.to_mlir(), self.name,
                                 str(gpu).lower())
        return {"seconds": seconds, "kernels": json.loads(kernels)}

    def save_bundle(self, directory, chip="sm_90"):
        """Lowers with --mirage-to-ptx: DIR/NAME.ptx and DIR/NAME.json.
        Returns the manifest's path."""
        directory = os.path.abspath(str(directory))
        if re.search(r"[\s{}=]", directory):
            raise ValueError("save_bundle: the directory must not contain "
                             "spaces, braces or '='")
        if not re.fullmatch(r"sm_\d+a?", str(chip)):
            raise ValueError(f"save_bundle: chip {chip!r}: sm_75, sm_80, "
                             "sm_90, ...")
        os.makedirs(directory, exist_ok=True)
        _call(_C.write_bundle, self.to_mlir(), directory, str(chip))
        return os.path.join(directory, self.name + ".json")

    # Pictures ----------------------------------------------------------------

    def visualize(self, path):
        """Writes the graph as graphviz DOT (kernel ops green, each
        graph-defined kernel's block graph as a blue cluster) to PATH.dot,
        and PATH.svg or PATH.png too where `dot` is installed (PATH's suffix
        chooses; none: svg). Returns the files written."""
        from .visualizer import to_dot
        info = json.loads(_call(_C.describe, self.to_mlir(), self.name))
        base, ext = os.path.splitext(str(path))
        ext = ext.lower()
        if ext not in ("", ".dot", ".svg", ".png"):
            raise ValueError(f"visualize: {path}: the suffix must be .dot, "
                             ".svg or .png (or none)")
        dot_path = base + ".dot"
        with open(dot_path, "w") as f:
            f.write(to_dot(info))
        written = [dot_path]
        image = {"": "svg", ".svg": "svg", ".png": "png"}.get(ext)
        dot = shutil.which("dot")
        if image and dot:
            out = base + "." + image
            subprocess.run([dot, f"-T{image}", dot_path, "-o", out],
                           check=True)
            written.append(out)
        return written

    def __repr__(self):
        kind = "from MLIR" if self._text is not None else "built"
        return (f"KNGraph({self.name}, {kind}, {len(self._inputs)} inputs, "
                f"{len(self.get_output_dtensors())} outputs)")
