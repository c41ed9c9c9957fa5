// The stock upstream mlir-opt runs Mirage's passes from MiragePlugin.so
// loaded as a pass plugin (and as a dialect plugin, for the IR). Plugin passes
// load after the command line is parsed, so they are named in --pass-pipeline.
// RUN: %upstream_mlir_opt --load-dialect-plugin=%mirage_plugin \
// RUN:   --load-pass-plugin=%mirage_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(mirage-check-limits))' %s \
// RUN:   | FileCheck %s
// The pass really runs: a limit of 100 bytes of shared memory fails it.
// RUN: not %upstream_mlir_opt --load-dialect-plugin=%mirage_plugin \
// RUN:   --load-pass-plugin=%mirage_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(mirage-check-limits{shared-memory-bytes=100}))' \
// RUN:   %s 2>&1 | FileCheck %s --check-prefix=LIMIT
// Without the pass plugin the pipeline cannot name the pass.
// RUN: not %upstream_mlir_opt --load-dialect-plugin=%mirage_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(mirage-check-limits))' %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOPASS

// NOPASS: 'mirage-check-limits' does not refer to a registered pass

// The code generator's layout (docs/CostModel.md, "Shared memory"), padded
// for tensor cores and bank conflicts: x 16x24 halves (768 B) + w 16x72
// halves (2304 B) + the f32 matmul 16x68 (4352 B) + the accumulator 8x72
// halves (1152 B) = 8576 bytes.
// LIMIT: error: shared memory per block in bytes: 8576 exceeds the limit of 100 (option shared-memory-bytes)

// CHECK-LABEL: func.func @small_matmul
// CHECK: kernel.graph_defined
func.func @small_matmul(%x: tensor<8x64xf16>, %w: tensor<64x64xf16>)
    -> tensor<8x64xf16> {
  %y = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<8x64xf16>, tensor<64x64xf16>) -> tensor<8x64xf16> {
  ^bb0(%xd: tensor<8x64xf16>, %wd: tensor<64x64xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<8x64xf16> -> !block.tile<8x16xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap 0
        : tensor<64x64xf16> -> !block.tile<16x64xf16, pre>
    %mm = block.matmul %xt, %wt
        : !block.tile<8x16xf16, pre>, !block.tile<16x64xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<8x64xf16, pre> -> !block.tile<8x64xf16, post>
    %out = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x64xf16, post> -> tensor<8x64xf16>
    block.yield %out : tensor<8x64xf16>
  }
  return %y : tensor<8x64xf16>
}
