// Mirage's own μGraphs for examples/gated_mlp.mlir, at the same shape: μGraphs
// 0, 2 of benchmark/saved_mugraphs/gated_mlp_bs8.json in mirage-project/mirage (commit
// bf2833bbfc75), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_gated_mlp_<i> is μGraph i.
//
// μGraph 0: one kernel (grid 128, 64 iterations) computes X W2 and silu(X W1),
// a kernel-level mul combines them. μGraph 2: the mul inside the same kernel.
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_gated_mlp_0(%arg0: tensor<8x4096xf16>, %arg1: tensor<4096x4096xf16>, %arg2: tensor<4096x4096xf16>) -> tensor<8x4096xf16> {
  %0:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [128, 1, 1] block [128, 1, 1] forloop 64 : (tensor<8x4096xf16>, tensor<4096x4096xf16>, tensor<4096x4096xf16>) -> (tensor<8x4096xf16>, tensor<8x4096xf16>) {
  ^bb0(%arg3: tensor<8x4096xf16>, %arg4: tensor<4096x4096xf16>, %arg5: tensor<4096x4096xf16>):
    %2 = block.loader %arg3 imap [-1, -1, -1] fmap 1 : tensor<8x4096xf16> -> !block.tile<8x64xf16, pre>
    %3 = block.loader %arg4 imap [1, -1, -1] fmap 0 : tensor<4096x4096xf16> -> !block.tile<64x32xf16, pre>
    %4 = block.loader %arg5 imap [1, -1, -1] fmap 0 : tensor<4096x4096xf16> -> !block.tile<64x32xf16, pre>
    %5 = block.matmul %2, %3 : !block.tile<8x64xf16, pre>, !block.tile<64x32xf16, pre>
    %6 = block.matmul %2, %4 : !block.tile<8x64xf16, pre>, !block.tile<64x32xf16, pre>
    %7 = block.accum none %5 : !block.tile<8x32xf16, pre> -> !block.tile<8x32xf16, post>
    %8 = block.accum none %6 : !block.tile<8x32xf16, pre> -> !block.tile<8x32xf16, post>
    %9 = block.silu %7 : !block.tile<8x32xf16, post>
    %10 = block.saver %8 omap [1, -1, -1] : !block.tile<8x32xf16, post> -> tensor<8x4096xf16>
    %11 = block.saver %9 omap [1, -1, -1] : !block.tile<8x32xf16, post> -> tensor<8x4096xf16>
    block.yield %10, %11 : tensor<8x4096xf16>, tensor<8x4096xf16>
  }
  %1 = kernel.mul %0#0, %0#1 : tensor<8x4096xf16>, tensor<8x4096xf16>
  return %1 : tensor<8x4096xf16>
}

func.func @mirage_gated_mlp_2(%arg0: tensor<8x4096xf16>, %arg1: tensor<4096x4096xf16>, %arg2: tensor<4096x4096xf16>) -> tensor<8x4096xf16> {
  %0 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [128, 1, 1] block [128, 1, 1] forloop 64 : (tensor<8x4096xf16>, tensor<4096x4096xf16>, tensor<4096x4096xf16>) -> tensor<8x4096xf16> {
  ^bb0(%arg3: tensor<8x4096xf16>, %arg4: tensor<4096x4096xf16>, %arg5: tensor<4096x4096xf16>):
    %1 = block.loader %arg3 imap [-1, -1, -1] fmap 1 : tensor<8x4096xf16> -> !block.tile<8x64xf16, pre>
    %2 = block.loader %arg4 imap [1, -1, -1] fmap 0 : tensor<4096x4096xf16> -> !block.tile<64x32xf16, pre>
    %3 = block.loader %arg5 imap [1, -1, -1] fmap 0 : tensor<4096x4096xf16> -> !block.tile<64x32xf16, pre>
    %4 = block.matmul %1, %2 : !block.tile<8x64xf16, pre>, !block.tile<64x32xf16, pre>
    %5 = block.matmul %1, %3 : !block.tile<8x64xf16, pre>, !block.tile<64x32xf16, pre>
    %6 = block.accum none %4 : !block.tile<8x32xf16, pre> -> !block.tile<8x32xf16, post>
    %7 = block.accum none %5 : !block.tile<8x32xf16, pre> -> !block.tile<8x32xf16, post>
    %8 = block.silu %6 : !block.tile<8x32xf16, post>
    %9 = block.mul %7, %8 : !block.tile<8x32xf16, post>, !block.tile<8x32xf16, post>
    %10 = block.saver %9 omap [1, -1, -1] : !block.tile<8x32xf16, post> -> tensor<8x4096xf16>
    block.yield %10 : tensor<8x4096xf16>
  }
  return %0 : tensor<8x4096xf16>
}
