// The rules of block.constant, each with the message a user sees.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

func.func @infinite(%x: tensor<8x64xf16>) -> tensor<8x64xf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x64xf16>) -> tensor<8x64xf16> {
  ^bb0(%a: tensor<8x64xf16>):
    %t = block.loader %a imap [-1, -1, -1] fmap -1 : tensor<8x64xf16> -> !block.tile<8x64xf16, pre>
    // expected-error @below {{'block.constant' op requires a finite value, but got an infinity}}
    %c = block.constant 0x7FF0000000000000 : !block.tile<1x1xf16, pre>
    %m = block.mul %t, %c : !block.tile<8x64xf16, pre>, !block.tile<1x1xf16, pre>
    %acc = block.accum none %m : !block.tile<8x64xf16, pre> -> !block.tile<8x64xf16, post>
    %s = block.saver %acc omap [-1, -1, -1] : !block.tile<8x64xf16, post> -> tensor<8x64xf16>
    block.yield %s : tensor<8x64xf16>
  }
  return %y : tensor<8x64xf16>
}

// -----

func.func @inexact(%x: tensor<8x64xf16>) -> tensor<8x64xf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x64xf16>) -> tensor<8x64xf16> {
  ^bb0(%a: tensor<8x64xf16>):
    %t = block.loader %a imap [-1, -1, -1] fmap -1 : tensor<8x64xf16> -> !block.tile<8x64xf16, pre>
    // expected-error @below {{'block.constant' op requires a value exact in the element type 'f16', but got 1.000000e-01}}
    %c = block.constant 0.1 : !block.tile<1x1xf16, pre>
    %m = block.mul %t, %c : !block.tile<8x64xf16, pre>, !block.tile<1x1xf16, pre>
    %acc = block.accum none %m : !block.tile<8x64xf16, pre> -> !block.tile<8x64xf16, post>
    %s = block.saver %acc omap [-1, -1, -1] : !block.tile<8x64xf16, post> -> tensor<8x64xf16>
    block.yield %s : tensor<8x64xf16>
  }
  return %y : tensor<8x64xf16>
}

// -----

func.func @nan(%x: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %t = block.loader %a imap [-1, -1, -1] fmap -1 : tensor<8x64xf32> -> !block.tile<8x64xf32, pre>
    // expected-error @below {{'block.constant' op requires a finite value, but got NaN}}
    %c = block.constant 0x7FF8000000000000 : !block.tile<1x1xf32, pre>
    %m = block.mul %t, %c : !block.tile<8x64xf32, pre>, !block.tile<1x1xf32, pre>
    %acc = block.accum none %m : !block.tile<8x64xf32, pre> -> !block.tile<8x64xf32, post>
    %s = block.saver %acc omap [-1, -1, -1] : !block.tile<8x64xf32, post> -> tensor<8x64xf32>
    block.yield %s : tensor<8x64xf32>
  }
  return %y : tensor<8x64xf32>
}
