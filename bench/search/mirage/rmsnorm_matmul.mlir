// Mirage's own μGraph for examples/rmsnorm_matmul.mlir, at the same shape: μGraph
// 0 of benchmark/saved_mugraphs/rmsnorm_bs1.json in mirage-project/mirage (commit
// 2115b8f90232), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_rmsnorm_matmul_<i> is μGraph i.
//
// RMSNorm + MatMul in one kernel: grid (256, 1, 1), 32 iterations; the rms
// accumulator and the plain one share the loaded X; one division at the end.
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_rmsnorm_matmul_0(%arg0: tensor<2x4096xf16>, %arg1: tensor<4096x6144xf16>) -> tensor<2x6144xf16> {
  %0 = kernel.graph_defined (%arg0, %arg1) grid [256, 1, 1] block [128, 1, 1] forloop 32 : (tensor<2x4096xf16>, tensor<4096x6144xf16>) -> tensor<2x6144xf16> {
  ^bb0(%arg2: tensor<2x4096xf16>, %arg3: tensor<4096x6144xf16>):
    %1 = block.loader %arg2 imap [-1, -1, -1] fmap 1 : tensor<2x4096xf16> -> !block.tile<2x128xf16, pre>
    %2 = block.loader %arg3 imap [1, -1, -1] fmap 0 : tensor<4096x6144xf16> -> !block.tile<128x24xf16, pre>
    %3 = block.accum rms %1 : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
    %4 = block.matmul %1, %2 : !block.tile<2x128xf16, pre>, !block.tile<128x24xf16, pre>
    %5 = block.accum none %4 : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
    %6 = block.div %5, %3 : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
    %7 = block.saver %6 omap [1, -1, -1] : !block.tile<2x24xf16, post> -> tensor<2x6144xf16>
    block.yield %7 : tensor<2x6144xf16>
  }
  return %0 : tensor<2x6144xf16>
}
