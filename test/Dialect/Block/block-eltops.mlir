// block.neg, block.sigmoid, block.erf and block.cast: round trip (custom
// form printed twice identically, generic form parsed back).
//
// RUN: mirage-opt %s > %t.1 && mirage-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | mirage-opt | FileCheck %s

// CHECK-LABEL: func.func @eltops
// CHECK:         block.neg %{{.*}} : !block.tile<4x64xf16, pre>
// CHECK-NEXT:    block.sigmoid %{{.*}} : !block.tile<4x64xf16, pre>
// CHECK-NEXT:    block.cast %{{.*}} : !block.tile<4x64xf16, pre> to !block.tile<4x64xf32, pre>
// CHECK-NEXT:    block.accum none %{{.*}} : !block.tile<4x64xf32, pre> -> !block.tile<4x64xf32, post>
// CHECK-NEXT:    block.erf %{{.*}} : !block.tile<4x64xf32, post>
// CHECK-NEXT:    block.cast %{{.*}} : !block.tile<4x64xf32, post> to !block.tile<4x64xbf16, post>
func.func @eltops(%x: tensor<8x64xf16>) -> tensor<8x64xbf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x64xf16>) -> tensor<8x64xbf16> {
  ^bb0(%xd: tensor<8x64xf16>):
    %t = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<8x64xf16> -> !block.tile<4x64xf16, pre>
    %n = block.neg %t : !block.tile<4x64xf16, pre>
    %s = block.sigmoid %n : !block.tile<4x64xf16, pre>
    %w = block.cast %s : !block.tile<4x64xf16, pre> to !block.tile<4x64xf32, pre>
    %a = block.accum none %w
        : !block.tile<4x64xf32, pre> -> !block.tile<4x64xf32, post>
    %e = block.erf %a : !block.tile<4x64xf32, post>
    %h = block.cast %e : !block.tile<4x64xf32, post> to !block.tile<4x64xbf16, post>
    %o = block.saver %h omap [0, -1, -1]
        : !block.tile<4x64xbf16, post> -> tensor<8x64xbf16>
    block.yield %o : tensor<8x64xbf16>
  }
  return %y : tensor<8x64xbf16>
}
