// The rules of block.cast, each with the message a user sees.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

func.func @cast_state(%x: tensor<8x64xf16>) -> tensor<8x64xf32> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x64xf16>) -> tensor<8x64xf32> {
  ^bb0(%xd: tensor<8x64xf16>):
    %t = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<8x64xf16> -> !block.tile<4x64xf16, pre>
    // expected-error @below {{'block.cast' op result must keep the input's accumulation state}}
    %w = block.cast %t : !block.tile<4x64xf16, pre> to !block.tile<4x64xf32, post>
    %o = block.saver %w omap [0, -1, -1]
        : !block.tile<4x64xf32, post> -> tensor<8x64xf32>
    block.yield %o : tensor<8x64xf32>
  }
  return %y : tensor<8x64xf32>
}

// -----

func.func @cast_shape(%x: tensor<8x64xf16>) -> tensor<8x64xf32> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x64xf16>) -> tensor<8x64xf32> {
  ^bb0(%xd: tensor<8x64xf16>):
    %t = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<8x64xf16> -> !block.tile<4x64xf16, pre>
    // expected-error @below {{'block.cast' op requires the same shape for all operands and results}}
    %w = block.cast %t : !block.tile<4x64xf16, pre> to !block.tile<4x32xf32, pre>
    %a = block.accum none %w
        : !block.tile<4x32xf32, pre> -> !block.tile<4x32xf32, post>
    %o = block.saver %a omap [0, -1, -1]
        : !block.tile<4x32xf32, post> -> tensor<8x32xf32>
    block.yield %o : tensor<8x32xf32>
  }
  return %y : tensor<8x64xf32>
}
