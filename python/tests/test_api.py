"""Every function of the mirage_mlir API, and its errors."""

import os
import re
import shutil

import numpy as np
import pytest

import mirage_mlir as mi
from conftest import assert_close, rand, rms_norm, silu


def small_graph():
    g = mi.new_kernel_graph(name="small")
    X = g.new_input(dims=(4, 64), dtype=mi.float16)
    W = g.new_input(dims=(64, 32), dtype=mi.float16)
    O = g.matmul(g.rms_norm(X, normalized_shape=(64,)), W)
    g.mark_output(O)
    return g


def test_to_mlir_records_the_callers_lines():
    text = small_graph().to_mlir()
    assert "kernel.rms_norm %in0 over [64] : tensor<4x64xf16>" in text
    assert "kernel.matmul %v0, %in1" in text
    assert re.search(r'loc\(".*test_api.py":\d+:\d+\)', text)


@pytest.mark.parametrize("op, ref", [
    ("exp", np.exp), ("silu", silu), ("relu", lambda x: np.maximum(x, 0)),
    ("sqrt", lambda x: np.sqrt(np.abs(x))), ("square", np.square),
    ("gelu", None),
])
def test_unary_ops(rng, op, ref):
    g = mi.new_kernel_graph()
    X = g.new_input((8, 16), dtype=mi.float16)
    g.mark_output(getattr(g, op)(X))
    x = rand(rng, (8, 16))
    if op == "sqrt":
        x = np.abs(x)
    (cpu,) = g([x])
    (interp,) = g.interpret([x])
    assert cpu.dtype == np.float16 and cpu.shape == (8, 16)
    if ref is None:  # gelu: tanh form or erf form, both within 1e-3
        xf = x.astype(np.float64)
        want = 0.5 * xf * (1 + np.tanh(0.7978845608 * (xf + 0.044715 * xf**3)))
    else:
        want = ref(x.astype(np.float64))
    assert_close(interp, want)
    assert_close(cpu, want)


@pytest.mark.parametrize("op, ref", [("add", np.add), ("mul", np.multiply),
                                     ("div", np.divide)])
def test_binary_ops_broadcast(rng, op, ref):
    g = mi.new_kernel_graph()
    A = g.new_input((8, 16), dtype=mi.float16)
    B = g.new_input((8, 1), dtype=mi.float16)
    g.mark_output(getattr(g, op)(A, B))
    a = rand(rng, (8, 16))
    b = (rand(rng, (8, 1)) + np.float16(2)).astype(np.float16)
    (out,) = g([a, b])
    assert out.shape == (8, 16)
    assert_close(out, ref(a.astype(np.float64), b.astype(np.float64)))


def test_matmul_reduction_rms_norm_clamp(rng):
    g = mi.new_kernel_graph()
    Q = g.new_input((2, 8, 16), dtype=mi.float16)
    K = g.new_input((2, 16, 32), dtype=mi.float16)
    S = g.reduction(g.matmul(Q, K), 2)
    N = g.rms_norm(Q)
    C = g.clamp(Q, -0.25, 0.5)
    for t in (S, N, C):
        g.mark_output(t)
    assert S.shape == (2, 8, 1) and S.num_dims == 3 and S.dim(1) == 8
    q, k = rand(rng, (2, 8, 16)), rand(rng, (2, 16, 32))
    s, n, c = g([q, k])
    qf, kf = q.astype(np.float64), k.astype(np.float64)
    assert_close(s, (qf @ kf).sum(axis=2, keepdims=True))
    assert_close(n, rms_norm(q))
    assert_close(c, np.clip(qf, -0.25, 0.5))


def test_rms_norm_with_weight(rng):
    g = mi.new_kernel_graph()
    X = g.new_input((4, 32), dtype=mi.float16)
    G = g.new_input((1, 32), dtype=mi.float16)
    g.mark_output(g.rms_norm(X, G))
    x, w = rand(rng, (4, 32)), rand(rng, (1, 32))
    (out,) = g([x, w])
    assert_close(out, rms_norm(x) * w.astype(np.float64))


def test_float32_and_strided_reduction(rng):
    g = mi.new_kernel_graph()
    X = g.new_input((4, 64), dtype=mi.float32)
    g.mark_output(g.reduction(X, 1, size=16))
    x = rng.standard_normal((4, 64)).astype(np.float32)
    (out,) = g([x])
    assert out.dtype == np.float32 and out.shape == (4, 16)
    np.testing.assert_allclose(out, x.reshape(4, 4, 16).sum(axis=1),
                               rtol=1e-5, atol=1e-5)


def rmsnorm_ugraph():
    """Mirage's RMSNorm+MatMul μGraph written by hand (a small shape)."""
    g = mi.new_kernel_graph(name="hand")
    X = g.new_input(dims=(2, 256), dtype=mi.float16)
    W = g.new_input(dims=(256, 96), dtype=mi.float16)
    tb = mi.new_threadblock_graph(grid_dim=(4, 1, 1), block_dim=(128, 1, 1),
                                  forloop_range=4, reduction_dimx=64)
    tX = tb.new_input(dtensor=X, input_map=(-1, -1, -1), forloop_dim=1)
    tW = tb.new_input(dtensor=W, input_map=(1, -1, -1), forloop_dim=0)
    assert tX.shape == (2, 64) and tW.shape == (64, 24)
    tR = tb.forloop_accum(tX, "rms")
    tA = tb.forloop_accum(tb.matmul(tX, tW))
    assert tR.shape == (2, 1) and tR.accumulated
    tb.new_output(stensor=tb.div(tA, tR), output_map=(1, -1, -1))
    (O,) = g.customized([X, W], tb)
    assert O.shape == (2, 96)
    g.mark_output(O)
    return g


def test_threadblock_graph_runs_and_checks(rng):
    g = rmsnorm_ugraph()
    text = g.to_mlir()
    assert "kernel.graph_defined (%in0, %in1) grid [4, 1, 1]" in text
    assert "block.accum rms" in text
    x, w = rand(rng, (2, 256)), rand(rng, (256, 96), 0.125)
    want = rms_norm(x) @ w.astype(np.float64)
    (out,) = g([x, w])
    assert_close(out, want)
    assert_close(g.interpret([x, w])[0], want)
    result = g.check([x, w])
    assert result and "PASS" in str(result)
    assert g.check()  # the interpreter's seeded inputs


def test_threadblock_errors():
    g = mi.new_kernel_graph()
    X = g.new_input((2, 256))
    tb = mi.new_threadblock_graph((3, 1, 1), (128, 1, 1), 4)
    with pytest.raises(mi.ShapeError, match="new_input"):
        tb.new_input(X, (1, -1, -1), -1)  # 256 columns over 3 blocks
    tb = mi.new_threadblock_graph((4, 1, 1), (128, 1, 1), 4)
    with pytest.raises(ValueError, match="accumulator"):
        tb.forloop_accum(tb.new_input(X, (1, -1, -1), 1), "median")
    with pytest.raises(ValueError, match="no output"):
        g.customized([X], tb)


def test_from_mlir_round_trip(rng):
    g = small_graph()
    h = mi.from_mlir(g.to_mlir())
    assert h.name == "small"
    assert [t.shape for t in h.get_input_dtensors()] == [(4, 64), (64, 32)]
    assert [t.shape for t in h.get_output_dtensors()] == [(4, 32)]
    x, w = rand(rng, (4, 64)), rand(rng, (64, 32))
    np.testing.assert_array_equal(h([x, w])[0], g([x, w])[0])
    with pytest.raises(mi.MirageError, match="from MLIR"):
        h.exp(h.get_input_dtensors()[0])


def test_examples_load_with_from_mlir():
    source = os.environ.get("MIRAGE_MLIR_SOURCE_DIR", ".")
    with open(os.path.join(source, "examples/ugraphs/rmsnorm_matmul.mlir")) as f:
        g = mi.from_mlir(f.read())
    assert g.check()


def test_cost_and_bundle(tmp_path):
    g = rmsnorm_ugraph()
    cost = g.cost()
    assert cost["seconds"] > 0 and len(cost["kernels"]) == 1
    assert cost["kernels"][0]["shared_memory_bytes"] > 0
    assert mi.from_mlir(small_graph().to_mlir()).cost("h200")["seconds"] > 0
    manifest = g.save_bundle(tmp_path / "b", chip="sm_80")
    assert os.path.basename(manifest) == "hand.json"
    assert (tmp_path / "b" / "hand.ptx").read_text().startswith("//")
    with pytest.raises(ValueError, match="chip"):
        g.save_bundle(tmp_path / "c", chip="volta")
    with pytest.raises(mi.MirageError, match="unknown gpu"):
        g.cost("a100")


def test_visualize(tmp_path):
    written = rmsnorm_ugraph().visualize(tmp_path / "hand")
    dot = (tmp_path / "hand.dot").read_text()
    assert dot.startswith('digraph "hand"')
    assert "fillcolor=palegreen" in dot and "fillcolor=lightblue" in dot
    assert "subgraph cluster_bg0" in dot and "imap=[-1, -1, -1]" in dot
    if shutil.which("dot"):
        assert (tmp_path / "hand.svg").exists()
        assert len(written) == 2
    else:
        assert written == [str(tmp_path / "hand.dot")]
    with pytest.raises(ValueError, match="suffix"):
        small_graph().visualize(tmp_path / "x.pdf")


def test_superoptimize_finds_a_fused_gated_mlp(rng, tmp_path):
    g = mi.new_kernel_graph(name="gated_mlp_api")
    X = g.new_input((8, 64), dtype=mi.float16)
    W1 = g.new_input((64, 128), dtype=mi.float16)
    W2 = g.new_input((64, 128), dtype=mi.float16)
    g.mark_output(g.mul(g.silu(g.matmul(X, W1)), g.matmul(X, W2)))
    opt = g.superoptimize(config="mlp", time_budget=120, threads=2,
                          max_block_ops=10, cache_dir=str(tmp_path))
    assert "kernel.graph_defined" in opt.to_mlir()
    assert "equivalent" in opt.remarks
    assert opt.cost()["seconds"] < g.cost()["seconds"]
    x, w1, w2 = (rand(rng, (8, 64), 0.25), rand(rng, (64, 128), 0.25),
                 rand(rng, (64, 128), 0.25))
    xf = x.astype(np.float64)
    want = silu(xf @ w1.astype(np.float64)) * (xf @ w2.astype(np.float64))
    assert_close(opt([x, w1, w2])[0], want)
    assert opt.check([x, w1, w2])


def test_superoptimize_argument_errors():
    g = small_graph()
    with pytest.raises(ValueError, match="config"):
        g.superoptimize(config="transformer")
    with pytest.raises(TypeError, match="unknown arguments"):
        g.superoptimize(budget=3)
    with pytest.raises(NotImplementedError, match="fmaps"):
        g.superoptimize(fmaps=[0])
    with pytest.raises(mi.MirageError, match="bad grid '0x1x1'"):
        g.superoptimize(griddims=[(0, 1, 1)], time_budget=1)


# Bad input -------------------------------------------------------------------

def test_shape_error_names_op_and_dims():
    # Mirage's README builds W as 406x4096 against a 16x4096 X.
    g = mi.new_kernel_graph()
    X = g.new_input(dims=(16, 4096), dtype=mi.float16)
    W = g.new_input(dims=(406, 4096), dtype=mi.float16)
    with pytest.raises(mi.ShapeError, match=r"matmul\(16x4096, 406x4096\)"):
        g.matmul(g.rms_norm(X), W)
    with pytest.raises(mi.ShapeError, match=r"add\(16x4096, 406x4096\)"):
        g.add(X, W)
    with pytest.raises(mi.ShapeError, match="reduction"):
        g.reduction(X, 5)
    with pytest.raises(mi.ShapeError, match="rms_norm"):
        g.rms_norm(X, normalized_shape=(100,))
    with pytest.raises(mi.ShapeError, match="positive"):
        g.new_input(dims=(0, 4))
    with pytest.raises(mi.ShapeError, match="row-major"):
        g.new_input(dims=(4, 8), strides=(1, 4))


def test_bad_dtypes():
    with pytest.raises(TypeError, match="unsupported dtype"):
        mi.new_kernel_graph().new_input((2, 2), dtype="int8")
    g = mi.new_kernel_graph()
    A = g.new_input((2, 2), dtype=mi.float16)
    B = g.new_input((2, 2), dtype=mi.float32)
    with pytest.raises(TypeError, match="dtypes f16 and f32"):
        g.add(A, B)


def test_bad_call_arguments(rng):
    g = small_graph()
    x, w = rand(rng, (4, 64)), rand(rng, (64, 32))
    with pytest.raises(TypeError, match="input 0: dtype float32"):
        g([x.astype(np.float32), w])
    with pytest.raises(ValueError, match="input 1: shape 32x64"):
        g([x, np.ascontiguousarray(w.T)])
    with pytest.raises(ValueError, match="input 1: strides"):
        g([x, np.asfortranarray(w)])
    with pytest.raises(ValueError, match="takes 2 inputs, 1 were given"):
        g([x])
    with pytest.raises(TypeError, match="numpy array or a torch tensor"):
        g([x, w.tolist()])
    with pytest.raises(TypeError, match="expected the inputs"):
        g()
    # Mirage's spelling works too.
    assert g(inputs=[x, w])[0].shape == (4, 32)


def test_no_outputs_and_foreign_tensors():
    g = mi.new_kernel_graph(name="empty")
    g.new_input((2, 2))
    with pytest.raises(mi.MirageError, match="no outputs"):
        g.to_mlir()
    other = mi.new_kernel_graph().new_input((2, 2))
    with pytest.raises(TypeError, match="DTensor of this graph"):
        g.exp(other)


def test_unmarked_outputs_are_the_unread_results(rng):
    g = mi.new_kernel_graph()
    X = g.new_input((4, 8))
    E = g.exp(X)
    g.div(E, g.reduction(E, 1))
    assert [t.shape for t in g.get_output_dtensors()] == [(4, 8)]


def test_unsupported_op_and_bad_text():
    with pytest.raises(mi.MirageError, match=r"<mlir>:2:\d+: error"):
        mi.from_mlir("func.func @f(%x: tensor<2xf16>) -> tensor<2xf16> {\n"
                     "  %y = kernel.frobnicate %x : tensor<2xf16>\n"
                     "  return %y : tensor<2xf16>\n}\n")
    text = ("func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
            "  %y = math.absf %x : tensor<4xf32>\n"
            "  return %y : tensor<4xf32>\n}\n")
    with pytest.raises(mi.MirageError, match="error"):
        mi.from_mlir(text)
    with pytest.raises(mi.MirageError, match="nest"):
        mi.from_mlir("(" * 5000)
    with pytest.raises(TypeError):
        mi.from_mlir(42)


def test_torch_cpu_tensors(rng):
    torch = pytest.importorskip("torch")
    g = small_graph()
    x, w = rand(rng, (4, 64)), rand(rng, (64, 32))
    (out,) = g([torch.from_numpy(x), torch.from_numpy(w)])
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float16
    np.testing.assert_array_equal(out.numpy(), g([x, w])[0])


class FakeTorch:
    """Just what mirage_mlir reads of torch, for CUDA tensors without a GPU
    or torch."""

    class device:
        def __init__(self, spec):
            self.type = spec.split(":")[0]

    class Tensor:
        def __init__(self, shape, dtype="torch.float16", device="cuda:0"):
            self.shape, self.dtype = tuple(shape), dtype
            self.device = FakeTorch.device(device)

        def is_contiguous(self):
            return True

        def stride(self):
            return tuple(int(np.prod(self.shape[i + 1:]))
                         for i in range(len(self.shape)))

    class cuda:
        @staticmethod
        def get_device_capability(device):
            return (9, 0)


def test_cuda_tensors_go_through_the_bundle(monkeypatch):
    import types
    monkeypatch.setitem(__import__("sys").modules, "torch", FakeTorch)
    opened = []

    class Bundle:
        def __init__(self, path):
            opened.append(path)

        def __call__(self, *inputs, stream=None):
            opened.append((len(inputs), stream))
            return ("out",)

    runtime = types.ModuleType("mirage_runtime")
    runtime.Bundle = Bundle
    monkeypatch.setitem(__import__("sys").modules, "mirage_runtime", runtime)
    g = small_graph()
    x, w = FakeTorch.Tensor((4, 64)), FakeTorch.Tensor((64, 32))
    assert g([x, w], stream=7) == ["out"]
    assert g([x, w]) == ["out"]  # the bundle is opened once per chip
    path = opened[0]
    assert os.path.exists(os.path.join(path, "small.ptx"))
    assert ".target sm_90" in open(os.path.join(path, "small.ptx")).read()
    assert opened[1:] == [(2, 7), (2, None)]
    with pytest.raises(ValueError, match="different kinds"):
        g([x, np.zeros((64, 32), np.float16)])


def test_cuda_tensors_without_the_runtime(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "torch", FakeTorch)
    monkeypatch.setitem(__import__("sys").modules, "mirage_runtime", None)
    g = small_graph()
    with pytest.raises(mi.MirageError, match="mirage_runtime package"):
        g([FakeTorch.Tensor((4, 64)), FakeTorch.Tensor((64, 32))])


def test_block_graph_errors_point_at_the_script():
    g = mi.new_kernel_graph()
    X = g.new_input((2, 256))
    tb = mi.new_threadblock_graph((1, 1, 1), (128, 1, 1), 4)
    tX = tb.new_input(X, (-1, -1, -1), 1)
    tb.new_output(tb.exp(tX), (-1, -1, -1))  # saves a pre-accumulation tile
    with pytest.raises(mi.MirageError, match=r"test_api.py:\d+:\d+: error: .*"):
        g.customized([X], tb)
