# Mirage's README example "Group-query attention (GQA)", run on the CPU.
# Changed from the README: the import line; the inputs, which the README
# builds as torch CUDA tensors of other shapes (64x1x128, ...) than its graph
# (2x256x64, ...), are numpy arrays of the graph's shapes, scaled by 1/8 so
# that exp(Q K) stays finite in fp16. Run: PYTHONPATH=build/python
# /usr/bin/python3 python/examples/readme_gqa.py
import mirage_mlir as mi
graph = mi.new_kernel_graph()
Q = graph.new_input(dims=(2, 256, 64), dtype=mi.float16)
K = graph.new_input(dims=(2, 64, 4096), dtype=mi.float16)
V = graph.new_input(dims=(2, 4096, 64), dtype=mi.float16)
A = graph.matmul(Q, K)
E = graph.exp(A)
S = graph.reduction(E, 2)
D = graph.div(E, S)
O = graph.matmul(D, V)

optimized_graph = graph.superoptimize(config="attention")

import numpy as np
rng = np.random.default_rng(0)
input_tensors = [
    (rng.standard_normal((2, 256, 64)) / 8).astype(np.float16),
    (rng.standard_normal((2, 64, 4096)) / 8).astype(np.float16),
    (rng.standard_normal((2, 4096, 64)) / 8).astype(np.float16),
]
# Run the μGraph found, on the CPU
output = optimized_graph(input_tensors)
