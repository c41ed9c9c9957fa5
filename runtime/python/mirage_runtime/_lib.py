"""ctypes bindings of libmirage_runtime.so (runtime/include/MirageRuntime/
CApi.h). The library is found through MIRAGE_RUNTIME_LIBRARY, else next to
this file, where the runtime's build stages it."""

import ctypes
import os

from .checks import MirageRuntimeError

ABI_VERSION = 1  # MIRAGE_RT_ABI_VERSION


class Tensor(ctypes.Structure):
    """MirageRtTensor."""
    _fields_ = [
        ("data", ctypes.c_uint64),
        ("dtype", ctypes.c_int32),
        ("rank", ctypes.c_int32),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
        ("strides", ctypes.POINTER(ctypes.c_int64)),
    ]


_library = None


def library_path() -> str:
    return os.environ.get("MIRAGE_RUNTIME_LIBRARY") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "libmirage_runtime.so")


def load():
    """The loaded library (once per process)."""
    global _library
    if _library is not None:
        return _library
    path = library_path()
    if not os.path.exists(path):
        raise MirageRuntimeError(
            f"cannot find the runtime library {path}: build the runtime "
            "(cmake -S runtime -B build-runtime && cmake --build "
            "build-runtime) and put build-runtime/python on PYTHONPATH, or "
            "set MIRAGE_RUNTIME_LIBRARY")
    lib = ctypes.CDLL(path)
    lib.mirage_rt_abi_version.restype = ctypes.c_int
    lib.mirage_rt_abi_version.argtypes = []
    if lib.mirage_rt_abi_version() != ABI_VERSION:
        raise MirageRuntimeError(
            f"{path} has C API version {lib.mirage_rt_abi_version()}, this "
            f"package needs {ABI_VERSION}: rebuild the runtime")
    lib.mirage_rt_last_error.restype = ctypes.c_char_p
    lib.mirage_rt_last_error.argtypes = []
    lib.mirage_rt_open.restype = ctypes.c_void_p
    lib.mirage_rt_open.argtypes = [ctypes.c_char_p]
    lib.mirage_rt_close.restype = None
    lib.mirage_rt_close.argtypes = [ctypes.c_void_p]
    lib.mirage_rt_signature.restype = ctypes.c_char_p
    lib.mirage_rt_signature.argtypes = [ctypes.c_void_p]
    lib.mirage_rt_run.restype = ctypes.c_int
    lib.mirage_rt_run.argtypes = [
        ctypes.c_void_p, ctypes.POINTER(Tensor), ctypes.c_int32,
        ctypes.POINTER(Tensor), ctypes.c_int32, ctypes.c_uint64
    ]
    _library = lib
    return lib


def last_error(lib) -> str:
    return lib.mirage_rt_last_error().decode("utf-8", "replace")
