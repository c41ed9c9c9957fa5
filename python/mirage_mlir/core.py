"""Data types, tensors and errors shared by the kernel and block graph APIs."""

import inspect
import os

from . import _mirage_mlir as _C

__all__ = [
    "DType", "float16", "bfloat16", "float32", "MirageError", "ShapeError",
    "DTensor", "STensor",
]


class MirageError(RuntimeError):
    """A failure reported by the compiler: the message holds its diagnostics,
    one per line, `LOCATION: error: MESSAGE`."""


class ShapeError(ValueError):
    """An op applied to tensors whose shapes it does not accept; the message
    names the op and the shapes."""


class DType:
    """An element type: `name` as MLIR spells it (f16, bf16, f32)."""

    def __init__(self, name, numpy_name, torch_name):
        self.name = name
        self.numpy_name = numpy_name
        self.torch_name = torch_name

    def __repr__(self):
        return "mirage_mlir." + {"f16": "float16", "bf16": "bfloat16",
                                 "f32": "float32"}[self.name]


float16 = DType("f16", "float16", "float16")
bfloat16 = DType("bf16", None, "bfloat16")
float32 = DType("f32", "float32", "float32")
_DTYPES = {"f16": float16, "bf16": bfloat16, "f32": float32}


def dtype_from_name(name):
    return _DTYPES[name]


def _as_dtype(dtype):
    if isinstance(dtype, DType):
        return dtype
    if isinstance(dtype, str) and dtype in _DTYPES:
        return _DTYPES[dtype]
    aliases = {"float16": float16, "half": float16, "bfloat16": bfloat16,
               "float32": float32, "float": float32}
    name = str(dtype).replace("torch.", "").replace("numpy.", "")
    if name in aliases:
        return aliases[name]
    raise TypeError(f"unsupported dtype {dtype!r}: mirage_mlir supports "
                    "float16, bfloat16 and float32")


def format_shape(shape):
    return "x".join(str(d) for d in shape)


def tensor_type(shape, dtype):
    return f"tensor<{format_shape(shape)}x{dtype.name}>"


def tile_type(shape, dtype, accumulated):
    state = "post" if accumulated else "pre"
    return f"!block.tile<{format_shape(shape)}x{dtype.name}, {state}>"


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def caller_location():
    """The MLIR location of the user's line that called into the package, so
    that diagnostics point at the script."""
    frame = inspect.currentframe()
    try:
        while frame is not None and os.path.dirname(
                os.path.abspath(frame.f_code.co_filename)) == _PACKAGE_DIR:
            frame = frame.f_back
        if frame is None:
            return "loc(unknown)"
        info = inspect.getframeinfo(frame, context=0)
        column = 1
        positions = getattr(info, "positions", None)
        if positions is not None and positions.col_offset is not None:
            column = positions.col_offset + 1
        name = info.filename.replace("\\", "\\\\").replace('"', '\\"')
        return f'loc("{name}":{info.lineno}:{column})'
    finally:
        del frame


def _dims(dims, what):
    try:
        dims = tuple(int(d) for d in dims)
    except TypeError:
        dims = (int(dims),)
    if not dims or any(d <= 0 for d in dims):
        raise ShapeError(f"{what}: dims must be positive, got {dims}")
    return dims


class _Tensor:
    def __init__(self, graph, name, shape, dtype):
        self._graph = graph
        self._name = name
        self.shape = tuple(shape)
        self.dtype = dtype

    @property
    def num_dims(self):
        return len(self.shape)

    def dim(self, i):
        return self.shape[i]

    def __repr__(self):
        return (f"{type(self).__name__}({self._name}: "
                f"{format_shape(self.shape)}x{self.dtype.name})")


class DTensor(_Tensor):
    """A tensor of a kernel graph (Mirage's DTensor)."""

    def type(self):
        return tensor_type(self.shape, self.dtype)


class STensor(_Tensor):
    """A tile of a block graph (Mirage's STensor); `accumulated` is true
    after a for-loop accumulator."""

    def __init__(self, graph, name, shape, dtype, accumulated):
        super().__init__(graph, name, shape, dtype)
        self.accumulated = accumulated

    def type(self):
        return tile_type(self.shape, self.dtype, self.accumulated)


def infer(op, fn, *args, operands=()):
    """Applies the C++ shape rule `fn`, raising ShapeError naming the op and
    its operands' shapes."""
    try:
        return tuple(fn(*args))
    except ValueError as err:
        shapes = ", ".join(format_shape(t.shape) for t in operands)
        raise ShapeError(f"{op}({shapes}): {err}") from None
