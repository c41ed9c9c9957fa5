// One saver yielded for two results (output 1 was never written by the
// compiled code, and the interpreter returned zeros for output 0).
func.func @f(%x: tensor<8x256xf16>) -> (tensor<8x128xf16>, tensor<8x128xf16>) {
  %y:2 = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> (tensor<8x128xf16>, tensor<8x128xf16>) {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s, %s : tensor<8x128xf16>, tensor<8x128xf16>
  }
  return %y#0, %y#1 : tensor<8x128xf16>, tensor<8x128xf16>
}
