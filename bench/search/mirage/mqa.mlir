// Mirage's own μGraph for examples/mqa.mlir, at the same shape: μGraph
// 0 of benchmark/saved_mugraphs/mqa_bs1.json in mirage-project/mirage (commit
// 46258bcb1b36), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_mqa_<i> is μGraph i.
//
// Split-KV flash-decoding: kernel 1 (grid (1, 8, 16), 4 iterations),
// kernel 2 (grid (1, 128, 1)) combines the 8 splits and divides.
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_mqa_0(%arg0: tensor<1x1024x64xf16>, %arg1: tensor<1x64x4096xf16>, %arg2: tensor<1x4096x64xf16>) -> tensor<1x1024x64xf16> {
  %0:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [1, 8, 16] block [128, 1, 1] forloop 4 : (tensor<1x1024x64xf16>, tensor<1x64x4096xf16>, tensor<1x4096x64xf16>) -> (tensor<1x1024x1024xf16>, tensor<1x1024x512xf16>) {
  ^bb0(%arg3: tensor<1x1024x64xf16>, %arg4: tensor<1x64x4096xf16>, %arg5: tensor<1x4096x64xf16>):
    %2 = block.loader %arg3 imap [-1, -1, 1] fmap -1 : tensor<1x1024x64xf16> -> !block.tile<1x64x64xf16, pre>
    %3 = block.loader %arg4 imap [-1, 2, -1] fmap 2 : tensor<1x64x4096xf16> -> !block.tile<1x64x128xf16, pre>
    %4 = block.loader %arg5 imap [-1, 1, -1] fmap 1 : tensor<1x4096x64xf16> -> !block.tile<1x128x64xf16, pre>
    %5 = block.matmul %2, %3 : !block.tile<1x64x64xf16, pre>, !block.tile<1x64x128xf16, pre>
    %6 = block.exp %5 : !block.tile<1x64x128xf16, pre>
    %7 = block.accum none %6 : !block.tile<1x64x128xf16, pre> -> !block.tile<1x64x128xf16, post>
    %8 = block.matmul %6, %4 : !block.tile<1x64x128xf16, pre>, !block.tile<1x128x64xf16, pre>
    %9 = block.accum none %8 : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
    %10 = block.saver %7 omap [-1, 2, 1] : !block.tile<1x64x128xf16, post> -> tensor<1x1024x1024xf16>
    %11 = block.saver %9 omap [-1, 2, 1] : !block.tile<1x64x64xf16, post> -> tensor<1x1024x512xf16>
    block.yield %10, %11 : tensor<1x1024x1024xf16>, tensor<1x1024x512xf16>
  }
  %1 = kernel.graph_defined (%0#0, %0#1) grid [1, 128, 1] block [128, 1, 1] forloop 1 : (tensor<1x1024x1024xf16>, tensor<1x1024x512xf16>) -> tensor<1x1024x64xf16> {
  ^bb0(%arg3: tensor<1x1024x1024xf16>, %arg4: tensor<1x1024x512xf16>):
    %2 = block.loader %arg3 imap [-1, 1, -1] fmap -1 : tensor<1x1024x1024xf16> -> !block.tile<1x8x1024xf16, pre>
    %3 = block.loader %arg4 imap [-1, 1, -1] fmap -1 : tensor<1x1024x512xf16> -> !block.tile<1x8x512xf16, pre>
    %4 = block.accum sum %2 : !block.tile<1x8x1024xf16, pre> -> !block.tile<1x8x1xf16, post>
    %5 = block.accum sum_to_dimx %3 : !block.tile<1x8x512xf16, pre> -> !block.tile<1x8x64xf16, post>
    %6 = block.div %5, %4 : !block.tile<1x8x64xf16, post>, !block.tile<1x8x1xf16, post>
    %7 = block.saver %6 omap [-1, 1, -1] : !block.tile<1x8x64xf16, post> -> tensor<1x1024x64xf16>
    block.yield %7 : tensor<1x1024x64xf16>
  }
  return %1 : tensor<1x1024x64xf16>
}
