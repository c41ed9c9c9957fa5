// block.constant: round trip (custom form printed twice identically, the
// generic form parsed back) and its rules, each with the message a user
// sees.
//
// RUN: mirage-opt %s -split-input-file > %t.1 && mirage-opt %t.1 -split-input-file > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s -split-input-file | FileCheck %s
// RUN: mirage-opt %s -split-input-file --mlir-print-op-generic | mirage-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @tile_constant
// CHECK:         block.constant 1.250000e-01 : !block.tile<1x1xf16, pre>
// CHECK:         block.constant -2.000000e+00 : !block.tile<16x64xf32, pre>
func.func @tile_constant(%x: tensor<64x64xf16>) -> tensor<64x64xf16> {
  %y = kernel.graph_defined (%x) grid [4, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<64x64xf16>) -> tensor<64x64xf16> {
  ^bb0(%a: tensor<64x64xf16>):
    %t = block.loader %a imap [0, -1, -1] fmap -1 : tensor<64x64xf16> -> !block.tile<16x64xf16, pre>
    %c = block.constant 0.125 : !block.tile<1x1xf16, pre>
    %m = block.mul %t, %c : !block.tile<16x64xf16, pre>, !block.tile<1x1xf16, pre>
    %d = block.constant -2.0 : !block.tile<16x64xf32, pre>
    %acc = block.accum none %m : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    %s = block.saver %acc omap [0, -1, -1] : !block.tile<16x64xf16, post> -> tensor<64x64xf16>
    block.yield %s : tensor<64x64xf16>
  }
  return %y : tensor<64x64xf16>
}
