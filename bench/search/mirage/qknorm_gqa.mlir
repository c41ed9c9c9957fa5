// Mirage's own μGraphs for examples/qknorm_gqa.mlir, at the same shape:
// μGraphs 0, 1 and 2 of benchmark/saved_mugraphs/qknorm_gqa_bs1.json in
// mirage-project/mirage (commit 46258bcb1b36), imported with `mirage-translate --import-mirage-json`
// (docs/MirageImport.md). Function mirage_qknorm_gqa_<i> is μGraph i.
//
// NONE IS EQUIVALENT to examples/qknorm_gqa.mlir; they are kept to show that
// the checker rejects them (test/Translate/mirage-saved-ugraphs.test). They
// share kernel 1 (μGraph 2 saves its product along another dim); 1 takes
// the exp inside kernel 2, 2 at the kernel level. Kernel 1 multiplies
// the sum of each normalized query row (a 1x4x1 tile) by one row of K (a
// 1x1x4096 tile): it never multiplies Q by K over the head dimension. Our
// fingerprints reject all three, and so does the float interpreter alone
// (with the example's seeded inputs, output [0, 0, 0] of μGraph 0 is
// 1.23e-2, of the reference -1.41e-2).
//
// bench/search/run_search_bench.py checks each function against the example
// (--mirage-check-equivalence) and prices it with the cost model beside the
// μGraph our search finds (bench/results/search.json).

func.func @mirage_qknorm_gqa_0(%arg0: tensor<2x256x64xf16>, %arg1: tensor<2x64x4096xf16>, %arg2: tensor<2x4096x64xf16>) -> tensor<2x256x64xf16> {
  %0:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [2, 64, 1] block [128, 1, 1] forloop 1 : (tensor<2x256x64xf16>, tensor<2x64x4096xf16>, tensor<2x4096x64xf16>) -> (tensor<2x4x262144xf16>, tensor<2x64x4096xf16>) {
  ^bb0(%arg3: tensor<2x256x64xf16>, %arg4: tensor<2x64x4096xf16>, %arg5: tensor<2x4096x64xf16>):
    %4 = block.loader %arg3 imap [0, 1, -1] fmap -1 : tensor<2x256x64xf16> -> !block.tile<1x4x64xf16, pre>
    %5 = block.loader %arg4 imap [0, 1, -1] fmap -1 : tensor<2x64x4096xf16> -> !block.tile<1x1x4096xf16, pre>
    %6 = block.loader %arg5 imap [0, 1, -1] fmap -1 : tensor<2x4096x64xf16> -> !block.tile<1x64x64xf16, pre>
    %7 = block.rms_norm %4 : !block.tile<1x4x64xf16, pre>
    %8 = block.accum none %5 : !block.tile<1x1x4096xf16, pre> -> !block.tile<1x1x4096xf16, post>
    %9 = block.rms_norm %6 : !block.tile<1x64x64xf16, pre>
    %10 = block.accum sum %7 : !block.tile<1x4x64xf16, pre> -> !block.tile<1x4x1xf16, post>
    %11 = block.mul %8, %10 : !block.tile<1x1x4096xf16, post>, !block.tile<1x4x1xf16, post>
    %12 = block.accum none %9 : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
    %13 = block.saver %11 omap [0, 2, -1] : !block.tile<1x4x4096xf16, post> -> tensor<2x4x262144xf16>
    %14 = block.saver %12 omap [0, 2, -1] : !block.tile<1x64x64xf16, post> -> tensor<2x64x4096xf16>
    block.yield %13, %14 : tensor<2x4x262144xf16>, tensor<2x64x4096xf16>
  }
  %1 = kernel.exp %0#0 : tensor<2x4x262144xf16>
  %2:2 = kernel.graph_defined (%0#1, %1) grid [2, 64, 1] block [128, 1, 1] forloop 1 : (tensor<2x64x4096xf16>, tensor<2x4x262144xf16>) -> (tensor<2x4096x64xf16>, tensor<2x256x4096xf16>) {
  ^bb0(%arg3: tensor<2x64x4096xf16>, %arg4: tensor<2x4x262144xf16>):
    %4 = block.loader %arg3 imap [0, 2, -1] fmap -1 : tensor<2x64x4096xf16> -> !block.tile<1x64x64xf16, pre>
    %5 = block.loader %arg4 imap [0, 2, -1] fmap -1 : tensor<2x4x262144xf16> -> !block.tile<1x4x4096xf16, pre>
    %6 = block.accum none %4 : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
    %7 = block.accum none %5 : !block.tile<1x4x4096xf16, pre> -> !block.tile<1x4x4096xf16, post>
    %8 = block.accum sum %5 : !block.tile<1x4x4096xf16, pre> -> !block.tile<1x4x1xf16, post>
    %9 = block.div %7, %8 : !block.tile<1x4x4096xf16, post>, !block.tile<1x4x1xf16, post>
    %10 = block.saver %6 omap [0, 1, -1] : !block.tile<1x64x64xf16, post> -> tensor<2x4096x64xf16>
    %11 = block.saver %9 omap [0, 1, -1] : !block.tile<1x4x4096xf16, post> -> tensor<2x256x4096xf16>
    block.yield %10, %11 : tensor<2x4096x64xf16>, tensor<2x256x4096xf16>
  }
  %3 = kernel.matmul %2#1, %2#0 : tensor<2x256x4096xf16>, tensor<2x4096x64xf16>
  return %3 : tensor<2x256x64xf16>
}

func.func @mirage_qknorm_gqa_1(%arg0: tensor<2x256x64xf16>, %arg1: tensor<2x64x4096xf16>, %arg2: tensor<2x4096x64xf16>) -> tensor<2x256x64xf16> {
  %0:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [2, 64, 1] block [128, 1, 1] forloop 1 : (tensor<2x256x64xf16>, tensor<2x64x4096xf16>, tensor<2x4096x64xf16>) -> (tensor<2x4x262144xf16>, tensor<2x64x4096xf16>) {
  ^bb0(%arg3: tensor<2x256x64xf16>, %arg4: tensor<2x64x4096xf16>, %arg5: tensor<2x4096x64xf16>):
    %3 = block.loader %arg3 imap [0, 1, -1] fmap -1 : tensor<2x256x64xf16> -> !block.tile<1x4x64xf16, pre>
    %4 = block.loader %arg4 imap [0, 1, -1] fmap -1 : tensor<2x64x4096xf16> -> !block.tile<1x1x4096xf16, pre>
    %5 = block.loader %arg5 imap [0, 1, -1] fmap -1 : tensor<2x4096x64xf16> -> !block.tile<1x64x64xf16, pre>
    %6 = block.rms_norm %3 : !block.tile<1x4x64xf16, pre>
    %7 = block.accum none %4 : !block.tile<1x1x4096xf16, pre> -> !block.tile<1x1x4096xf16, post>
    %8 = block.rms_norm %5 : !block.tile<1x64x64xf16, pre>
    %9 = block.accum sum %6 : !block.tile<1x4x64xf16, pre> -> !block.tile<1x4x1xf16, post>
    %10 = block.mul %7, %9 : !block.tile<1x1x4096xf16, post>, !block.tile<1x4x1xf16, post>
    %11 = block.accum none %8 : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
    %12 = block.saver %10 omap [0, 2, -1] : !block.tile<1x4x4096xf16, post> -> tensor<2x4x262144xf16>
    %13 = block.saver %11 omap [0, 2, -1] : !block.tile<1x64x64xf16, post> -> tensor<2x64x4096xf16>
    block.yield %12, %13 : tensor<2x4x262144xf16>, tensor<2x64x4096xf16>
  }
  %1:2 = kernel.graph_defined (%0#0, %0#1) grid [2, 64, 1] block [128, 1, 1] forloop 1 : (tensor<2x4x262144xf16>, tensor<2x64x4096xf16>) -> (tensor<2x4096x64xf16>, tensor<2x256x4096xf16>) {
  ^bb0(%arg3: tensor<2x4x262144xf16>, %arg4: tensor<2x64x4096xf16>):
    %3 = block.loader %arg3 imap [0, 2, -1] fmap -1 : tensor<2x4x262144xf16> -> !block.tile<1x4x4096xf16, pre>
    %4 = block.loader %arg4 imap [0, 2, -1] fmap -1 : tensor<2x64x4096xf16> -> !block.tile<1x64x64xf16, pre>
    %5 = block.exp %3 : !block.tile<1x4x4096xf16, pre>
    %6 = block.accum none %4 : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
    %7 = block.accum none %5 : !block.tile<1x4x4096xf16, pre> -> !block.tile<1x4x4096xf16, post>
    %8 = block.accum sum %5 : !block.tile<1x4x4096xf16, pre> -> !block.tile<1x4x1xf16, post>
    %9 = block.div %7, %8 : !block.tile<1x4x4096xf16, post>, !block.tile<1x4x1xf16, post>
    %10 = block.saver %6 omap [0, 1, -1] : !block.tile<1x64x64xf16, post> -> tensor<2x4096x64xf16>
    %11 = block.saver %9 omap [0, 1, -1] : !block.tile<1x4x4096xf16, post> -> tensor<2x256x4096xf16>
    block.yield %10, %11 : tensor<2x4096x64xf16>, tensor<2x256x4096xf16>
  }
  %2 = kernel.matmul %1#1, %1#0 : tensor<2x256x4096xf16>, tensor<2x4096x64xf16>
  return %2 : tensor<2x256x64xf16>
}
func.func @mirage_qknorm_gqa_2(%arg0: tensor<2x256x64xf16>, %arg1: tensor<2x64x4096xf16>, %arg2: tensor<2x4096x64xf16>) -> tensor<2x256x64xf16> {
  %0:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [2, 64, 1] block [128, 1, 1] forloop 1 : (tensor<2x256x64xf16>, tensor<2x64x4096xf16>, tensor<2x4096x64xf16>) -> (tensor<2x256x4096xf16>, tensor<2x4096x64xf16>) {
  ^bb0(%arg3: tensor<2x256x64xf16>, %arg4: tensor<2x64x4096xf16>, %arg5: tensor<2x4096x64xf16>):
    %4 = block.loader %arg3 imap [0, 1, -1] fmap -1 : tensor<2x256x64xf16> -> !block.tile<1x4x64xf16, pre>
    %5 = block.loader %arg4 imap [0, 1, -1] fmap -1 : tensor<2x64x4096xf16> -> !block.tile<1x1x4096xf16, pre>
    %6 = block.loader %arg5 imap [0, 1, -1] fmap -1 : tensor<2x4096x64xf16> -> !block.tile<1x64x64xf16, pre>
    %7 = block.rms_norm %4 : !block.tile<1x4x64xf16, pre>
    %8 = block.accum none %5 : !block.tile<1x1x4096xf16, pre> -> !block.tile<1x1x4096xf16, post>
    %9 = block.rms_norm %6 : !block.tile<1x64x64xf16, pre>
    %10 = block.accum sum %7 : !block.tile<1x4x64xf16, pre> -> !block.tile<1x4x1xf16, post>
    %11 = block.mul %8, %10 : !block.tile<1x1x4096xf16, post>, !block.tile<1x4x1xf16, post>
    %12 = block.accum none %9 : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
    %13 = block.saver %11 omap [0, 1, -1] : !block.tile<1x4x4096xf16, post> -> tensor<2x256x4096xf16>
    %14 = block.saver %12 omap [0, 1, -1] : !block.tile<1x64x64xf16, post> -> tensor<2x4096x64xf16>
    block.yield %13, %14 : tensor<2x256x4096xf16>, tensor<2x4096x64xf16>
  }
  %1 = kernel.exp %0#0 : tensor<2x256x4096xf16>
  %2 = kernel.matmul %1, %0#1 : tensor<2x256x4096xf16>, tensor<2x4096x64xf16>
  %3 = kernel.graph_defined (%1, %2) grid [2, 64, 1] block [128, 1, 1] forloop 1 : (tensor<2x256x4096xf16>, tensor<2x256x64xf16>) -> tensor<2x256x64xf16> {
  ^bb0(%arg3: tensor<2x256x4096xf16>, %arg4: tensor<2x256x64xf16>):
    %4 = block.loader %arg3 imap [0, 1, -1] fmap -1 : tensor<2x256x4096xf16> -> !block.tile<1x4x4096xf16, pre>
    %5 = block.loader %arg4 imap [0, 1, -1] fmap -1 : tensor<2x256x64xf16> -> !block.tile<1x4x64xf16, pre>
    %6 = block.accum sum %4 : !block.tile<1x4x4096xf16, pre> -> !block.tile<1x4x1xf16, post>
    %7 = block.accum none %5 : !block.tile<1x4x64xf16, pre> -> !block.tile<1x4x64xf16, post>
    %8 = block.div %7, %6 : !block.tile<1x4x64xf16, post>, !block.tile<1x4x1xf16, post>
    %9 = block.saver %8 omap [0, 1, -1] : !block.tile<1x4x64xf16, post> -> tensor<2x256x64xf16>
    block.yield %9 : tensor<2x256x64xf16>
  }
  return %3 : tensor<2x256x64xf16>
}
