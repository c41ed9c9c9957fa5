// Small μGraphs that use the block ops the examples and the mutants do not:
// reduction, reduction_to_dimx, running_max with rescale (online softmax),
// rms_norm with eps, concat, concat_matmul, max, mean, a 3-D batched matmul,
// element-wise values read twice, 2-D grids and a bf16 kernel. Each split is
// run by mirage-cpu-runner against the interpreter.

// An online softmax over a 1x16x256 score tile walked in 4 chunks of 64:
// running_max gives m_i and m_{i-1} - m_i; the rescale accumulator keeps
// sum(exp(s - m)) under the running maximum.
func.func @online_softmax(%s: tensor<1x16x256xf32>) -> tensor<1x16x1xf32> {
  %y = kernel.graph_defined (%s) grid [2, 1, 1] block [128, 1, 1] forloop 4
      : (tensor<1x16x256xf32>) -> tensor<1x16x1xf32> {
  ^bb0(%sd: tensor<1x16x256xf32>):
    %st = block.loader %sd imap [1, -1, -1] fmap 2
        : tensor<1x16x256xf32> -> !block.tile<1x8x64xf32, pre>
    %m, %d = block.running_max %st dim 2 : !block.tile<1x8x64xf32, pre>
    %c = block.sub %st, %m
        : !block.tile<1x8x64xf32, pre>, !block.tile<1x8x1xf32, pre>
    %e = block.exp %c : !block.tile<1x8x64xf32, pre>
    %r = block.reduction %e dim 2 : !block.tile<1x8x64xf32, pre>
    %f = block.exp %d : !block.tile<1x8x1xf32, pre>
    %acc = block.accum rescale %r, %f
        : !block.tile<1x8x1xf32, pre>, !block.tile<1x8x1xf32, pre>
        -> !block.tile<1x8x1xf32, post>
    %out = block.saver %acc omap [1, -1, -1]
        : !block.tile<1x8x1xf32, post> -> tensor<1x16x1xf32>
    block.yield %out : tensor<1x16x1xf32>
  }
  return %y : tensor<1x16x1xf32>
}

// -----

// reduction_to_dimx (dimx 16) and a max accumulator across the iterations.
func.func @dimx_max(%a: tensor<8x256xf16>) -> (tensor<8x16xf16>, tensor<8x128xf16>) {
  %y:2 = kernel.graph_defined (%a) grid [2, 1, 1] block [64, 1, 1] forloop 2
      dimx 16 : (tensor<8x256xf16>) -> (tensor<8x16xf16>, tensor<8x128xf16>) {
  ^bb0(%ad: tensor<8x256xf16>):
    %at = block.loader %ad imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %r = block.reduction_to_dimx %at dim 1
        : !block.tile<4x128xf16, pre> -> !block.tile<4x16xf16, pre>
    %racc = block.accum none %r
        : !block.tile<4x16xf16, pre> -> !block.tile<4x16xf16, post>
    %sq = block.square %at : !block.tile<4x128xf16, pre>
    %mx = block.accum max %sq
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %o1 = block.saver %racc omap [0, -1, -1]
        : !block.tile<4x16xf16, post> -> tensor<8x16xf16>
    %o2 = block.saver %mx omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %o1, %o2 : tensor<8x16xf16>, tensor<8x128xf16>
  }
  return %y#0, %y#1 : tensor<8x16xf16>, tensor<8x128xf16>
}

// -----

// LoRA's fused product X W + (X A) B with concat_matmul, a concat of two
// tiles and rms_norm with eps after the loop; a 2-D grid (x over columns,
// y over rows).
func.func @lora_concat(%x: tensor<16x128xf16>, %w: tensor<128x64xf16>,
                       %xa: tensor<16x16xf16>, %b: tensor<16x64xf16>)
    -> (tensor<16x64xf16>, tensor<16x128xf16>) {
  %y:2 = kernel.graph_defined (%x, %w, %xa, %b) grid [2, 2, 1]
      block [128, 1, 1] forloop 1
      : (tensor<16x128xf16>, tensor<128x64xf16>, tensor<16x16xf16>,
         tensor<16x64xf16>) -> (tensor<16x64xf16>, tensor<16x128xf16>) {
  ^bb0(%xd: tensor<16x128xf16>, %wd: tensor<128x64xf16>,
       %xad: tensor<16x16xf16>, %bd: tensor<16x64xf16>):
    %xt = block.loader %xd imap [-1, 0, -1] fmap -1
        : tensor<16x128xf16> -> !block.tile<8x128xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap -1
        : tensor<128x64xf16> -> !block.tile<128x32xf16, pre>
    %at = block.loader %xad imap [-1, 0, -1] fmap -1
        : tensor<16x16xf16> -> !block.tile<8x16xf16, pre>
    %bt = block.loader %bd imap [1, -1, -1] fmap -1
        : tensor<16x64xf16> -> !block.tile<16x32xf16, pre>
    %mm = block.concat_matmul %xt, %at, %wt, %bt
        : !block.tile<8x128xf16, pre>, !block.tile<8x16xf16, pre>,
          !block.tile<128x32xf16, pre>, !block.tile<16x32xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<8x32xf16, pre> -> !block.tile<8x32xf16, post>
    %n = block.rms_norm %acc eps 1.0e-02 : !block.tile<8x32xf16, post>
    %cat = block.concat %acc, %n dim 1
        : !block.tile<8x32xf16, post>, !block.tile<8x32xf16, post>
    %o1 = block.saver %n omap [1, 0, -1]
        : !block.tile<8x32xf16, post> -> tensor<16x64xf16>
    %o2 = block.saver %cat omap [1, 0, -1]
        : !block.tile<8x64xf16, post> -> tensor<16x128xf16>
    block.yield %o1, %o2 : tensor<16x64xf16>, tensor<16x128xf16>
  }
  return %y#0, %y#1 : tensor<16x64xf16>, tensor<16x128xf16>
}

// -----

// A batched (3-D) matmul walked along k, a mean accumulator, and an exp
// read twice (so it is computed once into a buffer), in bf16.
func.func @batched_mean(%q: tensor<2x16x64xbf16>, %k: tensor<2x64x32xbf16>)
    -> (tensor<2x16x32xbf16>, tensor<2x16x1xbf16>) {
  %y:2 = kernel.graph_defined (%q, %k) grid [2, 1, 1] block [32, 1, 1]
      forloop 2 : (tensor<2x16x64xbf16>, tensor<2x64x32xbf16>)
      -> (tensor<2x16x32xbf16>, tensor<2x16x1xbf16>) {
  ^bb0(%qd: tensor<2x16x64xbf16>, %kd: tensor<2x64x32xbf16>):
    %qt = block.loader %qd imap [0, -1, -1] fmap 2
        : tensor<2x16x64xbf16> -> !block.tile<1x16x32xbf16, pre>
    %kt = block.loader %kd imap [0, -1, -1] fmap 1
        : tensor<2x64x32xbf16> -> !block.tile<1x32x32xbf16, pre>
    %e = block.exp %qt : !block.tile<1x16x32xbf16, pre>
    %p = block.mul %e, %e
        : !block.tile<1x16x32xbf16, pre>, !block.tile<1x16x32xbf16, pre>
    %mm = block.matmul %p, %kt
        : !block.tile<1x16x32xbf16, pre>, !block.tile<1x32x32xbf16, pre>
    %acc = block.accum none %mm
        : !block.tile<1x16x32xbf16, pre> -> !block.tile<1x16x32xbf16, post>
    %mean = block.accum mean %e
        : !block.tile<1x16x32xbf16, pre> -> !block.tile<1x16x1xbf16, post>
    %o1 = block.saver %acc omap [0, -1, -1]
        : !block.tile<1x16x32xbf16, post> -> tensor<2x16x32xbf16>
    %o2 = block.saver %mean omap [0, -1, -1]
        : !block.tile<1x16x1xbf16, post> -> tensor<2x16x1xbf16>
    block.yield %o1, %o2 : tensor<2x16x32xbf16>, tensor<2x16x1xbf16>
  }
  return %y#0, %y#1 : tensor<2x16x32xbf16>, tensor<2x16x1xbf16>
}
