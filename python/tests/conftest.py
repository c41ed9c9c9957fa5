"""Shared helpers of the mirage_mlir tests (run by ctest with
PYTHONPATH=<build>/python; docs/Python.md, "Tests")."""

import numpy as np
import pytest


def rand(rng, shape, scale=1.0):
    """f16 values uniform in [-scale, scale)."""
    return rng.uniform(-scale, scale, shape).astype(np.float16)


def rms_norm(x):
    x = x.astype(np.float64)
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True))


def silu(x):
    return x / (1.0 + np.exp(-x))


def assert_close(got, want, rtol=2e-2):
    """f16 outputs against a float64 reference: |got - want| <= rtol *
    (|want| + max|want| / 10)."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    bound = rtol * (np.abs(want) + np.max(np.abs(want)) / 10)
    worst = np.max(np.abs(got - want) - bound)
    assert worst <= 0, f"max excess {worst} over the bound"


@pytest.fixture
def rng():
    return np.random.default_rng(0)
