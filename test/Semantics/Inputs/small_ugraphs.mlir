// Smaller copies of examples/ugraphs/*.mlir (same structure, shapes cut so
// that every mutant of the mutation suite checks in milliseconds) with
// their kernel-level references.
func.func @rmsnorm_matmul_ref(%x: tensor<2x256xf16>, %w: tensor<256x96xf16>)
    -> tensor<2x96xf16> {
  %normed = kernel.rms_norm %x over [256] : tensor<2x256xf16>
  %y = kernel.matmul %normed, %w : tensor<2x256xf16>, tensor<256x96xf16>
  return %y : tensor<2x96xf16>
}
func.func @rmsnorm_matmul(%x: tensor<2x256xf16>, %w: tensor<256x96xf16>)
    -> tensor<2x96xf16> {
  %y = kernel.graph_defined (%x, %w) grid [4, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<2x256xf16>, tensor<256x96xf16>)
      -> tensor<2x96xf16> {
  ^bb0(%xd: tensor<2x256xf16>, %wd: tensor<256x96xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<2x256xf16> -> !block.tile<2x64xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<256x96xf16> -> !block.tile<64x24xf16, pre>
    %rms = block.accum rms %xt
        : !block.tile<2x64xf16, pre> -> !block.tile<2x1xf16, post>
    %mm = block.matmul %xt, %wt
        : !block.tile<2x64xf16, pre>, !block.tile<64x24xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
    %out = block.div %acc, %rms
        : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
    %saved = block.saver %out omap [1, -1, -1]
        : !block.tile<2x24xf16, post> -> tensor<2x96xf16>
    block.yield %saved : tensor<2x96xf16>
  }
  return %y : tensor<2x96xf16>
}
func.func @mqa_ref(%q: tensor<1x64x16xf16>, %k: tensor<1x16x256xf16>,
                   %v: tensor<1x256x16xf16>) -> tensor<1x64x16xf16> {
  %qk = kernel.matmul %q, %k : tensor<1x64x16xf16>, tensor<1x16x256xf16>
  %s = kernel.exp %qk : tensor<1x64x256xf16>
  %sum = kernel.reduction %s dim 2 : tensor<1x64x256xf16>
  %p = kernel.div %s, %sum : tensor<1x64x256xf16>, tensor<1x64x1xf16>
  %o = kernel.matmul %p, %v : tensor<1x64x256xf16>, tensor<1x256x16xf16>
  return %o : tensor<1x64x16xf16>
}
func.func @mqa(%q: tensor<1x64x16xf16>, %k: tensor<1x16x256xf16>,
               %v: tensor<1x256x16xf16>) -> tensor<1x64x16xf16> {
  %sums, %numerators = kernel.graph_defined (%q, %k, %v)
      grid [1, 2, 4] block [128, 1, 1] forloop 4
      : (tensor<1x64x16xf16>, tensor<1x16x256xf16>, tensor<1x256x16xf16>)
      -> (tensor<1x64x2xf16>, tensor<1x64x32xf16>) {
  ^bb0(%qd: tensor<1x64x16xf16>, %kd: tensor<1x16x256xf16>,
       %vd: tensor<1x256x16xf16>):
    %qt = block.loader %qd imap [-1, -1, 1] fmap -1
        : tensor<1x64x16xf16> -> !block.tile<1x16x16xf16, pre>
    %kt = block.loader %kd imap [-1, 2, -1] fmap 2
        : tensor<1x16x256xf16> -> !block.tile<1x16x32xf16, pre>
    %vt = block.loader %vd imap [-1, 1, -1] fmap 1
        : tensor<1x256x16xf16> -> !block.tile<1x32x16xf16, pre>
    %s = block.matmul %qt, %kt
        : !block.tile<1x16x16xf16, pre>, !block.tile<1x16x32xf16, pre>
    %e = block.exp %s : !block.tile<1x16x32xf16, pre>
    %rowsum = block.accum sum %e
        : !block.tile<1x16x32xf16, pre> -> !block.tile<1x16x1xf16, post>
    %ev = block.matmul %e, %vt
        : !block.tile<1x16x32xf16, pre>, !block.tile<1x32x16xf16, pre>
    %numerator = block.accum none %ev
        : !block.tile<1x16x16xf16, pre> -> !block.tile<1x16x16xf16, post>
    %sums_out = block.saver %rowsum omap [-1, 2, 1]
        : !block.tile<1x16x1xf16, post> -> tensor<1x64x2xf16>
    %numerators_out = block.saver %numerator omap [-1, 2, 1]
        : !block.tile<1x16x16xf16, post> -> tensor<1x64x32xf16>
    block.yield %sums_out, %numerators_out
        : tensor<1x64x2xf16>, tensor<1x64x32xf16>
  }
  %o = kernel.graph_defined (%sums, %numerators)
      grid [1, 4, 1] block [128, 1, 1] forloop 1 dimx 16
      : (tensor<1x64x2xf16>, tensor<1x64x32xf16>)
      -> tensor<1x64x16xf16> {
  ^bb0(%sd: tensor<1x64x2xf16>, %nd: tensor<1x64x32xf16>):
    %st = block.loader %sd imap [-1, 1, -1] fmap -1
        : tensor<1x64x2xf16> -> !block.tile<1x16x2xf16, pre>
    %nt = block.loader %nd imap [-1, 1, -1] fmap -1
        : tensor<1x64x32xf16> -> !block.tile<1x16x32xf16, pre>
    %total = block.accum sum %st
        : !block.tile<1x16x2xf16, pre> -> !block.tile<1x16x1xf16, post>
    %combined = block.accum sum_to_dimx %nt
        : !block.tile<1x16x32xf16, pre> -> !block.tile<1x16x16xf16, post>
    %ot = block.div %combined, %total
        : !block.tile<1x16x16xf16, post>, !block.tile<1x16x1xf16, post>
    %out = block.saver %ot omap [-1, 1, -1]
        : !block.tile<1x16x16xf16, post> -> tensor<1x64x16xf16>
    block.yield %out : tensor<1x64x16xf16>
  }
  return %o : tensor<1x64x16xf16>
}
