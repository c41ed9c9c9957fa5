"""mirage_runtime.Bundle: a bundle called like a function on torch tensors."""

import ctypes
import json
import os

from . import _lib
from .checks import (DTYPE_CODES, TORCH_DTYPES, MirageRuntimeError,
                     TensorSpec, check_call, dtype_name)


def _torch():
    """torch, imported on first need so that the module loads without it."""
    try:
        import torch
    except ImportError as e:
        raise MirageRuntimeError(
            "PyTorch is not installed: pass out=(...) and stream=... "
            "explicitly, or install torch") from e
    return torch


class Bundle:
    """A loaded and checked bundle: a manifest path or its directory."""

    def __init__(self, path):
        self._lib = _lib.load()
        self._handle = self._lib.mirage_rt_open(os.fsencode(path))
        if not self._handle:
            raise MirageRuntimeError(_lib.last_error(self._lib))
        signature = json.loads(self._lib.mirage_rt_signature(self._handle))
        self.function = signature["function"]
        self.inputs = tuple(
            TensorSpec(tuple(s["shape"]), s["dtype"])
            for s in signature["inputs"])
        self.outputs = tuple(
            TensorSpec(tuple(s["shape"]), s["dtype"])
            for s in signature["outputs"])
        self.workspace_bytes = signature["workspace_bytes"]
        self.num_kernels = signature["kernels"]

    def close(self):
        if getattr(self, "_handle", None):
            self._lib.mirage_rt_close(self._handle)
            self._handle = None

    def __del__(self):
        self.close()

    def __repr__(self):
        ins = ", ".join(s.describe() for s in self.inputs)
        outs = ", ".join(s.describe() for s in self.outputs)
        return f"<mirage_runtime.Bundle {self.function}({ins}) -> ({outs})>"

    def __call__(self, *inputs, out=None, stream=None):
        """Runs the bundle; returns the tuple of outputs.

        out: preallocated outputs (else allocated with torch.empty on the
        inputs' device). stream: a CUstream as an int (else torch's current
        stream). The launch is asynchronous on that stream, like a torch op,
        and can be captured by torch.cuda.graph.
        """
        if not self._handle:
            raise MirageRuntimeError("the bundle is closed")
        device = check_call(self.function, self.inputs, inputs, self.outputs,
                            None if out is None else tuple(out))
        torch = None
        if out is None or stream is None:
            torch = _torch()
            if device is None:
                device = torch.device("cuda", torch.cuda.current_device())
        if out is None:
            out = tuple(
                torch.empty(spec.shape, dtype=getattr(torch,
                                                      TORCH_DTYPES[spec.dtype]),
                            device=device) for spec in self.outputs)
        out = tuple(out)
        if torch is not None:
            # The runtime uses the calling thread's current context: make it
            # the tensors' device's, as torch ops do.
            with torch.cuda.device(device):
                if stream is None:
                    stream = torch.cuda.current_stream(device).cuda_stream
                self._run(inputs, out, stream)
        else:
            self._run(inputs, out, stream)
        return out

    def _run(self, inputs, outputs, stream):
        keep = []  # the shape and stride arrays must outlive the call

        def descriptors(tensors):
            array = (_lib.Tensor * max(len(tensors), 1))()
            for i, t in enumerate(tensors):
                shape = (ctypes.c_int64 * max(len(t.shape), 1))(*t.shape)
                strides = (ctypes.c_int64 * max(len(t.shape), 1))(*t.stride())
                keep.extend([shape, strides])
                array[i] = _lib.Tensor(t.data_ptr(),
                                       DTYPE_CODES[dtype_name(t)],
                                       len(t.shape), shape, strides)
            return array

        ins, outs = descriptors(inputs), descriptors(outputs)
        if self._lib.mirage_rt_run(self._handle, ins, len(inputs), outs,
                                   len(outputs), int(stream or 0)) != 0:
            raise MirageRuntimeError(_lib.last_error(self._lib))
