"""torch.compile(model, backend=mirage_mlir.backend) (docs/Python.md,
"torch.compile backend").

The backend receives the FX graph TorchDynamo captured, lowers it to ATen
ops through AOTAutograd (softmax decomposed), and splits it with
torch.fx's CapabilityBasedPartitioner into the regions whose every op has a
kernel-dialect counterpart. Each region becomes a kernel graph (MLIR text
of `kernel.*` ops, read with mirage_mlir.from_mlir), is superoptimized
through the persistent search cache, and is replaced by the compiled graph;
everything else runs as PyTorch runs it. Static shapes only: an op whose
shape is symbolic, or whose dtype is not f16, bf16 or f32, stays in
PyTorch, with a warning that says why.
"""

import math
import os
import re
import warnings

from . import _mirage_mlir as _C
from .core import MirageError, format_shape
from .kernel import from_mlir

__all__ = ["backend", "MirageBackend", "MirageFallbackWarning", "Region"]


class MirageFallbackWarning(UserWarning):
    """Ops that mirage_mlir could cover run in PyTorch instead (dynamic
    shapes, an unsupported dtype, a region the compiler rejected)."""


class _Unsupported(Exception):
    """An op the kernel dialect does not express; the message says why."""


class _Fallback(_Unsupported):
    """An op of the vocabulary that still runs in PyTorch for a reason the
    user should hear about (dynamic shapes, dtypes): warned about."""


_OPTION_NAMES = ("config", "time_budget", "threads", "cache", "cache_dir",
                 "gpu", "target", "top_k", "seed", "max_kernel_ops",
                 "max_block_ops", "max_graph_defined", "imaps", "omaps",
                 "griddims", "franges")


class Region:
    """One region of an FX graph the backend compiled: `name` (the fused
    submodule), `ops` (the ATen ops it covers), `mlir` (its kernel graph),
    `graph` (the superoptimized mirage_mlir graph, None when the region
    runs in PyTorch), `remarks` (the search's), `fallback` (why it runs in
    PyTorch, else None), `calls` (how often the compiled graph ran)."""

    def __init__(self, name, ops, mlir=None, graph=None, remarks="",
                 fallback=None):
        self.name = name
        self.ops = ops
        self.mlir = mlir
        self.graph = graph
        self.remarks = remarks
        self.fallback = fallback
        self.calls = 0

    @property
    def replaced(self):
        return self.graph is not None

    def __repr__(self):
        state = "compiled" if self.replaced else f"eager: {self.fallback}"
        return f"Region({self.name}, {len(self.ops)} ops, {state})"


class MirageBackend:
    """A torch.compile backend. `mirage_mlir.backend` is one with the
    default options; `mirage_mlir.backend.with_options(time_budget=10,
    ...)`, `functools.partial(mirage_mlir.backend, time_budget=10)` and
    `torch.compile(..., options={...})` give others. The options are
    superoptimize's keyword arguments (docs/Python.md, "Searching");
    time_budget defaults to $MIRAGE_MLIR_BACKEND_TIME_BUDGET, else 5
    seconds per region. `regions` lists every region of every graph this
    backend compiled, in order."""

    def __init__(self, **options):
        _check_options(options)
        self.options = options
        self.regions = []

    def with_options(self, **options):
        merged = dict(self.options)
        merged.update(options)
        return MirageBackend(**merged)

    def __call__(self, gm, example_inputs, options=None, mode=None,
                 **kwargs):
        torch = _torch()
        if mode not in (None, "default"):
            raise ValueError(f"mirage_mlir.backend: mode {mode!r}: only the "
                             "default mode (pass options instead)")
        merged = dict(self.options)
        for extra in (options or {}), kwargs:
            _check_options(extra)
            merged.update(extra)
        from torch._dynamo.backends.common import aot_autograd
        from torch._functorch.aot_autograd import make_boxed_func

        def forward(fx, inputs):
            return make_boxed_func(self._compile(fx, merged))

        def backward(fx, inputs):
            # Inference is what the backend compiles; a backward graph runs
            # in PyTorch.
            return make_boxed_func(fx.forward)

        # Softmax as amax, sub, exp, sum and div. nn.RMSNorm and
        # F.rms_norm arrive decomposed already and match the RMSNorm
        # pattern (_Translator.rms_norm_pattern).
        decompositions = torch._decomp.get_decompositions(
            [torch.ops.aten._softmax])
        compiled = aot_autograd(fw_compiler=forward, bw_compiler=backward,
                                decompositions=decompositions)
        return compiled(gm, example_inputs)

    # The graph pass ---------------------------------------------------------

    def _compile(self, gm, options):
        from torch.fx.passes.infra.partitioner import CapabilityBasedPartitioner
        from torch.fx.passes.operator_support import OperatorSupportBase

        warned = {}

        class Support(OperatorSupportBase):
            def is_node_supported(self, submodules, node):
                if node.op != "call_function":
                    return False
                try:
                    _Translator.check(node)
                    return True
                except _Fallback as err:
                    warned.setdefault(str(err), []).append(str(node.target))
                    return False
                except _Unsupported:
                    return False

        partitioner = CapabilityBasedPartitioner(
            gm, Support(), allows_single_node_partition=True)
        partitions = partitioner.propose_partitions()
        for reason, ops in warned.items():
            warnings.warn(f"mirage_mlir.backend: {len(ops)} op(s) "
                          f"({', '.join(sorted(set(ops)))}) run in PyTorch: "
                          f"{reason}", MirageFallbackWarning, stacklevel=2)
        # A region of layout ops alone (views, transposes, casts) gains
        # nothing from a kernel of its own.
        partitions = [p for p in partitions
                      if any(_is_compute(n) for n in p.nodes)]
        if not partitions:
            return gm.forward
        fused = partitioner.fuse_partitions(partitions, prefix="mirage_")
        for node in list(fused.graph.nodes):
            if node.op != "call_module" or not node.target.startswith(
                    "mirage_"):
                continue
            sub = getattr(fused, node.target)
            region = self._compile_region(node.target, sub, options)
            self.regions.append(region)
            if region.replaced:
                setattr(fused, node.target, _region_module(region, sub))
        fused.recompile()
        return fused.forward

    def _compile_region(self, name, sub, options):
        ops = [str(n.target) for n in sub.graph.nodes
               if n.op == "call_function"]
        try:
            translator = _Translator(name)
            text = translator.translate(sub)
        except _Unsupported as err:
            warnings.warn(f"mirage_mlir.backend: region {name} runs in "
                          f"PyTorch: {err}", MirageFallbackWarning)
            return Region(name, ops, fallback=str(err))
        search = {k: v for k, v in options.items()}
        search.setdefault("time_budget", float(os.environ.get(
            "MIRAGE_MLIR_BACKEND_TIME_BUDGET", 5)))
        try:
            graph = from_mlir(text).superoptimize(**search)
        except MirageError as err:
            warnings.warn(f"mirage_mlir.backend: region {name} runs in "
                          f"PyTorch: the compiler rejected it: {err}",
                          MirageFallbackWarning)
            return Region(name, ops, mlir=text, fallback=str(err))
        try:
            # Compiled now, so that a region the CPU lowering rejects runs in
            # PyTorch instead of failing at its first call.
            graph._kernel = _C.CpuKernel(graph.to_mlir(), graph.name, 2)
        except _C.Error as err:
            warnings.warn(f"mirage_mlir.backend: region {name} runs in "
                          f"PyTorch: the CPU lowering rejected it: {err}",
                          MirageFallbackWarning)
            return Region(name, ops, mlir=text, remarks=graph.remarks,
                          fallback=str(err))
        graph._backend_layout = translator.layout
        return Region(name, ops, mlir=text, graph=graph,
                      remarks=graph.remarks)


def _check_options(options):
    unknown = set(options) - set(_OPTION_NAMES)
    if unknown:
        raise TypeError(f"mirage_mlir.backend: unknown options "
                        f"{sorted(unknown)} (known: {', '.join(_OPTION_NAMES)})")


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("mirage_mlir.backend needs torch") from None
    return torch


def _region_module(region, eager):
    """A module that stands for a fused submodule: the compiled graph on CPU
    tensors, the submodule (PyTorch) on tensors of other devices."""
    global _RegionModule
    if _RegionModule is None:
        class RegionModule(_torch().nn.Module):
            def __init__(self, region, eager):
                super().__init__()
                self.region = region
                self.eager = eager

            forward = _run_region
        _RegionModule = RegionModule
    return _RegionModule(region, eager)


_RegionModule = None


def _run_region(self, *args):
    layout = self.region.graph._backend_layout
    if any(a.device.type != "cpu" for a in args):
        return self.eager(*args)
    torch = _torch()
    inputs = [args[i].contiguous() for i in layout.arg_order]
    inputs += [torch.full(shape, value, dtype=dtype)
               for value, shape, dtype in layout.scalars]
    results = self.region.graph(inputs) if layout.num_results else []
    self.region.calls += 1
    outs = []
    for source, index in layout.outputs:
        if source == "result":
            outs.append(results[index])
        else:  # an input the region returns as it is
            outs.append(args[index].clone())
    return tuple(outs) if layout.tuple_output else outs[0]


class _Layout:
    """How a region's arguments and results map to the kernel graph's."""

    def __init__(self):
        self.arg_order = []   # the submodule's argument feeding each input
        self.scalars = []     # (value, shape, torch dtype) of extra inputs
        self.outputs = []     # ("result", i) or ("arg", submodule arg i)
        self.num_results = 0
        self.tuple_output = True


# Translation ----------------------------------------------------------------

_DTYPES = {"torch.float16": "f16", "torch.bfloat16": "bf16",
           "torch.float32": "f32"}

_UNARY = {"exp": "exp", "silu": "silu", "relu": "relu", "sqrt": "sqrt",
          "rsqrt": "rsqrt", "neg": "neg", "sigmoid": "sigmoid",
          "tanh": "tanh", "erf": "erf", "gelu": "gelu"}
_BINARY = {"add": "add", "sub": "sub", "mul": "mul", "div": "div"}
_LAYOUT = {"view", "_unsafe_view", "reshape", "squeeze", "unsqueeze",
           "clone", "alias", "t", "transpose", "permute", "expand",
           "_to_copy", "convert_element_type", "flatten"}
_COMPUTE = (set(_UNARY) | set(_BINARY) | {"mm", "bmm", "addmm", "pow",
                                           "reciprocal", "sum", "mean",
                                           "amax"})


def _op_name(node):
    target = node.target
    packet = getattr(target, "overloadpacket", None)
    if packet is None:
        return None
    return packet.__name__


def _is_aten(x, name):
    return hasattr(x, "op") and x.op == "call_function" and \
        _op_name(x) == name


def _is_compute(node):
    return _op_name(node) in _COMPUTE


class _Value:
    def __init__(self, name, shape, dtype):
        self.name = name
        self.shape = tuple(shape)
        self.dtype = dtype

    @property
    def type(self):
        return f"tensor<{format_shape(self.shape)}x{self.dtype}>"


def _tensor_info(val, what):
    """(shape, dtype) of a FakeTensor, or _Unsupported/_Fallback."""
    torch = _torch()
    if not isinstance(val, torch.Tensor):
        raise _Unsupported(f"{what} is not a tensor")
    if val.device.type != "cpu":
        raise _Fallback(f"device {val.device.type} (the backend's regions "
                        "run on the CPU)")
    dtype = _DTYPES.get(str(val.dtype))
    if dtype is None:
        raise _Fallback(f"dtype {val.dtype} (mirage_mlir takes float16, "
                        "bfloat16 and float32)")
    shape = []
    for d in val.shape:
        if not isinstance(d, int):
            raise _Fallback(f"dynamic shape {tuple(val.shape)} (the backend "
                            "compiles static shapes only)")
        shape.append(d)
    if not 1 <= len(shape) <= 4:
        raise _Unsupported(f"{what} has rank {len(shape)} (kernel tensors "
                           "have rank 1 to 4)")
    if any(d == 0 for d in shape):
        raise _Unsupported(f"{what} is empty")
    return tuple(shape), dtype


def _mlir_float(x):
    """A float as an MLIR float literal (digits, a point, an exponent)."""
    text = f"{float(x):.17e}"
    return text


def _is_scalar(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


class _Translator:
    """Writes a region (an FX GraphModule of ATen ops with FakeTensor
    metadata) as a func.func of kernel ops."""

    def __init__(self, name):
        self.name = name
        self.lines = []
        self.args = []
        self.env = {}
        self.count = 0
        self.layout = _Layout()

    @classmethod
    def check(cls, node):
        """Raises _Unsupported unless `node` translates: the same rules as
        translation, on stand-ins for its operands."""
        t = cls("check")
        for arg in node.all_input_nodes:
            shape, dtype = _tensor_info(arg.meta.get("val"), "an operand")
            t.env[arg] = _Value(f"%{arg.name}", shape, dtype)
        t.node(node)

    def emit(self, text, shape, dtype):
        name = f"%v{self.count}"
        self.count += 1
        self.lines.append((name, f"{name} = {text}"))
        return _Value(name, shape, dtype)

    def live_lines(self, results):
        """The lines the results need: a matched pattern (rms_norm) leaves
        the ops it replaced unused."""
        live = {r.name for r in results}
        kept = []
        for name, line in reversed(self.lines):
            if name in live:
                kept.append(line)
                live.update(re.findall(r"%v\d+", line.split("=", 1)[1]))
        return kept[::-1]

    def arg(self, shape, dtype, scalar=None):
        value = _Value(f"%a{len(self.args)}", shape, dtype)
        value.scalar = scalar
        self.args.append(value)
        return value

    def translate(self, gm):
        torch = _torch()
        placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
        for i, node in enumerate(placeholders):
            val = node.meta.get("val")
            if not isinstance(val, torch.Tensor):
                raise _Unsupported(f"input {node.name} is not a tensor")
            shape, dtype = _tensor_info(val, f"input {node.name}")
            self.env[node] = self.arg(shape, dtype)
        for node in gm.graph.nodes:
            if node.op == "call_function":
                self.env[node] = self.node(node)
            elif node.op == "output":
                out = node.args[0]
                self.layout.tuple_output = isinstance(out, (tuple, list))
                outs = list(out) if self.layout.tuple_output else [out]
            elif node.op != "placeholder":
                raise _Unsupported(f"{node.op} {node.target}")
        results = []
        for out in outs:
            value = self.env[out]
            if out.op == "placeholder" or value in self.args:
                self.layout.outputs.append(
                    ("arg", self.args.index(value)))
                continue
            self.layout.outputs.append(("result", len(results)))
            results.append(value)
        self.layout.num_results = len(results)
        lines = self.live_lines(results)
        # The inputs the kept lines read: the constants of replaced ops
        # (an rms_norm's eps) and unread arguments go.
        used = set(re.findall(r"%a\d+", "\n".join(lines)))
        used.update(r.name for r in results)
        kept = [a for a in self.args if a.name in used]
        self.layout.arg_order = [self.args.index(a) for a in kept
                                 if a.scalar is None]
        self.layout.scalars = [a.scalar for a in kept
                               if a.scalar is not None]
        args = ", ".join(f"{a.name}: {a.type}" for a in kept)
        types = ", ".join(r.type for r in results)
        names = ", ".join(r.name for r in results)
        body = "\n".join("  " + line for line in lines)
        name = "".join(c if c.isalnum() or c == "_" else "_"
                       for c in self.name)
        return (f"func.func @{name}({args}) -> ({types}) {{\n{body}\n"
                f"  return {names} : {types}\n}}\n")

    # Operands ----------------------------------------------------------------

    def value(self, x):
        if x not in self.env:
            raise _Unsupported(f"operand {x} is not a tensor of the region")
        return self.env[x]

    def scalar(self, value, rank, dtype):
        """An extra input holding `value`, of shape 1x...x1: the region's
        constants other than mul_scalar's."""
        torch = _torch()
        shape = (1,) * rank
        return self.arg(shape, dtype, scalar=(
            float(value), shape,
            {"f16": torch.float16, "bf16": torch.bfloat16,
             "f32": torch.float32}[dtype]))

    def to_rank(self, v, rank):
        if len(v.shape) == rank:
            return v
        shape = (1,) * (rank - len(v.shape)) + v.shape
        return self.reshape(v, shape)

    def reshape(self, v, shape):
        shape = tuple(shape)
        if shape == v.shape:
            return v
        if math.prod(shape) != math.prod(v.shape):
            raise _Unsupported(f"reshape {v.shape} to {shape}")
        # A reshape of a reshape is one reshape of the first one's input.
        v = getattr(v, "reshaped", None) or v
        if shape == v.shape:
            return v
        out = _Value("", shape, v.dtype)
        out = self.emit(f"kernel.reshape {v.name} : {v.type} -> {out.type}",
                        shape, v.dtype)
        out.reshaped = v
        return out

    def unary(self, op, v):
        return self.emit(f"kernel.{op} {v.name} : {v.type}", v.shape, v.dtype)

    def binary(self, op, a, b, shape):
        rank = len(shape)
        a, b = self.to_rank(a, rank), self.to_rank(b, rank)
        return self.emit(f"kernel.{op} {a.name}, {b.name} : {a.type}, "
                         f"{b.type}", shape, a.dtype)

    # Ops --------------------------------------------------------------------

    def node(self, node):
        name = _op_name(node)
        if name is None:
            raise _Unsupported(f"{node.target} is not an ATen op")
        out_shape, out_dtype = _tensor_info(node.meta.get("val"),
                                            f"the result of {name}")
        args, kwargs = list(node.args), dict(node.kwargs)
        tensors = [self.value(a) for a in node.all_input_nodes]
        if name not in ("_to_copy", "convert_element_type"):
            for t in tensors:
                if t.dtype != out_dtype:
                    raise _Unsupported(f"{name} mixes dtypes {t.dtype} and "
                                       f"{out_dtype}")
        rule = getattr(self, "op_" + name, None)
        if rule is None and name in _UNARY:
            rule = self._unary_rule
        if rule is None and name in _BINARY:
            rule = self._binary_rule
        if rule is None:
            raise _Unsupported(f"no kernel op for aten.{name}")
        out = rule(name, args, kwargs, out_shape, out_dtype)
        if out.shape != out_shape or out.dtype != out_dtype:
            raise _Unsupported(f"aten.{name}: translated to {out.type}, "
                               f"PyTorch computes {out_shape} {out_dtype}")
        return out

    def _unary_rule(self, name, args, kwargs, shape, dtype):
        if name == "gelu" and kwargs.get("approximate", "none") != "none":
            raise _Unsupported("gelu(approximate='tanh')")
        if len(args) != 1 or (kwargs and name != "gelu"):
            raise _Unsupported(f"aten.{name} with arguments {args[1:]}")
        return self.unary(_UNARY[name], self.value(args[0]))

    def _binary_rule(self, name, args, kwargs, shape, dtype):
        if kwargs.get("alpha", 1) != 1 or len(args) > 2:
            raise _Unsupported(f"aten.{name} with alpha")
        if kwargs.get("rounding_mode") is not None:
            raise _Unsupported(f"aten.{name} with rounding_mode")
        a, b = args
        rank = len(shape)
        if _is_scalar(a) and _is_scalar(b):
            raise _Unsupported(f"aten.{name} of two numbers")
        if name == "mul":
            norm = self.rms_norm_pattern(a, b)
            if norm is not None:
                return norm
        if name == "mul" and (_is_scalar(a) or _is_scalar(b)):
            v, c = (self.value(b), a) if _is_scalar(a) else (self.value(a), b)
            if not math.isfinite(float(c)):
                raise _Unsupported(f"aten.mul by {c}")
            return self.emit(f"kernel.mul_scalar {v.name}, "
                             f"{_mlir_float(c)} : {v.type}", v.shape, v.dtype)
        a = self.scalar(a, rank, dtype) if _is_scalar(a) else self.value(a)
        b = self.scalar(b, rank, dtype) if _is_scalar(b) else self.value(b)
        return self.binary(_BINARY[name], a, b, shape)

    def rms_norm_pattern(self, a, b):
        """x * rsqrt(mean(x^2, -1, keepdim) + eps), as PyTorch's RMSNorm
        modules write it, is kernel.rms_norm over the last dim with eps."""
        for x, r in ((a, b), (b, a)):
            if not (_is_aten(r, "rsqrt") and _is_aten(r.args[0], "add")):
                continue
            mean, eps = r.args[0].args[:2]
            if not _is_scalar(eps):
                mean, eps = eps, mean
            if not (_is_scalar(eps) and _is_aten(mean, "mean")
                    and not r.args[0].kwargs and x in self.env):
                continue
            square = mean.args[0]
            dims = mean.args[1] if len(mean.args) > 1 else None
            keepdim = mean.args[2] if len(mean.args) > 2 else \
                mean.kwargs.get("keepdim", False)
            if not (_is_aten(square, "pow") and square.args[0] is x
                    and square.args[1] == 2 and keepdim
                    and not mean.kwargs.get("dtype")):
                continue
            v = self.value(x)
            rank = len(v.shape)
            if list(dims or ()) not in ([-1], [rank - 1]):
                continue
            return self.emit(f"kernel.rms_norm {v.name} over [{v.shape[-1]}]"
                             f" eps {_mlir_float(eps)} : {v.type}", v.shape,
                             v.dtype)
        return None

    def op_pow(self, name, args, kwargs, shape, dtype):
        x, e = args
        if not _is_scalar(e):
            raise _Unsupported("aten.pow with a tensor exponent")
        v = self.value(x)
        if e == 2:
            return self.unary("square", v)
        if e == 0.5:
            return self.unary("sqrt", v)
        if e == -0.5:
            return self.unary("rsqrt", v)
        raise _Unsupported(f"aten.pow with exponent {e} (2, 0.5 or -0.5)")

    def op_reciprocal(self, name, args, kwargs, shape, dtype):
        v = self.value(args[0])
        return self.binary("div", self.scalar(1.0, len(shape), dtype), v,
                           shape)

    def op_mm(self, name, args, kwargs, shape, dtype):
        a, b = self.value(args[0]), self.value(args[1])
        return self.emit(f"kernel.matmul {a.name}, {b.name} : {a.type}, "
                         f"{b.type}", shape, dtype)

    op_bmm = op_mm

    def op_addmm(self, name, args, kwargs, shape, dtype):
        beta, alpha = kwargs.get("beta", 1), kwargs.get("alpha", 1)
        if beta != 1:
            raise _Unsupported("aten.addmm with beta")
        product = self.op_mm("mm", args[1:3], {}, shape, dtype)
        if alpha != 1:
            product = self.emit(f"kernel.mul_scalar {product.name}, "
                                f"{_mlir_float(alpha)} : {product.type}", shape,
                                dtype)
        return self.binary("add", product, self.value(args[0]), shape)

    def _permute(self, v, perm):
        if list(perm) == list(range(len(perm))):
            return v
        shape = tuple(v.shape[p] for p in perm)
        return self.emit(f"kernel.transpose {v.name} permutation "
                         f"[{', '.join(str(p) for p in perm)}] : {v.type}",
                         shape, v.dtype)

    def op_permute(self, name, args, kwargs, shape, dtype):
        v = self.value(args[0])
        rank = len(v.shape)
        return self._permute(v, [d % rank for d in args[1]])

    def op_transpose(self, name, args, kwargs, shape, dtype):
        v = self.value(args[0])
        rank = len(v.shape)
        perm = list(range(rank))
        d0, d1 = args[1] % rank, args[2] % rank
        perm[d0], perm[d1] = perm[d1], perm[d0]
        return self._permute(v, perm)

    def op_t(self, name, args, kwargs, shape, dtype):
        v = self.value(args[0])
        return self._permute(v, [1, 0]) if len(v.shape) == 2 else v

    def _view(self, name, args, kwargs, shape, dtype):
        return self.reshape(self.value(args[0]), shape)

    op_view = op__unsafe_view = op_reshape = op_squeeze = op_unsqueeze = \
        op_flatten = op_clone = op_alias = _view

    def op_expand(self, name, args, kwargs, shape, dtype):
        v = self.value(args[0])
        v = self.to_rank(v, len(shape))
        added = [i for i, (s, t) in enumerate(zip(v.shape, shape)) if s != t]
        if any(v.shape[i] != 1 for i in added):
            raise _Unsupported(f"aten.expand {v.shape} to {shape}")
        if not added:
            return v
        kept = tuple(s for i, s in enumerate(v.shape) if i not in added)
        if not kept:
            raise _Unsupported("aten.expand of a single element")
        v = self.reshape(v, kept)
        out = _Value("", shape, dtype)
        return self.emit(f"kernel.broadcast {v.name} dimensions "
                         f"[{', '.join(str(i) for i in added)}] : {v.type} "
                         f"-> {out.type}", shape, dtype)

    def op__to_copy(self, name, args, kwargs, shape, dtype):
        extra = set(kwargs) - {"dtype", "layout", "device", "memory_format"}
        if extra:
            raise _Unsupported(f"aten._to_copy with {sorted(extra)}")
        device = kwargs.get("device")
        if device is not None and str(device) != "cpu":
            raise _Unsupported(f"aten._to_copy to {device}")
        v = self.value(args[0])
        if v.dtype == dtype:
            return v
        out = _Value("", shape, dtype)
        return self.emit(f"kernel.cast {v.name} : {v.type} to {out.type}",
                         shape, dtype)

    def op_convert_element_type(self, name, args, kwargs, shape, dtype):
        return self.op__to_copy(name, args[:1], {}, shape, dtype)

    def _reduce(self, op, args, kwargs, shape, dtype):
        v = self.value(args[0])
        rank = len(v.shape)
        dims = args[1] if len(args) > 1 else kwargs.get("dim")
        keepdim = args[2] if len(args) > 2 else kwargs.get("keepdim", False)
        if kwargs.get("dtype") is not None:
            raise _Unsupported("a reduction with dtype")
        if dims is None or (isinstance(dims, (list, tuple)) and not dims):
            dims = list(range(rank))
        if isinstance(dims, int):
            dims = [dims]
        kept = list(v.shape)
        for d in sorted({d % rank for d in dims}):
            kept[d] = 1
            if op == "reduction" or d == rank - 1:
                v = self.emit(f"kernel.{op} {v.name} dim {d} : {v.type}",
                              tuple(kept), dtype)
                continue
            # The default schedules of reduce_max and reduce_mean reduce the
            # last dimension: move `d` there; the size-1 result dimension
            # then goes back to its place by a reshape.
            perm = [i for i in range(rank) if i != d] + [d]
            v = self._permute(v, perm)
            v = self.emit(f"kernel.{op} {v.name} dim {rank - 1} : {v.type}",
                          v.shape[:-1] + (1,), dtype)
            v = self.reshape(v, kept)
        return v if keepdim else self.reshape(v, shape)

    def op_sum(self, name, args, kwargs, shape, dtype):
        if len(args) < 2 and "dim" not in kwargs:
            raise _Unsupported("aten.sum of every element")
        return self._reduce("reduction", args, kwargs, shape, dtype)

    def op_mean(self, name, args, kwargs, shape, dtype):
        if len(args) < 2 and "dim" not in kwargs:
            raise _Unsupported("aten.mean of every element")
        return self._reduce("reduce_mean", args, kwargs, shape, dtype)

    def op_amax(self, name, args, kwargs, shape, dtype):
        return self._reduce("reduce_max", args, kwargs, shape, dtype)


backend = MirageBackend()
