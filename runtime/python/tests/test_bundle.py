"""Bundle through ctypes and libmirage_runtime.so, without torch or a GPU.

Run with the staged package on PYTHONPATH, MIRAGE_LIBCUDA pointing to a
library that does not exist and MIRAGE_RUNTIME_TEST_INPUTS at
runtime/test/Inputs (ctest sets all three).
"""

import importlib.util
import os
import unittest

from fake_tensor import FakeTensor, float16, float32
from mirage_runtime import ArgumentError, Bundle, MirageRuntimeError, TensorSpec

INPUTS = os.environ.get("MIRAGE_RUNTIME_TEST_INPUTS", "")


class BundleTest(unittest.TestCase):
    def setUp(self):
        self.bundle = Bundle(os.path.join(INPUTS, "triple"))

    def test_signature(self):
        b = self.bundle
        self.assertEqual(b.function, "triple")
        self.assertEqual(b.inputs, (TensorSpec((2, 3), "f32"),))
        self.assertEqual(b.outputs, (TensorSpec((2, 3), "f32"),))
        self.assertEqual(b.workspace_bytes, 256)
        self.assertEqual(b.num_kernels, 2)
        self.assertEqual(repr(b), "<mirage_runtime.Bundle triple([2, 3] f32)"
                         " -> ([2, 3] f32)>")

    def test_open_errors_name_the_problem(self):
        with self.assertRaises(MirageRuntimeError) as e:
            Bundle(os.path.join(INPUTS, "bad", "missing-entry.json"))
        self.assertIn('kernels[1].name: no .entry "triple_kernel9" in '
                      "triple.ptx", str(e.exception))

    def test_checks_before_the_runtime(self):
        with self.assertRaises(ArgumentError) as e:
            self.bundle(FakeTensor((2, 3), float16),
                        out=(FakeTensor((2, 3), float32),), stream=0)
        self.assertEqual(str(e.exception),
                         "input 0: expected shape [2, 3] f32, got [2, 3] f16")

    def test_reaches_the_runtime(self):
        # Python's checks pass; the C runtime then needs the driver, which
        # the test environment hides.
        with self.assertRaises(MirageRuntimeError) as e:
            self.bundle(FakeTensor((2, 3), float32),
                        out=(FakeTensor((2, 3), float32),), stream=0)
        self.assertTrue(str(e.exception).startswith(
            "no CUDA driver: cannot load /nonexistent/libcuda.so.1"),
            str(e.exception))

    def test_needs_torch_only_to_allocate(self):
        if importlib.util.find_spec("torch") is not None:
            self.skipTest("torch is installed")
        with self.assertRaises(MirageRuntimeError) as e:
            self.bundle(FakeTensor((2, 3), float32))
        self.assertIn("PyTorch is not installed", str(e.exception))

    def test_closed(self):
        self.bundle.close()
        with self.assertRaises(MirageRuntimeError):
            self.bundle(FakeTensor((2, 3), float32), stream=0)


if __name__ == "__main__":
    unittest.main()
