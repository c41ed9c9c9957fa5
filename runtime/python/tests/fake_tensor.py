"""A stand-in for torch.Tensor with just what the checks read."""

import itertools

_addresses = itertools.count(0x7f0000000000, 0x100000)


class FakeDType:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return "torch." + self.name


float16, bfloat16, float32, float64 = (FakeDType(n) for n in (
    "float16", "bfloat16", "float32", "float64"))


class FakeTensor:
    def __init__(self, shape, dtype=float16, device="cuda:0", strides=None,
                 data_ptr=None):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.device = device
        self.is_cuda = device.startswith("cuda")
        if strides is None:
            strides, step = [], 1
            for d in reversed(self.shape):
                strides.append(step)
                step *= d
            strides = tuple(reversed(strides))
        self._strides = tuple(strides)
        self._ptr = next(_addresses) if data_ptr is None else data_ptr

    def stride(self):
        return self._strides

    def data_ptr(self):
        return self._ptr

    def t(self):
        """The transposed view of a 2-D tensor, as torch makes it."""
        return FakeTensor(self.shape[::-1], self.dtype, self.device,
                          self._strides[::-1], self._ptr)
