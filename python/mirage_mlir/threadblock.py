"""Hand-written block graphs (Mirage's TBGraph): the body of a graph-defined
kernel, used with KNGraph.customized."""

import itertools

from . import _mirage_mlir as _C
from .core import (ShapeError, STensor, DTensor, caller_location, infer,
                   tensor_type)

__all__ = ["TBGraph", "new_threadblock_graph"]

_ids = itertools.count()

# Mirage's accumulator strings and ours (block.accum kinds).
_ACCUMS = {None: "none", "none": "none", "sum": "sum", "mean": "mean",
           "rms": "rms", "sum_todimx": "sum_to_dimx",
           "sum_to_dimx": "sum_to_dimx", "max": "max"}


def _triple(value, what):
    value = tuple(int(v) for v in value)
    if len(value) > 3:
        raise ValueError(f"{what}: at most 3 entries (x, y, z), got {value}")
    return value + (1,) * (3 - len(value))


def _map(value, what, fill):
    if isinstance(value, dict):
        value = (value.get("x", fill), value.get("y", fill),
                 value.get("z", fill))
    value = tuple(int(v) for v in value)
    if len(value) > 3:
        raise ValueError(f"{what}: at most 3 entries (x, y, z), got {value}")
    return value + (fill,) * (3 - len(value))


def new_threadblock_graph(grid_dim, block_dim, forloop_range,
                          reduction_dimx=64):
    """A block graph launched on `grid_dim` blocks of `block_dim` threads
    with a for-loop of `forloop_range` iterations."""
    return TBGraph(grid_dim, block_dim, forloop_range, reduction_dimx)


class TBGraph:
    def __init__(self, grid_dim, block_dim, forloop_range, reduction_dimx=64):
        self.grid_dim = _triple(grid_dim, "grid_dim")
        self.block_dim = _triple(block_dim, "block_dim")
        self.forloop_range = int(forloop_range)
        self.reduction_dimx = int(reduction_dimx)
        self._id = next(_ids)
        self._count = itertools.count()
        self._inputs = []   # DTensors, in order
        self._lines = []
        self._outputs = []  # (STensor saver result name, tensor shape, dtype)
        # Checks the launch once, with a trivial tile.
        self._launch_args = (list(self.grid_dim), list(self.block_dim),
                             self.forloop_range, self.reduction_dimx)

    def _name(self):
        return f"%t{self._id}_{next(self._count)}"

    def _check(self, *tensors):
        for t in tensors:
            if not isinstance(t, STensor) or t._graph is not self:
                raise TypeError(f"expected a tile (STensor) of this block "
                                f"graph, got {t!r}")

    def _emit(self, text, shape, dtype, accumulated):
        name = self._name()
        self._lines.append(f"{name} = {text} {caller_location()}")
        return STensor(self, name, shape, dtype, accumulated)

    # Inputs and outputs --------------------------------------------------

    def new_input(self, dtensor, input_map, forloop_dim, store_in_dmem=False):
        if not isinstance(dtensor, DTensor):
            raise TypeError(f"new_input: expected a DTensor, got {dtensor!r}")
        if store_in_dmem:
            raise NotImplementedError(
                "new_input: store_in_dmem is not supported: every block "
                "input is loaded into shared memory")
        imap = _map(input_map, "input_map", -1)
        tile = infer("new_input", _C.infer_loader_tile, list(dtensor.shape),
                     list(imap), int(forloop_dim), *self._launch_args,
                     operands=(dtensor,))
        index = len(self._inputs)
        self._inputs.append(dtensor)
        src = f"%t{self._id}_in{index}"
        imap_text = ", ".join(str(v) for v in imap)
        return self._emit(
            f"block.loader {src} imap [{imap_text}] fmap {int(forloop_dim)} : "
            f"{dtensor.type()} -> "
            f"{STensor(self, '', tile, dtensor.dtype, False).type()}",
            tile, dtensor.dtype, False)

    def new_output(self, stensor, output_map, forloop_dim=-1):
        self._check(stensor)
        if int(forloop_dim) != -1:
            raise NotImplementedError(
                "new_output: forloop_dim must be -1: savers write once, "
                "after the for-loop")
        omap = _map(output_map, "output_map", -1)
        shape = infer("new_output", _C.infer_saver_tensor, list(stensor.shape),
                      list(omap), *self._launch_args, operands=(stensor,))
        omap_text = ", ".join(str(v) for v in omap)
        name = self._name()
        self._lines.append(
            f"{name} = block.saver {stensor._name} omap [{omap_text}] : "
            f"{stensor.type()} -> {tensor_type(shape, stensor.dtype)} "
            f"{caller_location()}")
        self._outputs.append((name, shape, stensor.dtype))

    # Ops -----------------------------------------------------------------

    def _unary(self, op, a):
        self._check(a)
        return self._emit(f"block.{op} {a._name} : {a.type()}", a.shape,
                          a.dtype, a.accumulated)

    def _binary(self, op, a, b, fn=_C.infer_broadcast):
        self._check(a, b)
        shape = infer(op, fn, list(a.shape), list(b.shape), operands=(a, b))
        return self._emit(f"block.{op} {a._name}, {b._name} : {a.type()}, "
                          f"{b.type()}", shape, a.dtype,
                          a.accumulated or b.accumulated)

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

    def rms_norm(self, A):
        return self._unary("rms_norm", A)

    def clamp(self, A, min_val, max_val):
        self._check(A)
        return self._emit(f"block.clamp {A._name} min {float(min_val)!r} max "
                          f"{float(max_val)!r} : {A.type()}", A.shape, A.dtype,
                          A.accumulated)

    def reduction(self, A, dim):
        self._check(A)
        shape = infer("reduction", _C.infer_reduction, list(A.shape), int(dim),
                      1, operands=(A,))
        return self._emit(f"block.reduction {A._name} dim {int(dim)} : "
                          f"{A.type()}", shape, A.dtype, A.accumulated)

    def forloop_accum(self, A, acc=None):
        self._check(A)
        if acc not in _ACCUMS:
            raise ValueError(f"forloop_accum: unknown accumulator {acc!r} "
                             f"(None, 'sum', 'mean', 'rms', 'sum_todimx', "
                             f"'max')")
        kind = _ACCUMS[acc]
        shape = infer("forloop_accum", _C.infer_accum, kind, list(A.shape),
                      self.reduction_dimx, operands=(A,))
        out = STensor(self, "", shape, A.dtype, True)
        return self._emit(f"block.accum {kind} {A._name} : {A.type()} -> "
                          f"{out.type()}", shape, A.dtype, True)

    # Text ------------------------------------------------------------------

    def _region(self, indent="    "):
        if not self._outputs:
            raise ValueError("customized: the block graph has no output "
                             "(new_output)")
        args = ", ".join(f"%t{self._id}_in{i}: {t.type()}"
                         for i, t in enumerate(self._inputs))
        lines = [f"  ^bb0({args}):"]
        lines += [indent + line for line in self._lines]
        names = ", ".join(name for name, _, _ in self._outputs)
        types = ", ".join(tensor_type(s, d) for _, s, d in self._outputs)
        lines.append(f"{indent}block.yield {names} : {types}")
        return lines
