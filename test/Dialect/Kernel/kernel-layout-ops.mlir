// Round trip of the layout ops at both levels (kernel.transpose,
// kernel.reshape, kernel.broadcast and their block twins): the custom form
// printed twice identically, the generic form parsed back to the same custom
// form, and the result type kernel.transpose and block.transpose infer.
//
// RUN: mirage-opt %s > %t.1 && mirage-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | mirage-opt | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @kernel_layout
// CHECK: kernel.transpose %{{.*}} permutation [1, 0] : tensor<256x64xf16>
// CHECK: kernel.transpose %{{.*}} permutation [0, 2, 3, 1] : tensor<2x3x4x5xbf16>
// CHECK: kernel.reshape %{{.*}} : tensor<2x4096xf16> -> tensor<2x32x128xf16>
// CHECK: kernel.reshape %{{.*}} : tensor<2x32x128xf16> -> tensor<8192xf16>
// CHECK: kernel.broadcast %{{.*}} dimensions [0] : tensor<64xf32> -> tensor<8x64xf32>
// CHECK: kernel.broadcast %{{.*}} dimensions [1, 3] : tensor<2x4xf16> -> tensor<2x3x4x5xf16>
// GENERIC: "kernel.transpose"(%{{.*}}) <{permutation = array<i64: 1, 0>}> : (tensor<256x64xf16>) -> tensor<64x256xf16>
// GENERIC: "kernel.transpose"(%{{.*}}) <{permutation = array<i64: 0, 2, 3, 1>}> : (tensor<2x3x4x5xbf16>) -> tensor<2x4x5x3xbf16>
// GENERIC: "kernel.broadcast"(%{{.*}}) <{dimensions = array<i64: 0>}> : (tensor<64xf32>) -> tensor<8x64xf32>
func.func @kernel_layout(%k: tensor<256x64xf16>, %p: tensor<2x3x4x5xbf16>,
                         %x: tensor<2x4096xf16>, %v: tensor<64xf32>,
                         %w: tensor<2x4xf16>) {
  %kt = kernel.transpose %k permutation [1, 0] : tensor<256x64xf16>
  %pt = kernel.transpose %p permutation [0, 2, 3, 1] : tensor<2x3x4x5xbf16>
  %r = kernel.reshape %x : tensor<2x4096xf16> -> tensor<2x32x128xf16>
  %f = kernel.reshape %r : tensor<2x32x128xf16> -> tensor<8192xf16>
  %b = kernel.broadcast %v dimensions [0] : tensor<64xf32> -> tensor<8x64xf32>
  %c = kernel.broadcast %w dimensions [1, 3]
      : tensor<2x4xf16> -> tensor<2x3x4x5xf16>
  return
}

// CHECK-LABEL: func.func @block_layout
// CHECK: block.transpose %{{.*}} permutation [1, 0] : !block.tile<64x32xf16, pre>
// CHECK: block.reshape %{{.*}} : !block.tile<32x64xf16, pre> -> !block.tile<2x16x64xf16, pre>
// CHECK: block.broadcast %{{.*}} dimensions [0] : !block.tile<32xf16, pre> -> !block.tile<4x32xf16, pre>
// GENERIC: "block.transpose"(%{{.*}}) <{permutation = array<i64: 1, 0>}> : (!block.tile<64x32xf16, pre>) -> !block.tile<32x64xf16, pre>
func.func @block_layout(%k: tensor<64x128xf16>, %v: tensor<32xf16>)
    -> (tensor<2x64x64xf16>, tensor<16x32xf16>) {
  %o, %q = kernel.graph_defined (%k, %v) grid [4, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<64x128xf16>, tensor<32xf16>)
      -> (tensor<2x64x64xf16>, tensor<16x32xf16>) {
  ^bb0(%kd: tensor<64x128xf16>, %vd: tensor<32xf16>):
    %kt = block.loader %kd imap [1, -1, -1] fmap -1
        : tensor<64x128xf16> -> !block.tile<64x32xf16, pre>
    %t = block.transpose %kt permutation [1, 0] : !block.tile<64x32xf16, pre>
    %r = block.reshape %t
        : !block.tile<32x64xf16, pre> -> !block.tile<2x16x64xf16, pre>
    %ra = block.accum none %r
        : !block.tile<2x16x64xf16, pre> -> !block.tile<2x16x64xf16, post>
    %rs = block.saver %ra omap [1, -1, -1]
        : !block.tile<2x16x64xf16, post> -> tensor<2x64x64xf16>
    %vt = block.loader %vd imap [-1, -1, -1] fmap -1
        : tensor<32xf16> -> !block.tile<32xf16, pre>
    %b = block.broadcast %vt dimensions [0]
        : !block.tile<32xf16, pre> -> !block.tile<4x32xf16, pre>
    %ba = block.accum none %b
        : !block.tile<4x32xf16, pre> -> !block.tile<4x32xf16, post>
    %bs = block.saver %ba omap [0, -1, -1]
        : !block.tile<4x32xf16, post> -> tensor<16x32xf16>
    block.yield %rs, %bs : tensor<2x64x64xf16>, tensor<16x32xf16>
  }
  return %o, %q : tensor<2x64x64xf16>, tensor<16x32xf16>
}
