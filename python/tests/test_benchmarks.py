"""Mirage's GatedMLP, RMSNorm and GQA benchmark graphs built through the API
at small shapes, superoptimized with a small budget and candidate lists
narrowed around the μGraphs Mirage finds (as test/Search/must-find-*.mlir
do), and run on the CPU against numpy."""

import numpy as np

import mirage_mlir as mi
from conftest import assert_close, rand, rms_norm, silu


def search(graph, tmp_path, **kwargs):
    opt = graph.superoptimize(time_budget=120, threads=2,
                              cache_dir=str(tmp_path), **kwargs)
    assert "equivalent;" in opt.remarks
    assert "kernel.graph_defined" in opt.to_mlir(), opt.remarks
    assert opt.cost()["seconds"] < graph.cost()["seconds"]
    return opt


def test_gated_mlp(rng, tmp_path):
    graph = mi.new_kernel_graph(name="gated_mlp")
    X = graph.new_input(dims=(8, 64), dtype=mi.float16)
    W1 = graph.new_input(dims=(64, 128), dtype=mi.float16)
    W2 = graph.new_input(dims=(64, 128), dtype=mi.float16)
    O = graph.mul(graph.silu(graph.matmul(X, W1)), graph.matmul(X, W2))
    graph.mark_output(O)
    # The arguments Mirage's benchmark script passes are accepted.
    opt = search(graph, tmp_path, config="mlp", max_block_ops=10,
                 backend="nki", previous_checkpoint="gated_mlp.json",
                 save_codes=False, warmup_iters=16, profile_iters=1000)
    x, w1, w2 = (rand(rng, s, 0.25) for s in ((8, 64), (64, 128), (64, 128)))
    xf = x.astype(np.float64)
    want = silu(xf @ w1.astype(np.float64)) * (xf @ w2.astype(np.float64))
    assert_close(opt([x, w1, w2])[0], want)
    assert opt.check([x, w1, w2])


def test_rmsnorm(rng, tmp_path):
    graph = mi.new_kernel_graph(name="rmsnorm")
    X = graph.new_input(dims=(2, 256), dtype=mi.float16)
    W = graph.new_input(dims=(256, 96), dtype=mi.float16)
    graph.mark_output(graph.matmul(graph.rms_norm(X), W))
    opt = search(graph, tmp_path, config="mlp", griddims=[(4, 1, 1)],
                 imaps=[(-1, -1, -1), (1, -1, -1)], omaps=[(1, -1, -1)],
                 franges=[4])
    x, w = rand(rng, (2, 256)), rand(rng, (256, 96), 0.125)
    assert_close(opt([x, w])[0], rms_norm(x) @ w.astype(np.float64))
    assert opt.check([x, w])


def test_gqa(rng, tmp_path):
    graph = mi.new_kernel_graph(name="gqa")
    Q = graph.new_input(dims=(2, 64, 64), dtype=mi.float16)
    K = graph.new_input(dims=(2, 64, 1024), dtype=mi.float16)
    V = graph.new_input(dims=(2, 1024, 64), dtype=mi.float16)
    E = graph.exp(graph.matmul(Q, K))
    O = graph.matmul(graph.div(E, graph.reduction(E, 2)), V)
    graph.mark_output(O)
    opt = search(graph, tmp_path, config="attention", max_block_ops=10,
                 griddims=[(2, 4, 2), (2, 2, 1)],
                 imaps=[(0, -1, 1), (0, 2, -1), (0, 1, -1)],
                 omaps=[(0, 2, 1), (0, 1, -1)], franges=[1])
    assert opt.to_mlir().count("kernel.graph_defined") == 2
    q, k, v = (rand(rng, s, 0.25) for s in ((2, 64, 64), (2, 64, 1024),
                                             (2, 1024, 64)))
    e = np.exp(q.astype(np.float64) @ k.astype(np.float64))
    want = (e / e.sum(axis=2, keepdims=True)) @ v.astype(np.float64)
    assert_close(opt([q, k, v])[0], want)
    assert opt.check([q, k, v])
