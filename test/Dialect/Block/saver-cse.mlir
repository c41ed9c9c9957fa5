// RUN: mirage-opt %s --cse --canonicalize | FileCheck %s

// Two savers of one tile are two outputs of the kernel: the saver writes
// memory, so cse keeps both (merged, the one saver would be yielded twice,
// which its verifier rejects).
// CHECK-LABEL: func.func @two_savers
// CHECK: %[[S1:.*]] = block.saver %[[ACC:.*]] omap [0, -1, -1]
// CHECK: %[[S2:.*]] = block.saver %[[ACC]] omap [0, -1, -1]
// CHECK: block.yield %[[S1]], %[[S2]]
func.func @two_savers(%x: tensor<8x64xf16>) -> (tensor<8x64xf16>, tensor<8x64xf16>) {
  %y:2 = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x64xf16>) -> (tensor<8x64xf16>, tensor<8x64xf16>) {
  ^bb0(%xd: tensor<8x64xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<8x64xf16> -> !block.tile<4x64xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x64xf16, pre> -> !block.tile<4x64xf16, post>
    %s1 = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x64xf16, post> -> tensor<8x64xf16>
    %s2 = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x64xf16, post> -> tensor<8x64xf16>
    block.yield %s1, %s2 : tensor<8x64xf16>, tensor<8x64xf16>
  }
  return %y#0, %y#1 : tensor<8x64xf16>, tensor<8x64xf16>
}
