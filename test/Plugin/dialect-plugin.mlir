// The stock upstream mlir-opt parses, verifies and prints the μGraph
// dialects once MiragePlugin.so is loaded as a dialect plugin.
// RUN: %upstream_mlir_opt --load-dialect-plugin=%mirage_plugin %s | FileCheck %s
// Without the plugin the same input is rejected: the dialects come from it.
// RUN: not %upstream_mlir_opt %s 2>&1 | FileCheck %s --check-prefix=NOPLUGIN

// NOPLUGIN: Dialect `kernel' not found for custom op 'kernel.graph_defined'

// CHECK-LABEL: func.func @three_levels
func.func @three_levels(%x: tensor<8x64xf16>, %w: tensor<64x64xf16>)
    -> tensor<8x64xf16> {
  // CHECK: kernel.graph_defined
  %y = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<8x64xf16>, tensor<64x64xf16>) -> tensor<8x64xf16> {
  ^bb0(%xd: tensor<8x64xf16>, %wd: tensor<64x64xf16>):
    // CHECK: block.loader {{.*}} -> !block.tile<8x16xf16, pre>
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<8x64xf16> -> !block.tile<8x16xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap 0
        : tensor<64x64xf16> -> !block.tile<16x64xf16, pre>
    %mm = block.matmul %xt, %wt
        : !block.tile<8x16xf16, pre>, !block.tile<16x64xf16, pre>
    // CHECK: block.silu
    %act = block.silu %mm : !block.tile<8x64xf16, pre>
    %acc = block.accum none %act
        : !block.tile<8x64xf16, pre> -> !block.tile<8x64xf16, post>
    %out = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x64xf16, post> -> tensor<8x64xf16>
    block.yield %out : tensor<8x64xf16>
  }
  // CHECK: kernel.relu
  %z = kernel.relu %y : tensor<8x64xf16>
  return %z : tensor<8x64xf16>
}
