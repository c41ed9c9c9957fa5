// A mistake (docs/Tutorial.md): the μGraph of fused.mlir with the RMS
// accumulator replaced by a mean, which is not the norm RMSNorm divides by.

func.func @reference(%x: tensor<8x512xf16>, %w: tensor<512x256xf16>)
    -> tensor<8x256xf16>
    attributes {mirage.input_scale = 0.0625 : f64} {
  %normed = kernel.rms_norm %x over [512] : tensor<8x512xf16>
  %y = kernel.matmul %normed, %w : tensor<8x512xf16>, tensor<512x256xf16>
  return %y : tensor<8x256xf16>
}

func.func @wrong(%x: tensor<8x512xf16>, %w: tensor<512x256xf16>)
    -> tensor<8x256xf16>
    attributes {mirage.input_scale = 0.0625 : f64} {
  %y = kernel.graph_defined (%x, %w) grid [16, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<8x512xf16>, tensor<512x256xf16>)
      -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x512xf16>, %wd: tensor<512x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<8x512xf16> -> !block.tile<8x128xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<512x256xf16> -> !block.tile<128x16xf16, pre>
    %rms = block.accum mean %xt
        : !block.tile<8x128xf16, pre> -> !block.tile<8x1xf16, post>
    %mm = block.matmul %xt, %wt
        : !block.tile<8x128xf16, pre>, !block.tile<128x16xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<8x16xf16, pre> -> !block.tile<8x16xf16, post>
    %out = block.div %acc, %rms
        : !block.tile<8x16xf16, post>, !block.tile<8x1xf16, post>
    %saved = block.saver %out omap [1, -1, -1]
        : !block.tile<8x16xf16, post> -> tensor<8x256xf16>
    block.yield %saved : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}
