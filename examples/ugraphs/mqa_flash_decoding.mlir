// Multi-query attention at decode time as split-KV flash-decoding: Mirage's
// two-kernel μGraph for O = (exp(Q K) / sum_last exp(Q K)) V at batch size 1
// (docs/Benchmarks.md). Q is 1x1024x64, K (stored
// transposed) 1x64x4096, V 1x4096x64, all fp16. Like Mirage's program it
// takes exp without subtracting the maximum.
//
// Kernel 1, grid (1, 8, 16), 4 iterations: the 16 blocks along z each take
// 64 of the 1024 queries (Q imap z -> 1); the 8 along y each take one 512-key
// split of K and V (imap y -> 2 and y -> 1), walked in 4 chunks of 128 keys
// (fmap 2 and 1). Each iteration computes S = Q K_i and E = exp(S); the sum
// accumulator gathers the row sums of E, the plain accumulator E V_i. Both
// partial results are saved per split: omap (-, y -> 2, z -> 1).
//
// Kernel 2, grid (1, 64, 1): each block takes 16 query rows, sums the 8
// partial row sums, reduces the 8 numerator splits (512 = 8 x 64 columns) to
// 64 by the strided sum_to_dimx accumulator, and divides.
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): q . k has a standard deviation of 8
// s^2/3 = 0.67, so exp stays far below the f16 limit (65504 at 11.1) and the
// 4096-term sums below 65504.
func.func @mqa_flash_decoding(%q: tensor<1x1024x64xf16>,
                              %k: tensor<1x64x4096xf16>,
                              %v: tensor<1x4096x64xf16>)
    -> tensor<1x1024x64xf16>
    attributes {mirage.input_scale = 0.5 : f64} {
  %sums, %numerators = kernel.graph_defined (%q, %k, %v)
      grid [1, 8, 16] block [128, 1, 1] forloop 4
      : (tensor<1x1024x64xf16>, tensor<1x64x4096xf16>, tensor<1x4096x64xf16>)
      -> (tensor<1x1024x8xf16>, tensor<1x1024x512xf16>) {
  ^bb0(%qd: tensor<1x1024x64xf16>, %kd: tensor<1x64x4096xf16>,
       %vd: tensor<1x4096x64xf16>):
    %qt = block.loader %qd imap [-1, -1, 1] fmap -1
        : tensor<1x1024x64xf16> -> !block.tile<1x64x64xf16, pre>
    %kt = block.loader %kd imap [-1, 2, -1] fmap 2
        : tensor<1x64x4096xf16> -> !block.tile<1x64x128xf16, pre>
    %vt = block.loader %vd imap [-1, 1, -1] fmap 1
        : tensor<1x4096x64xf16> -> !block.tile<1x128x64xf16, pre>
    %s = block.matmul %qt, %kt
        : !block.tile<1x64x64xf16, pre>, !block.tile<1x64x128xf16, pre>
    %e = block.exp %s : !block.tile<1x64x128xf16, pre>
    %rowsum = block.accum sum %e
        : !block.tile<1x64x128xf16, pre> -> !block.tile<1x64x1xf16, post>
    %ev = block.matmul %e, %vt
        : !block.tile<1x64x128xf16, pre>, !block.tile<1x128x64xf16, pre>
    %numerator = block.accum none %ev
        : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
    %sums_out = block.saver %rowsum omap [-1, 2, 1]
        : !block.tile<1x64x1xf16, post> -> tensor<1x1024x8xf16>
    %numerators_out = block.saver %numerator omap [-1, 2, 1]
        : !block.tile<1x64x64xf16, post> -> tensor<1x1024x512xf16>
    block.yield %sums_out, %numerators_out
        : tensor<1x1024x8xf16>, tensor<1x1024x512xf16>
  }
  %o = kernel.graph_defined (%sums, %numerators)
      grid [1, 64, 1] block [128, 1, 1] forloop 1
      : (tensor<1x1024x8xf16>, tensor<1x1024x512xf16>)
      -> tensor<1x1024x64xf16> {
  ^bb0(%sd: tensor<1x1024x8xf16>, %nd: tensor<1x1024x512xf16>):
    %st = block.loader %sd imap [-1, 1, -1] fmap -1
        : tensor<1x1024x8xf16> -> !block.tile<1x16x8xf16, pre>
    %nt = block.loader %nd imap [-1, 1, -1] fmap -1
        : tensor<1x1024x512xf16> -> !block.tile<1x16x512xf16, pre>
    %total = block.accum sum %st
        : !block.tile<1x16x8xf16, pre> -> !block.tile<1x16x1xf16, post>
    %combined = block.accum sum_to_dimx %nt
        : !block.tile<1x16x512xf16, pre> -> !block.tile<1x16x64xf16, post>
    %ot = block.div %combined, %total
        : !block.tile<1x16x64xf16, post>, !block.tile<1x16x1xf16, post>
    %out = block.saver %ot omap [-1, 1, -1]
        : !block.tile<1x16x64xf16, post> -> tensor<1x1024x64xf16>
    block.yield %out : tensor<1x1024x64xf16>
  }
  return %o : tensor<1x1024x64xf16>
}
