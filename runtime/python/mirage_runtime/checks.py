"""Argument checks of a bundle call, in pure Python (no torch needed).

Tensors are duck-typed: anything with ``shape``, ``dtype``, ``stride()``,
``is_cuda``, ``device`` and ``data_ptr()`` (torch.Tensor, or a test fake).
Messages use the runtime's wording, e.g.
``input 1: expected shape [4096, 6144] f16, got [4096, 6144] f32``.
"""

from typing import NamedTuple, Sequence, Tuple

# Manifest dtype -> torch dtype attribute name, and the C API's codes.
TORCH_DTYPES = {"f16": "float16", "bf16": "bfloat16", "f32": "float32"}
DTYPE_CODES = {"f16": 0, "bf16": 1, "f32": 2}
_FROM_TORCH = {"torch." + name: dtype for dtype, name in TORCH_DTYPES.items()}


class MirageRuntimeError(RuntimeError):
    """A bundle that cannot be loaded or run (the runtime's message)."""


class ArgumentError(MirageRuntimeError, ValueError):
    """Tensors that do not match the bundle's signature."""


class TensorSpec(NamedTuple):
    shape: Tuple[int, ...]
    dtype: str  # "f16", "bf16" or "f32"

    def describe(self) -> str:
        return f"{format_shape(self.shape)} {self.dtype}"


def format_shape(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(int(d)) for d in shape) + "]"


def dtype_name(tensor) -> str:
    """The manifest's name of the tensor's dtype, or torch's for others."""
    text = str(tensor.dtype)
    return _FROM_TORCH.get(text, text)


def row_major_strides(shape: Sequence[int]) -> Tuple[int, ...]:
    strides, step = [], 1
    for d in reversed(shape):
        strides.append(step)
        step *= int(d)
    return tuple(reversed(strides))


def is_row_major(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """Dense row-major; strides of extent-1 dimensions do not matter."""
    expected = 1
    for d, s in zip(reversed(shape), reversed(strides)):
        if d != 1 and s != expected:
            return False
        expected *= int(d)
    return True


def check_tensor(name: str, tensor, spec: TensorSpec, device=None):
    """Checks one tensor against `spec`; returns its device.

    `device` is the device of the tensors checked before (None for the
    first): all tensors of a call must be on the same GPU.
    """
    if not getattr(tensor, "is_cuda", False):
        where = getattr(tensor, "device", type(tensor).__name__)
        raise ArgumentError(f"{name}: expected a CUDA tensor, got one on "
                            f"{where}")
    if device is not None and tensor.device != device:
        raise ArgumentError(f"{name}: on {tensor.device}, but the other "
                            f"tensors are on {device}")
    shape = tuple(int(d) for d in tensor.shape)
    dtype = dtype_name(tensor)
    if shape != tuple(spec.shape) or dtype != spec.dtype:
        raise ArgumentError(f"{name}: expected shape {spec.describe()}, got "
                            f"{format_shape(shape)} {dtype}")
    strides = tuple(int(s) for s in tensor.stride())
    if not is_row_major(shape, strides):
        raise ArgumentError(
            f"{name}: expected contiguous row-major strides "
            f"{format_shape(row_major_strides(shape))}, got "
            f"{format_shape(strides)} (call .contiguous() first)")
    if not tensor.data_ptr():
        raise ArgumentError(f"{name}: null data pointer")
    return tensor.device


def check_count(function: str, specs: Sequence[TensorSpec], given: int,
                role: str) -> None:
    if given != len(specs):
        expected = ", ".join(s.describe() for s in specs)
        plural = "" if len(specs) == 1 else "s"
        raise ArgumentError(f"{function} takes {len(specs)} {role}{plural} "
                            f"({expected}), got {given}")


def check_call(function: str, input_specs: Sequence[TensorSpec], inputs,
               output_specs: Sequence[TensorSpec], outputs=None):
    """Checks a whole call; returns the common device (None if no tensor).

    `outputs` is None when the caller lets the bundle allocate them.
    """
    check_count(function, input_specs, len(inputs), "input")
    device = None
    for i, (tensor, spec) in enumerate(zip(inputs, input_specs)):
        device = check_tensor(f"input {i}", tensor, spec, device)
    if outputs is not None:
        check_count(function, output_specs, len(outputs), "output")
        for i, (tensor, spec) in enumerate(zip(outputs, output_specs)):
            device = check_tensor(f"output {i}", tensor, spec, device)
    return device
