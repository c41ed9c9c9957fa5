"""The pure-Python argument checks, on fake tensors (no torch, no GPU)."""

import unittest

from fake_tensor import FakeTensor, bfloat16, float32, float64
from mirage_runtime.checks import (ArgumentError, TensorSpec, check_call,
                                   is_row_major, row_major_strides)

X = TensorSpec((2, 4096), "f16")
W = TensorSpec((4096, 6144), "f16")
Y = TensorSpec((2, 6144), "f16")


def error(inputs, outputs=None):
    with unittest.TestCase().assertRaises(ArgumentError) as e:
        check_call("rmsnorm_matmul", (X, W), inputs, (Y,), outputs)
    return str(e.exception)


class ChecksTest(unittest.TestCase):
    def test_accepts_a_good_call(self):
        x, w = FakeTensor((2, 4096)), FakeTensor((4096, 6144))
        self.assertEqual(check_call("f", (X, W), (x, w), (Y,)), "cuda:0")
        y = FakeTensor((2, 6144))
        self.assertEqual(check_call("f", (X, W), (x, w), (Y,), (y,)),
                         "cuda:0")

    def test_counts(self):
        self.assertEqual(
            error((FakeTensor((2, 4096)),)),
            "rmsnorm_matmul takes 2 inputs ([2, 4096] f16, [4096, 6144] f16)"
            ", got 1")
        self.assertEqual(
            error((FakeTensor((2, 4096)), FakeTensor((4096, 6144))), ()),
            "rmsnorm_matmul takes 1 output ([2, 6144] f16), got 0")

    def test_shape_and_dtype(self):
        self.assertEqual(
            error((FakeTensor((2, 4096)), FakeTensor((4096, 6144),
                                                      float32))),
            "input 1: expected shape [4096, 6144] f16, got [4096, 6144] f32")
        self.assertEqual(
            error((FakeTensor((2, 4096)), FakeTensor((6144, 4096)))),
            "input 1: expected shape [4096, 6144] f16, got [6144, 4096] f16")
        self.assertEqual(
            error((FakeTensor((2, 4096), float64), FakeTensor((4096, 6144)))),
            "input 0: expected shape [2, 4096] f16, got [2, 4096] "
            "torch.float64")
        self.assertEqual(
            error((FakeTensor((2, 4096)), FakeTensor((4096, 6144))),
                  (FakeTensor((2, 6144), bfloat16),)),
            "output 0: expected shape [2, 6144] f16, got [2, 6144] bf16")

    def test_layout(self):
        w_t = FakeTensor((6144, 4096)).t()
        self.assertEqual(
            error((FakeTensor((2, 4096)), w_t)),
            "input 1: expected contiguous row-major strides [6144, 1], got "
            "[1, 4096] (call .contiguous() first)")
        sliced = FakeTensor((2, 4096), strides=(8192, 1))
        self.assertEqual(
            error((sliced, FakeTensor((4096, 6144)))),
            "input 0: expected contiguous row-major strides [4096, 1], got "
            "[8192, 1] (call .contiguous() first)")

    def test_device(self):
        self.assertEqual(
            error((FakeTensor((2, 4096), device="cpu"),
                   FakeTensor((4096, 6144)))),
            "input 0: expected a CUDA tensor, got one on cpu")
        self.assertEqual(
            error((FakeTensor((2, 4096)),
                   FakeTensor((4096, 6144), device="cuda:1"))),
            "input 1: on cuda:1, but the other tensors are on cuda:0")
        self.assertEqual(
            error((FakeTensor((2, 4096)), FakeTensor((4096, 6144))),
                  (FakeTensor((2, 6144), data_ptr=0),)),
            "output 0: null data pointer")

    def test_strides(self):
        self.assertEqual(row_major_strides((2, 3, 4)), (12, 4, 1))
        self.assertEqual(row_major_strides(()), ())
        self.assertTrue(is_row_major((1, 8, 1), (99, 1, 7)))
        self.assertFalse(is_row_major((2, 8), (1, 2)))


if __name__ == "__main__":
    unittest.main()
