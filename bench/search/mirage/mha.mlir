// Mirage's own μGraph for examples/mha.mlir, at the same shape: μGraph
// 0 of benchmark/saved_mugraphs/mha_bs1.json in mirage-project/mirage (commit
// 46258bcb1b36), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_mha_<i> is μGraph i.
//
// Kernel-level Q K, exp and (exp) V, then one graph-defined kernel
// (grid (32, 2, 1)) sums the rows of exp and divides.
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_mha_0(%arg0: tensor<32x16x64xf16>, %arg1: tensor<32x64x4096xf16>, %arg2: tensor<32x4096x64xf16>) -> tensor<32x16x64xf16> {
  %0 = kernel.matmul %arg0, %arg1 : tensor<32x16x64xf16>, tensor<32x64x4096xf16>
  %1 = kernel.exp %0 : tensor<32x16x4096xf16>
  %2 = kernel.matmul %1, %arg2 : tensor<32x16x4096xf16>, tensor<32x4096x64xf16>
  %3 = kernel.graph_defined (%1, %2) grid [32, 2, 1] block [128, 1, 1] forloop 1 : (tensor<32x16x4096xf16>, tensor<32x16x64xf16>) -> tensor<32x16x64xf16> {
  ^bb0(%arg3: tensor<32x16x4096xf16>, %arg4: tensor<32x16x64xf16>):
    %4 = block.loader %arg3 imap [0, 1, -1] fmap -1 : tensor<32x16x4096xf16> -> !block.tile<1x8x4096xf16, pre>
    %5 = block.loader %arg4 imap [0, 1, -1] fmap -1 : tensor<32x16x64xf16> -> !block.tile<1x8x64xf16, pre>
    %6 = block.accum sum %4 : !block.tile<1x8x4096xf16, pre> -> !block.tile<1x8x1xf16, post>
    %7 = block.accum none %5 : !block.tile<1x8x64xf16, pre> -> !block.tile<1x8x64xf16, post>
    %8 = block.div %7, %6 : !block.tile<1x8x64xf16, post>, !block.tile<1x8x1xf16, post>
    %9 = block.saver %8 omap [0, 1, -1] : !block.tile<1x8x64xf16, post> -> tensor<32x16x64xf16>
    block.yield %9 : tensor<32x16x64xf16>
  }
  return %3 : tensor<32x16x64xf16>
}
