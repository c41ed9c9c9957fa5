// Default schedules of the layout ops (docs/Lowering.md, "Layout ops"): one
// kernel each, whose loader reads the input tile the output tile comes from
// and whose block twin re-indexes it; a transpose of the last two dims that
// feeds a matmul is read by the matmul's loader instead and costs no kernel.
// RUN: mirage-opt %s --mirage-default-schedules -split-input-file \
// RUN:   | FileCheck %s
// RUN: mirage-opt %s --mirage-default-schedules -split-input-file \
// RUN:   | mirage-opt --mirage-check-limits > /dev/null

// The output [4096, 256] is split along dim 0, which is input dim 1.
// CHECK-LABEL: func.func @transpose
// CHECK: kernel.graph_defined (%{{.*}}) grid [{{[0-9]+}}, 1, 1] block [128, 1, 1] forloop 1
// CHECK: block.loader %{{.*}} imap [1, -1, -1] fmap -1 : tensor<256x4096xf16> -> !block.tile<256x{{[0-9]+}}xf16, pre>
// CHECK: block.transpose %{{.*}} permutation [1, 0]
// CHECK: block.saver %{{.*}} omap [0, -1, -1] : !block.tile<{{[0-9]+}}x256xf16, post> -> tensor<4096x256xf16>
// CHECK-NOT: kernel.transpose
func.func @transpose(%x: tensor<256x4096xf16>) -> tensor<4096x256xf16> {
  %y = kernel.transpose %x permutation [1, 0] : tensor<256x4096xf16>
  return %y : tensor<4096x256xf16>
}

// -----

// A reshape splits dim 0 of input and output by a common divisor (8 here).
// CHECK-LABEL: func.func @reshape
// CHECK: kernel.graph_defined (%{{.*}}) grid [8, 1, 1] block [128, 1, 1] forloop 1
// CHECK: block.loader %{{.*}} imap [0, -1, -1] fmap -1 : tensor<8x4096xf16> -> !block.tile<1x4096xf16, pre>
// CHECK: block.reshape %{{.*}} : !block.tile<1x4096xf16, pre> -> !block.tile<1x32x128xf16, pre>
// CHECK: block.saver %{{.*}} omap [0, -1, -1] : !block.tile<1x32x128xf16, post> -> tensor<8x32x128xf16>
func.func @reshape(%x: tensor<8x4096xf16>) -> tensor<8x32x128xf16> {
  %y = kernel.reshape %x : tensor<8x4096xf16> -> tensor<8x32x128xf16>
  return %y : tensor<8x32x128xf16>
}

// -----

// A broadcast along a new dim 0: blocks split the added dim and replicate
// the input along it.
// CHECK-LABEL: func.func @broadcast
// CHECK: kernel.graph_defined (%{{.*}}) grid [{{[0-9]+}}, 1, 1] block [128, 1, 1] forloop 1
// CHECK: block.loader %{{.*}} imap [-1, -1, -1] fmap -1 : tensor<4096xf32> -> !block.tile<4096xf32, pre>
// CHECK: block.broadcast %{{.*}} dimensions [0] : !block.tile<4096xf32, pre> -> !block.tile<{{[0-9]+}}x4096xf32, pre>
// CHECK: block.saver %{{.*}} omap [0, -1, -1]
func.func @broadcast(%v: tensor<4096xf32>) -> tensor<64x4096xf32> {
  %y = kernel.broadcast %v dimensions [0] : tensor<4096xf32> -> tensor<64x4096xf32>
  return %y : tensor<64x4096xf32>
}

// -----

// Q x K^T with K given as [kv, d]: one kernel. K's loader splits kv (dim 0
// of K) over grid x and walks d (dim 1) in the for-loop; block.transpose
// turns the [kv, d] tile into the [d, kv] operand of block.matmul.
// CHECK-LABEL: func.func @matmul_transposed_rhs
// CHECK-SAME: (%[[Q:.*]]: tensor<64x128xf16>, %[[K:.*]]: tensor<512x128xf16>)
// CHECK: kernel.graph_defined (%[[Q]], %[[K]]) grid [8, 1, 1] block [128, 1, 1] forloop 2
// CHECK: block.loader %{{.*}} imap [-1, -1, -1] fmap 1 : tensor<64x128xf16> -> !block.tile<64x64xf16, pre>
// CHECK: %[[KT:.*]] = block.loader %{{.*}} imap [0, -1, -1] fmap 1 : tensor<512x128xf16> -> !block.tile<64x64xf16, pre>
// CHECK: %[[T:.*]] = block.transpose %[[KT]] permutation [1, 0]
// CHECK: block.matmul %{{.*}}, %[[T]]
// CHECK-NOT: kernel.transpose
// CHECK-NOT: kernel.graph_defined
// CHECK: return
func.func @matmul_transposed_rhs(%q: tensor<64x128xf16>, %k: tensor<512x128xf16>)
    -> tensor<64x512xf16> {
  %kt = kernel.transpose %k permutation [1, 0] : tensor<512x128xf16>
  %s = kernel.matmul %q, %kt : tensor<64x128xf16>, tensor<128x512xf16>
  return %s : tensor<64x512xf16>
}

// -----

// A transposed lhs in a batched matmul, whose transpose is also returned:
// the matmul reads it fused, and the transpose keeps its own kernel for its
// other reader.
// CHECK-LABEL: func.func @batched_transposed_lhs
// CHECK: %[[AT:.*]] = kernel.graph_defined (%{{.*}}) grid [1, 1, 1]
// CHECK: block.loader %{{.*}} imap [-1, -1, -1] fmap -1 : tensor<2x32x16xf16> -> !block.tile<2x32x16xf16, pre>
// CHECK-NEXT: block.transpose %{{.*}} permutation [0, 2, 1]
// CHECK: %[[Y:.*]] = kernel.graph_defined (%{{.*}}, %{{.*}}) grid [1, 1, 2]
// CHECK: block.loader %{{.*}} imap [-1, -1, 0] fmap 1 : tensor<2x32x16xf16> -> !block.tile<1x32x16xf16, pre>
// CHECK-NEXT: block.transpose %{{.*}} permutation [0, 2, 1] : !block.tile<1x32x16xf16, pre>
// CHECK: block.matmul
// CHECK: return %[[Y]], %[[AT]]
func.func @batched_transposed_lhs(%a: tensor<2x32x16xf16>, %b: tensor<2x32x8xf16>)
    -> (tensor<2x16x8xf16>, tensor<2x16x32xf16>) {
  %at = kernel.transpose %a permutation [0, 2, 1] : tensor<2x32x16xf16>
  %y = kernel.matmul %at, %b : tensor<2x16x32xf16>, tensor<2x32x8xf16>
  return %y, %at : tensor<2x16x8xf16>, tensor<2x16x32xf16>
}
