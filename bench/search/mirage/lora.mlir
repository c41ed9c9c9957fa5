// Mirage's own μGraph for examples/lora.mlir, at the same shape: μGraph
// 0 of benchmark/saved_mugraphs/lora.json in mirage-project/mirage (commit
// 46258bcb1b36), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_lora_<i> is μGraph i.
//
// One kernel (grid 64, no loop): X W + (X A) B on 64-column tiles.
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_lora_0(%arg0: tensor<16x256xf16>, %arg1: tensor<256x4096xf16>, %arg2: tensor<256x16xf16>, %arg3: tensor<16x4096xf16>) -> tensor<16x4096xf16> {
  %0 = kernel.graph_defined (%arg0, %arg1, %arg2, %arg3) grid [64, 1, 1] block [128, 1, 1] forloop 1 : (tensor<16x256xf16>, tensor<256x4096xf16>, tensor<256x16xf16>, tensor<16x4096xf16>) -> tensor<16x4096xf16> {
  ^bb0(%arg4: tensor<16x256xf16>, %arg5: tensor<256x4096xf16>, %arg6: tensor<256x16xf16>, %arg7: tensor<16x4096xf16>):
    %1 = block.loader %arg4 imap [-1, -1, -1] fmap -1 : tensor<16x256xf16> -> !block.tile<16x256xf16, pre>
    %2 = block.loader %arg5 imap [1, -1, -1] fmap -1 : tensor<256x4096xf16> -> !block.tile<256x64xf16, pre>
    %3 = block.loader %arg6 imap [-1, -1, -1] fmap -1 : tensor<256x16xf16> -> !block.tile<256x16xf16, pre>
    %4 = block.loader %arg7 imap [1, -1, -1] fmap -1 : tensor<16x4096xf16> -> !block.tile<16x64xf16, pre>
    %5 = block.matmul %1, %2 : !block.tile<16x256xf16, pre>, !block.tile<256x64xf16, pre>
    %6 = block.matmul %1, %3 : !block.tile<16x256xf16, pre>, !block.tile<256x16xf16, pre>
    %7 = block.matmul %6, %4 : !block.tile<16x16xf16, pre>, !block.tile<16x64xf16, pre>
    %8 = block.add %7, %5 : !block.tile<16x64xf16, pre>, !block.tile<16x64xf16, pre>
    %9 = block.accum none %8 : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    %10 = block.saver %9 omap [1, -1, -1] : !block.tile<16x64xf16, post> -> tensor<16x4096xf16>
    block.yield %10 : tensor<16x4096xf16>
  }
  return %0 : tensor<16x4096xf16>
}
