"""Mirage's two README examples (python/examples/readme_*.py: the import
line changed, the shapes fixed where the README's own disagree), run on the
CPU and compared with numpy. The search runs within the budget that
MIRAGE_MLIR_TIME_BUDGET sets for calls that give none; whatever it returns
must compute the graph's function."""

import os
import runpy

import numpy as np
import pytest

from conftest import assert_close, rms_norm

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")


@pytest.fixture(autouse=True)
def budget(monkeypatch):
    monkeypatch.setenv("MIRAGE_MLIR_TIME_BUDGET", "10")


def run_example(name):
    return runpy.run_path(os.path.join(EXAMPLES, name))


def test_readme_gqa():
    g = run_example("readme_gqa.py")
    assert "remark: mirage-superoptimize" in g["optimized_graph"].remarks
    q, k, v = (x.astype(np.float64) for x in g["input_tensors"])
    e = np.exp(q @ k)
    want = (e / e.sum(axis=2, keepdims=True)) @ v
    (out,) = g["output"]
    assert out.shape == (2, 256, 64) and out.dtype == np.float16
    assert_close(out, want)


def test_readme_rmsnorm():
    g = run_example("readme_rmsnorm.py")
    x, w = g["input_tensors"]
    want = rms_norm(x) @ w.astype(np.float64)
    (out,) = g["output"]
    assert out.shape == (16, 4096)
    assert_close(out, want)


def test_readme_rmsnorm_as_written_raises_a_shape_error():
    import mirage_mlir as mi
    graph = mi.new_kernel_graph()
    X = graph.new_input(dims=(16, 4096), dtype=mi.float16)
    W = graph.new_input(dims=(406, 4096), dtype=mi.float16)
    with pytest.raises(mi.ShapeError) as err:
        graph.matmul(graph.rms_norm(X), W)
    assert "matmul(16x4096, 406x4096)" in str(err.value)
    assert "k = 4096" in str(err.value) and "k = 406" in str(err.value)
