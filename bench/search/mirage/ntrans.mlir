// Mirage's own μGraph for examples/ntrans.mlir, at the same shape: μGraph
// 0 of benchmark/saved_mugraphs/ntrans_bs1.json in mirage-project/mirage (commit
// 1cf8660f943a), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_ntrans_<i> is μGraph i.
//
// One kernel (grid 8, a row per block): both rms_norms, the adds and the
// mul in one pass.
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_ntrans_0(%arg0: tensor<8x4096xf16>, %arg1: tensor<8x4096xf16>, %arg2: tensor<8x4096xf16>) -> tensor<8x4096xf16> {
  %0 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [8, 1, 1] block [128, 1, 1] forloop 1 : (tensor<8x4096xf16>, tensor<8x4096xf16>, tensor<8x4096xf16>) -> tensor<8x4096xf16> {
  ^bb0(%arg3: tensor<8x4096xf16>, %arg4: tensor<8x4096xf16>, %arg5: tensor<8x4096xf16>):
    %1 = block.loader %arg3 imap [0, -1, -1] fmap -1 : tensor<8x4096xf16> -> !block.tile<1x4096xf16, pre>
    %2 = block.loader %arg4 imap [0, -1, -1] fmap -1 : tensor<8x4096xf16> -> !block.tile<1x4096xf16, pre>
    %3 = block.loader %arg5 imap [0, -1, -1] fmap -1 : tensor<8x4096xf16> -> !block.tile<1x4096xf16, pre>
    %4 = block.rms_norm %1 : !block.tile<1x4096xf16, pre>
    %5 = block.add %2, %4 : !block.tile<1x4096xf16, pre>, !block.tile<1x4096xf16, pre>
    %6 = block.mul %5, %3 : !block.tile<1x4096xf16, pre>, !block.tile<1x4096xf16, pre>
    %7 = block.add %6, %2 : !block.tile<1x4096xf16, pre>, !block.tile<1x4096xf16, pre>
    %8 = block.rms_norm %7 : !block.tile<1x4096xf16, pre>
    %9 = block.accum none %8 : !block.tile<1x4096xf16, pre> -> !block.tile<1x4096xf16, post>
    %10 = block.saver %9 omap [0, -1, -1] : !block.tile<1x4096xf16, post> -> tensor<8x4096xf16>
    block.yield %10 : tensor<8x4096xf16>
  }
  return %0 : tensor<8x4096xf16>
}
