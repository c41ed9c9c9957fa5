"""torch.compile(model, backend=mirage_mlir.backend) against eager PyTorch on
the CPU (docs/Python.md, "torch.compile backend"). Skips without torch
(`make torch` installs it; CI runs it)."""

import math
import warnings

import pytest

torch = pytest.importorskip(
    "torch", reason="torch is not installed: `make torch` installs it "
    "(docs/Python.md, 'Installing torch')")
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import mirage_mlir as mi  # noqa: E402

# A short search per region: these tests check the regions' numerics, not
# what the search finds (test_benchmarks.py does).
BUDGET = 1


@pytest.fixture(autouse=True)
def fresh_dynamo():
    torch._dynamo.reset()
    torch.manual_seed(0)
    yield
    torch._dynamo.reset()


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.rand(dim) + 0.5)
        self.eps = eps

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return x * torch.rsqrt(var + self.eps) * self.weight


class DecoderLayer(nn.Module):
    """RMSNorm, grouped-query attention (4 query heads sharing 2 key/value
    heads) with an explicit softmax, and a SiLU-gated MLP."""

    def __init__(self, dim=64, heads=4, kv_heads=2, ffn=128):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = heads, kv_heads, dim // heads
        self.norm1, self.norm2 = RMSNorm(dim), RMSNorm(dim)
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(dim, kv_heads * self.head_dim, bias=False)
        self.v = nn.Linear(dim, kv_heads * self.head_dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.gate = nn.Linear(dim, ffn, bias=False)
        self.up = nn.Linear(dim, ffn, bias=False)
        self.down = nn.Linear(ffn, dim, bias=False)

    def forward(self, x):
        b, s, d = x.shape
        hd, rep = self.head_dim, self.heads // self.kv_heads
        h = self.norm1(x)
        q = self.q(h).view(b, s, self.heads, hd).transpose(1, 2)
        k = self.k(h).view(b, s, self.kv_heads, hd).transpose(1, 2)
        v = self.v(h).view(b, s, self.kv_heads, hd).transpose(1, 2)
        k = k[:, :, None].expand(b, self.kv_heads, rep, s, hd).reshape(
            b, self.heads, s, hd)
        v = v[:, :, None].expand(b, self.kv_heads, rep, s, hd).reshape(
            b, self.heads, s, hd)
        scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(hd))
        attn = torch.softmax(scores, dim=-1)
        a = (attn @ v).transpose(1, 2).reshape(b, s, d)
        x = x + self.o(a)
        h = self.norm2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


def compile_and_run(model, *inputs, **options):
    options.setdefault("time_budget", BUDGET)
    backend = mi.backend.with_options(**options)
    compiled = torch.compile(model, backend=backend)
    with torch.no_grad():
        want = model(*inputs)
        got = compiled(*inputs)
    return got, want, backend


# The tolerances: fp32 regions compute in f32 like PyTorch (the order of
# the sums differs); f16 and bf16 regions round each op's result to the
# type, as PyTorch does, in other places: within a few units in the last
# place of outputs of magnitude ~3 (f16 ulp there 2^-9, bf16 2^-6).
TOLERANCES = {torch.float32: dict(rtol=1e-4, atol=1e-4),
              torch.float16: dict(rtol=1e-2, atol=1e-2),
              torch.bfloat16: dict(rtol=5e-2, atol=5e-2)}


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16,
                                   torch.bfloat16])
def test_decoder_layer_against_eager(dtype):
    model = DecoderLayer().to(dtype).eval()
    x = torch.randn(2, 8, 64, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error", mi.MirageFallbackWarning)
        got, want, backend = compile_and_run(model, x)
    assert got.dtype == dtype and got.shape == want.shape
    assert torch.isfinite(got).all()
    torch.testing.assert_close(got, want, **TOLERANCES[dtype])
    replaced = [r for r in backend.regions if r.replaced]
    assert replaced, backend.regions
    # Every replaced region ran, once.
    assert all(r.calls == 1 for r in replaced)
    ops = [op for r in replaced for op in r.ops]
    # The projections, the attention's batched matmuls and softmax, the
    # RMSNorms and the gated MLP are in compiled regions...
    for op in ("aten.mm.default", "aten.bmm.default", "aten.amax.default",
               "aten.exp.default", "aten.rsqrt.default", "aten.silu.default"):
        assert op in ops, (op, backend.regions)
    assert ops.count("aten.mm.default") == 7
    # ...and k[:, :, None] (a slice, which no kernel op expresses) splits
    # them.
    assert len(backend.regions) >= 2
    # Both RMSNorms, x * rsqrt(mean(x^2) + eps), became kernel.rms_norm.
    mlir = "".join(r.mlir for r in replaced)
    assert mlir.count("kernel.rms_norm") == 2 and " eps " in mlir
    for r in replaced:
        assert "func.func" in r.mlir and "kernel." in r.mlir
        assert "mirage-superoptimize" in r.remarks


class Zoo(nn.Module):
    """Every op the translation covers, in one region."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(16, 24)  # addmm with a bias

    def forward(self, x, y):
        h = self.linear(x)                               # (8, 24)
        h = F.gelu(h) + torch.tanh(h) - torch.sigmoid(h) * 0.5
        h = torch.erf(h) / 3.0 - (-h) + F.relu(h)
        e = torch.exp(h - h.amax(dim=-1, keepdim=True))
        p = e / e.sum(dim=-1, keepdim=True)
        s = torch.sqrt(p.pow(2) + 1.0) + p.pow(0.5) + 2.0 / (p + 1.0)
        t = s.reshape(2, 4, 24).permute(2, 0, 1)         # (24, 2, 4)
        m = t.mean(dim=(1, 2)) + t.sum(dim=1).amax(dim=1)  # (24,)
        z = (y.float() * m).to(torch.float16)            # a cast each way
        return z, (s @ y.float().t()).t()


def test_every_translated_op_in_one_region():
    model = Zoo().eval()
    x = torch.randn(8, 16)
    y = torch.randn(8, 24).half()
    with warnings.catch_warnings():
        warnings.simplefilter("error", mi.MirageFallbackWarning)
        (z, w), (z0, w0), backend = compile_and_run(model, x, y)
    assert len(backend.regions) == 1 and backend.regions[0].replaced
    region = backend.regions[0]
    for op in ("kernel.gelu", "kernel.tanh", "kernel.sigmoid", "kernel.erf",
               "kernel.neg", "kernel.relu", "kernel.reduce_max",
               "kernel.reduction", "kernel.reduce_mean", "kernel.transpose",
               "kernel.reshape", "kernel.cast", "kernel.mul_scalar",
               "kernel.square", "kernel.sqrt", "kernel.matmul",
               "kernel.sub", "kernel.div", "kernel.add", "kernel.mul"):
        assert op in region.mlir, op
    assert z.dtype == torch.float16
    torch.testing.assert_close(z, z0, rtol=1e-2, atol=1e-2)
    torch.testing.assert_close(w, w0, rtol=1e-4, atol=1e-4)


class RMSNormLinear(nn.Module):
    """Mirage's RMSNorm+MatMul, written as PyTorch users write it (eps 0:
    the μGraph's RMS accumulator has none)."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(1024, 768) / 32)

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 0.0) @ self.w


def test_the_search_fuses_an_rms_norm_linear_region():
    """The region's kernel.rms_norm + kernel.matmul becomes one graph-defined
    kernel, whose blocks each normalize X and multiply it by a slice of W;
    the candidate lists are narrowed around it (as test_benchmarks.py does)
    and the search runs to its end (time_budget=0), so the result does not
    depend on the machine's speed."""
    model = RMSNormLinear().half().eval()
    x = torch.randn(2, 1024).half()
    with warnings.catch_warnings():
        warnings.simplefilter("error", mi.MirageFallbackWarning)
        got, want, backend = compile_and_run(
            model, x, config="mlp", time_budget=0, griddims=[(16, 1, 1)],
            franges=[8], imaps=[(-1, -1, -1), (1, -1, -1)],
            omaps=[(1, -1, -1)])
    (region,) = backend.regions
    assert "kernel.rms_norm" in region.mlir and " eps 0." in region.mlir
    found = region.graph.to_mlir()
    assert found.count("kernel.graph_defined") == 1, region.remarks
    assert "kernel.rms_norm" not in found and "kernel.matmul" not in found
    assert "block.matmul" in found
    # Faster by the cost model than the region as PyTorch wrote it (also
    # when the search cache answers, whose remark gives no speed-up).
    assert region.graph.cost()["seconds"] < \
        mi.from_mlir(region.mlir).cost()["seconds"]
    assert region.calls == 1
    torch.testing.assert_close(got, want, rtol=1e-2, atol=1e-2)


def test_torch_rms_norm_module_is_kernel_rms_norm():
    model = nn.Sequential(nn.RMSNorm(64, eps=1e-5), nn.Linear(64, 32)).eval()
    with torch.no_grad():
        model[0].weight.uniform_(0.5, 1.5)
    x = torch.randn(4, 64)
    got, want, backend = compile_and_run(model, x)
    (region,) = backend.regions
    assert region.replaced and "kernel.rms_norm" in region.mlir
    assert "kernel.rsqrt" not in region.mlir
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)


class WithCumsum(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(32, 32) / 8)

    def forward(self, x):
        y = F.silu(x @ self.w)
        y = torch.cumsum(y, dim=-1)   # no kernel op: PyTorch runs it
        return torch.exp(-y.square()) * 2.0


def test_unsupported_op_in_the_middle_splits_the_graph():
    model = WithCumsum().eval()
    x = torch.randn(4, 32)
    got, want, backend = compile_and_run(model, x)
    assert [r.replaced for r in backend.regions] == [True, True]
    ops = [op for r in backend.regions for op in r.ops]
    assert "aten.cumsum.default" not in ops
    assert "aten.mm.default" in ops and "aten.exp.default" in ops
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)


class Mlp(nn.Module):
    def __init__(self, dtype=torch.float32):
        super().__init__()
        self.w = nn.Parameter(torch.randn(32, 16, dtype=dtype) / 4)

    def forward(self, x):
        return F.silu(x @ self.w) * 3.0


def test_gradients_through_a_compiled_region():
    """Under autograd the forward regions are ours and the backward graph is
    PyTorch's, on the activations our regions computed."""
    model = nn.Sequential(nn.Linear(32, 48), nn.SiLU(), nn.Linear(48, 16))
    x = torch.randn(4, 32)
    backend = mi.backend.with_options(time_budget=BUDGET)
    got = torch.compile(model, backend=backend)(x)
    got.square().sum().backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    want = model(x)
    want.square().sum().backward()
    assert [r.calls for r in backend.regions] == [1]
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)
    for g, p in zip(grads, model.parameters()):
        torch.testing.assert_close(g, p.grad, rtol=1e-4, atol=1e-4)


def test_dynamic_shapes_fall_back_with_a_warning():
    model = Mlp().eval()
    backend = mi.backend.with_options(time_budget=BUDGET)
    compiled = torch.compile(model, backend=backend, dynamic=True)
    x = torch.randn(5, 32)
    with pytest.warns(mi.MirageFallbackWarning, match="dynamic shape"):
        with torch.no_grad():
            got = compiled(x)
    assert not any(r.replaced for r in backend.regions)
    torch.testing.assert_close(got, model(x), rtol=1e-5, atol=1e-5)


def test_unsupported_dtype_falls_back_with_a_warning():
    model = Mlp(torch.float64).eval()
    x = torch.randn(4, 32, dtype=torch.float64)
    with pytest.warns(mi.MirageFallbackWarning, match="torch.float64"):
        got, want, backend = compile_and_run(model, x)
    assert not any(r.replaced for r in backend.regions)
    torch.testing.assert_close(got, want)


def test_a_compiled_region_checks_its_inputs():
    model = Mlp().eval()
    got, want, backend = compile_and_run(model, torch.randn(4, 32))
    torch.testing.assert_close(got, want, rtol=1e-4, atol=1e-4)
    (region,) = backend.regions
    graph = region.graph
    shapes = [t.shape for t in graph.get_input_dtensors()]
    assert sorted(shapes) == [(4, 32), (32, 16)]
    good = [torch.randn(s) for s in shapes]
    bad = [torch.randn(s[0] + 1, s[1]) for s in shapes]
    with pytest.raises(ValueError, match="input 0: shape .* where the graph "
                       "takes"):
        graph([bad[0], good[1]])
    with pytest.raises(TypeError, match="dtype float64"):
        graph([good[0].double(), good[1]])
    with pytest.raises(ValueError, match="takes 2 inputs"):
        graph(good[:1])
    with pytest.raises(ValueError, match="not row-major"):
        graph([good[0], torch.randn(shapes[1][::-1]).t()])


def test_options_as_keyword_arguments():
    import functools
    model = Mlp().eval()
    x = torch.randn(4, 32)
    compiled = torch.compile(model, backend=functools.partial(
        mi.backend, time_budget=BUDGET, seed=3))
    with torch.no_grad():
        torch.testing.assert_close(compiled(x), model(x), rtol=1e-4,
                                   atol=1e-4)
    region = mi.backend.regions[-1]
    assert region.replaced and "mirage-superoptimize" in region.remarks


def test_a_region_the_cpu_lowering_rejects_runs_in_pytorch(monkeypatch):
    import mirage_mlir.backend_torch as backend_torch
    C = backend_torch._C

    class Rejecting:
        Error = C.Error

        @staticmethod
        def CpuKernel(text, entry, level):
            raise C.Error("<mlir>:3:8: error: no CPU lowering (a stand-in)")

    monkeypatch.setattr(backend_torch, "_C", Rejecting)
    model = Mlp().eval()
    x = torch.randn(4, 32)
    with pytest.warns(mi.MirageFallbackWarning,
                      match="CPU lowering rejected it: .*a stand-in"):
        got, want, backend = compile_and_run(model, x)
    (region,) = backend.regions
    assert not region.replaced and "a stand-in" in region.fallback
    torch.testing.assert_close(got, want)


def test_bad_options_raise():
    with pytest.raises(TypeError, match="unknown options.*budget"):
        mi.backend.with_options(budget=3)
    compiled = torch.compile(Mlp(), backend=mi.backend,
                             options={"bogus": 1})
    with pytest.raises(Exception, match="unknown options.*bogus"):
        compiled(torch.randn(4, 32))
    torch._dynamo.reset()
    compiled = torch.compile(Mlp(), backend=mi.backend, mode="max-autotune")
    with pytest.raises(Exception, match="only the default mode"):
        compiled(torch.randn(4, 32))


def test_wrong_inputs_to_a_compiled_model_raise():
    compiled = torch.compile(Mlp().eval(),
                             backend=mi.backend.with_options(
                                 time_budget=BUDGET))
    with torch.no_grad():
        compiled(torch.randn(4, 32))
        with pytest.raises(Exception, match="same reduction dim|shapes "
                           "cannot be multiplied"):
            compiled(torch.randn(4, 31))


@pytest.mark.skipif(not torch.cuda.is_available(),
                    reason="no CUDA device (the backend's regions run on the "
                    "CPU; this checks that CUDA models run in PyTorch)")
def test_cuda_tensors_run_in_pytorch():
    model = Mlp().eval().cuda()
    x = torch.randn(4, 32, device="cuda")
    with pytest.warns(mi.MirageFallbackWarning, match="device cuda"):
        got, want, backend = compile_and_run(model, x)
    assert not any(r.replaced for r in backend.regions)
    torch.testing.assert_close(got, want, rtol=1e-3, atol=1e-3)
