// RMSNorm + MatMul at a small shape (X 2x512, W 512x768) as a kernel-level
// program, as the fused μGraph of examples/ugraphs/rmsnorm_matmul.mlir, and
// as that μGraph with one op mutated (block.div -> block.mul): the CPU code
// of each μGraph is compared with the interpreter run on the program
// (cpu-run-fail.test).
func.func @rmsnorm_matmul(%x: tensor<2x512xf16>, %w: tensor<512x768xf16>)
    -> tensor<2x768xf16> {
  %normed = kernel.rms_norm %x over [512] : tensor<2x512xf16>
  %y = kernel.matmul %normed, %w : tensor<2x512xf16>, tensor<512x768xf16>
  return %y : tensor<2x768xf16>
}

func.func @fused(%x: tensor<2x512xf16>, %w: tensor<512x768xf16>)
    -> tensor<2x768xf16> {
  %y = kernel.graph_defined (%x, %w) grid [32, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<2x512xf16>, tensor<512x768xf16>)
      -> tensor<2x768xf16> {
  ^bb0(%xd: tensor<2x512xf16>, %wd: tensor<512x768xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<2x512xf16> -> !block.tile<2x128xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<512x768xf16> -> !block.tile<128x24xf16, pre>
    %rms = block.accum rms %xt
        : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
    %mm = block.matmul %xt, %wt
        : !block.tile<2x128xf16, pre>, !block.tile<128x24xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
    %out = block.div %acc, %rms
        : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
    %saved = block.saver %out omap [1, -1, -1]
        : !block.tile<2x24xf16, post> -> tensor<2x768xf16>
    block.yield %saved : tensor<2x768xf16>
  }
  return %y : tensor<2x768xf16>
}

func.func @fused_mutated(%x: tensor<2x512xf16>, %w: tensor<512x768xf16>)
    -> tensor<2x768xf16> {
  %y = kernel.graph_defined (%x, %w) grid [32, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<2x512xf16>, tensor<512x768xf16>)
      -> tensor<2x768xf16> {
  ^bb0(%xd: tensor<2x512xf16>, %wd: tensor<512x768xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<2x512xf16> -> !block.tile<2x128xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<512x768xf16> -> !block.tile<128x24xf16, pre>
    %rms = block.accum rms %xt
        : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
    %mm = block.matmul %xt, %wt
        : !block.tile<2x128xf16, pre>, !block.tile<128x24xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
    %out = block.mul %acc, %rms
        : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
    %saved = block.saver %out omap [1, -1, -1]
        : !block.tile<2x24xf16, post> -> tensor<2x768xf16>
    block.yield %saved : tensor<2x768xf16>
  }
  return %y : tensor<2x768xf16>
}
