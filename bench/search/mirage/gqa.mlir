// Mirage's own μGraph for examples/gqa.mlir, at the same shape: μGraph
// 0 of benchmark/saved_mugraphs/gqa_bs1.json in mirage-project/mirage (commit
// 46258bcb1b36), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_gqa_<i> is μGraph i.
//
// Split-KV flash-decoding: kernel 1 (grid (2, 8, 16), 4 iterations) saves
// exp(Q K) and exp(Q K) V per split (plain accumulators), kernel 2 sums the
// 8 splits (sum and sum_to_dimx) and divides.
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_gqa_0(%arg0: tensor<2x256x64xf16>, %arg1: tensor<2x64x4096xf16>, %arg2: tensor<2x4096x64xf16>) -> tensor<2x256x64xf16> {
  %0:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [2, 8, 16] block [128, 1, 1] forloop 4 : (tensor<2x256x64xf16>, tensor<2x64x4096xf16>, tensor<2x4096x64xf16>) -> (tensor<2x256x1024xf16>, tensor<2x256x512xf16>) {
  ^bb0(%arg3: tensor<2x256x64xf16>, %arg4: tensor<2x64x4096xf16>, %arg5: tensor<2x4096x64xf16>):
    %2 = block.loader %arg3 imap [0, -1, 1] fmap -1 : tensor<2x256x64xf16> -> !block.tile<1x16x64xf16, pre>
    %3 = block.loader %arg4 imap [0, 2, -1] fmap 2 : tensor<2x64x4096xf16> -> !block.tile<1x64x128xf16, pre>
    %4 = block.loader %arg5 imap [0, 1, -1] fmap 1 : tensor<2x4096x64xf16> -> !block.tile<1x128x64xf16, pre>
    %5 = block.matmul %2, %3 : !block.tile<1x16x64xf16, pre>, !block.tile<1x64x128xf16, pre>
    %6 = block.exp %5 : !block.tile<1x16x128xf16, pre>
    %7 = block.accum none %6 : !block.tile<1x16x128xf16, pre> -> !block.tile<1x16x128xf16, post>
    %8 = block.matmul %6, %4 : !block.tile<1x16x128xf16, pre>, !block.tile<1x128x64xf16, pre>
    %9 = block.accum none %8 : !block.tile<1x16x64xf16, pre> -> !block.tile<1x16x64xf16, post>
    %10 = block.saver %7 omap [0, 2, 1] : !block.tile<1x16x128xf16, post> -> tensor<2x256x1024xf16>
    %11 = block.saver %9 omap [0, 2, 1] : !block.tile<1x16x64xf16, post> -> tensor<2x256x512xf16>
    block.yield %10, %11 : tensor<2x256x1024xf16>, tensor<2x256x512xf16>
  }
  %1 = kernel.graph_defined (%0#0, %0#1) grid [2, 16, 1] block [128, 1, 1] forloop 1 : (tensor<2x256x1024xf16>, tensor<2x256x512xf16>) -> tensor<2x256x64xf16> {
  ^bb0(%arg3: tensor<2x256x1024xf16>, %arg4: tensor<2x256x512xf16>):
    %2 = block.loader %arg3 imap [0, 1, -1] fmap -1 : tensor<2x256x1024xf16> -> !block.tile<1x16x1024xf16, pre>
    %3 = block.loader %arg4 imap [0, 1, -1] fmap -1 : tensor<2x256x512xf16> -> !block.tile<1x16x512xf16, pre>
    %4 = block.accum sum %2 : !block.tile<1x16x1024xf16, pre> -> !block.tile<1x16x1xf16, post>
    %5 = block.accum sum_to_dimx %3 : !block.tile<1x16x512xf16, pre> -> !block.tile<1x16x64xf16, post>
    %6 = block.div %5, %4 : !block.tile<1x16x64xf16, post>, !block.tile<1x16x1xf16, post>
    %7 = block.saver %6 omap [0, 1, -1] : !block.tile<1x16x64xf16, post> -> tensor<2x256x64xf16>
    block.yield %7 : tensor<2x256x64xf16>
  }
  return %1 : tensor<2x256x64xf16>
}
