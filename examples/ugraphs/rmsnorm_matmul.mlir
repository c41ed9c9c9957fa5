// RMSNorm followed by MatMul as one graph-defined kernel: Mirage's μGraph for
// rms_norm(X) · W at batch size 1 (docs/Benchmarks.md). X is 2x4096, W is 4096x6144, both fp16.
//
// The rewrite (x / rms(x)) · W = (x · W) / rms(x) lets one pass over X feed
// both reductions: in each of the 32 for-loop iterations a block loads a
// 2x128 slice of X (replicated across blocks: imap all -1, fmap 1) and the
// matching 128x24 slice of its 24 columns of W (imap x -> 1, fmap 0). The
// RMS accumulator gathers the sum of squares of X, the plain accumulator
// the partial products; after the loop one division normalizes, and the
// saver lays the 256 blocks' 2x24 tiles side by side along dim 1.
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): the normalized x has entries of
// magnitude 1, so the outputs have a standard deviation of 64 s/sqrt(3) = 1.2.
func.func @rmsnorm_matmul(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16>
    attributes {mirage.input_scale = 0.03125 : f64} {
  %y = kernel.graph_defined (%x, %w) grid [256, 1, 1] block [128, 1, 1]
      forloop 32 : (tensor<2x4096xf16>, tensor<4096x6144xf16>)
      -> tensor<2x6144xf16> {
  ^bb0(%xd: tensor<2x4096xf16>, %wd: tensor<4096x6144xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<2x4096xf16> -> !block.tile<2x128xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<4096x6144xf16> -> !block.tile<128x24xf16, pre>
    %rms = block.accum rms %xt
        : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
    %mm = block.matmul %xt, %wt
        : !block.tile<2x128xf16, pre>, !block.tile<128x24xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
    %out = block.div %acc, %rms
        : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
    %saved = block.saver %out omap [1, -1, -1]
        : !block.tile<2x24xf16, post> -> tensor<2x6144xf16>
    block.yield %saved : tensor<2x6144xf16>
  }
  return %y : tensor<2x6144xf16>
}
