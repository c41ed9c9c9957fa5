// A valid graph-defined kernel on 2^46 f32 elements per tensor (256 TiB):
// more than the address space the lowering allows (2^47 bytes).
func.func @f(%x: tensor<4096x17179869184xf32>) -> tensor<4096x17179869184xf32> {
  %y = kernel.graph_defined (%x) grid [4096, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<4096x17179869184xf32>) -> tensor<4096x17179869184xf32> {
  ^bb0(%xd: tensor<4096x17179869184xf32>):
    %xt = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<4096x17179869184xf32> -> !block.tile<1x17179869184xf32, pre>
    %acc = block.accum none %xt
        : !block.tile<1x17179869184xf32, pre> -> !block.tile<1x17179869184xf32, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<1x17179869184xf32, post> -> tensor<4096x17179869184xf32>
    block.yield %s : tensor<4096x17179869184xf32>
  }
  return %y : tensor<4096x17179869184xf32>
}
