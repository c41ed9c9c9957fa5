"""Run Mirage bundles (PTX + launch manifest) on PyTorch CUDA tensors.

    import mirage_runtime
    b = mirage_runtime.Bundle("bundles/rmsnorm_matmul-bs1")
    (y,) = b(x, w)

The bundle is checked when it is opened (manifest, PTX hash, entries); each
call checks the tensors (count, shape, dtype, contiguity, device), allocates
the outputs with torch and launches the kernels on the current stream. The
work is done by libmirage_runtime.so through ctypes (runtime/include/
MirageRuntime/CApi.h). torch is imported only when a call needs it.
"""

from .bundle import Bundle
from .checks import ArgumentError, MirageRuntimeError, TensorSpec

__all__ = ["Bundle", "ArgumentError", "MirageRuntimeError", "TensorSpec"]
