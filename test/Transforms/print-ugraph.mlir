// The listing is checked on the kernel-level functions; the remark on the
// function that is not is checked with -verify-diagnostics.
// RUN: mirage-opt %s --mirage-print-ugraph -split-input-file -o /dev/null \
// RUN:   2>/dev/null | FileCheck %s
// RUN: mirage-opt %s --mirage-print-ugraph -split-input-file -o /dev/null \
// RUN:   -verify-diagnostics > /dev/null

// An element-wise chain at the kernel level, on whole tensors; clamp and
// mul_scalar keep their attributes.
// CHECK-LABEL: kernel_graph @fused_chain inputs(%0: 8x64xf16, %1: 8x64xf16)
// CHECK-NEXT:   %2 = mul(%0, %1) : 8x64xf16
// CHECK-NEXT:   %3 = clamp(%2) min -1.000000e+00 max 1.000000e+00 : 8x64xf16
// CHECK-NEXT:   %4 = mul_scalar(%3) scalar 5.000000e-01 : 8x64xf16
// CHECK-NEXT:   %5 = silu(%4) : 8x64xf16
// CHECK-NEXT:   outputs(%5)
func.func @fused_chain(%a: tensor<8x64xf16>, %b: tensor<8x64xf16>)
    -> tensor<8x64xf16> {
  %m = kernel.mul %a, %b : tensor<8x64xf16>, tensor<8x64xf16>
  %c = kernel.clamp %m min -1.0 max 1.0 : tensor<8x64xf16>
  %r = kernel.mul_scalar %c, 0.5 : tensor<8x64xf16>
  %s = kernel.silu %r : tensor<8x64xf16>
  return %s : tensor<8x64xf16>
}

// -----

// Block graphs keep their own value table: values 0 and 1 are the kernel's
// inputs, then tiles with their accumulation state.
// CHECK-LABEL: kernel_graph @block_level
// CHECK:   %2 = graph_defined(%0, %1) block_graph 0 : 8x64xf32
// CHECK:   block_graph 0 grid 2x1x1 block 128x1x1 forloop 4 dimx 64 inputs 2
// CHECK-NEXT:     %2 = loader(%0) imap [-1, -1, -1] fmap 1 : 8x16xf32 pre
// CHECK-NEXT:     %3 = loader(%1) imap [1, -1, -1] fmap 0 : 16x32xf32 pre
// CHECK-NEXT:     %4 = matmul(%2, %3) : 8x32xf32 pre
// CHECK-NEXT:     %5 = exp(%4) : 8x32xf32 pre
// CHECK-NEXT:     %6 = accum(%5) none : 8x32xf32 post
// CHECK-NEXT:     %7 = saver(%6) omap [1, -1, -1] : 8x64xf32
// CHECK-NEXT:     outputs(%7)
// CHECK-NEXT:   outputs(%2)
func.func @block_level(%x: tensor<8x64xf32>, %w: tensor<64x64xf32>)
    -> tensor<8x64xf32> {
  %y = kernel.graph_defined (%x, %w) grid [2, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<8x64xf32>, tensor<64x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%xd: tensor<8x64xf32>, %wd: tensor<64x64xf32>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<8x64xf32> -> !block.tile<8x16xf32, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<64x64xf32> -> !block.tile<16x32xf32, pre>
    %mm = block.matmul %xt, %wt
        : !block.tile<8x16xf32, pre>, !block.tile<16x32xf32, pre>
    %e = block.exp %mm : !block.tile<8x32xf32, pre>
    %acc = block.accum none %e
        : !block.tile<8x32xf32, pre> -> !block.tile<8x32xf32, post>
    %out = block.saver %acc omap [1, -1, -1]
        : !block.tile<8x32xf32, post> -> tensor<8x64xf32>
    block.yield %out : tensor<8x64xf32>
  }
  return %y : tensor<8x64xf32>
}

// -----

// A function with an op outside the μGraph dialects has no μGraph: it is
// skipped with a remark (mixed modules, docs/Import.md).
// CHECK-NOT: kernel_graph @foreign_op
// expected-remark @below {{mirage-print-ugraph: function left alone: 'arith.addf' is not a kernel op}}
func.func @foreign_op(%a: tensor<4xf32>) -> tensor<4xf32> {
  %b = arith.addf %a, %a : tensor<4xf32>
  return %b : tensor<4xf32>
}
