# Mirage's README example "RMSNorm + MatMul", run on the CPU.
# Changed from the README: the import line; W, which the README declares as
# 406x4096 (a shape error against the 16x4096 X: matmul needs W's first dim
# to be 4096), is 4096x4096 as the README's own torch input; the inputs are
# numpy arrays instead of torch CUDA tensors. Run: PYTHONPATH=build/python
# /usr/bin/python3 python/examples/readme_rmsnorm.py
import mirage_mlir as mi
graph = mi.new_kernel_graph()
X = graph.new_input(dims=(16, 4096), dtype=mi.float16)
W = graph.new_input(dims=(4096, 4096), dtype=mi.float16)
O = graph.matmul(graph.rms_norm(X), W)
graph.mark_output(O)
optimized_graph = graph.superoptimize()

import numpy as np
rng = np.random.default_rng(0)
input_tensors = [
    rng.standard_normal((16, 4096)).astype(np.float16),
    (rng.standard_normal((4096, 4096)) / 64).astype(np.float16),
]
output = optimized_graph(input_tensors)
