// RUN: mirage-opt %s --mirage-default-schedules -split-input-file \
// RUN:   -verify-diagnostics | FileCheck %s
// Every schedule stays within the default resource limits.
// RUN: mirage-opt %s --mirage-default-schedules -split-input-file \
// RUN:   -verify-diagnostics | mirage-opt --mirage-check-limits > /dev/null

// A matmul: grid x over n (6144 / 64), y over m (2 rows fit one tile); the
// for-loop walks k in 64 chunks of 64 and a `none` accumulator sums them.
// CHECK-LABEL: func.func @matmul
// CHECK: kernel.graph_defined (%{{.*}}, %{{.*}}) grid [96, 1, 1] block [128, 1, 1] forloop 64
// CHECK: block.loader %{{.*}} imap [-1, -1, -1] fmap 1 : tensor<2x4096xf16> -> !block.tile<2x64xf16, pre>
// CHECK: block.loader %{{.*}} imap [1, -1, -1] fmap 0 : tensor<4096x6144xf16> -> !block.tile<64x64xf16, pre>
// CHECK: block.matmul
// CHECK: block.accum none
// CHECK: block.saver %{{.*}} omap [1, -1, -1] : !block.tile<2x64xf16, post> -> tensor<2x6144xf16>
// CHECK-NOT: kernel.matmul
func.func @matmul(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16> {
  %y = kernel.matmul %x, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
  return %y : tensor<2x6144xf16>
}

// -----

// A batched matmul maps the batch to grid z.
// CHECK-LABEL: func.func @batched_matmul
// CHECK: grid [64, 4, 2] block [128, 1, 1] forloop 1
// CHECK: imap [-1, 1, 0] fmap 2 : tensor<2x256x64xf16> -> !block.tile<1x64x64xf16, pre>
// CHECK: imap [2, -1, 0] fmap 1 : tensor<2x64x4096xf16> -> !block.tile<1x64x64xf16, pre>
// CHECK: omap [2, 1, 0] : !block.tile<1x64x64xf16, post> -> tensor<2x256x4096xf16>
func.func @batched_matmul(%q: tensor<2x256x64xf16>, %k: tensor<2x64x4096xf16>)
    -> tensor<2x256x4096xf16> {
  %s = kernel.matmul %q, %k : tensor<2x256x64xf16>, tensor<2x64x4096xf16>
  return %s : tensor<2x256x4096xf16>
}

// -----

// Element-wise ops keep their attributes; a broadcast operand is replicated
// along the split dimension it broadcasts.
// CHECK-LABEL: func.func @elementwise
// CHECK: grid [2, 1, 1] block [128, 1, 1] forloop 1
// CHECK: block.loader %{{.*}} imap [0, -1, -1] fmap -1 : tensor<16x512xf32> -> !block.tile<8x512xf32, pre>
// CHECK: block.clamp %{{.*}} min -1.000000e+00 max 2.000000e+00 : !block.tile<8x512xf32, pre>
// CHECK: block.saver %{{.*}} omap [0, -1, -1]
// CHECK: grid [2, 1, 1] block [128, 1, 1] forloop 1
// CHECK: block.loader %{{.*}} imap [0, -1, -1] fmap -1 : tensor<16x512xf32> -> !block.tile<8x512xf32, pre>
// CHECK: block.loader %{{.*}} imap [-1, -1, -1] fmap -1 : tensor<1x512xf32> -> !block.tile<1x512xf32, pre>
// CHECK: block.sub %{{.*}}, %{{.*}} : !block.tile<8x512xf32, pre>, !block.tile<1x512xf32, pre>
func.func @elementwise(%a: tensor<16x512xf32>, %b: tensor<1x512xf32>)
    -> tensor<16x512xf32> {
  %c = kernel.clamp %a min -1.0 max 2.0 : tensor<16x512xf32>
  %d = kernel.sub %c, %b : tensor<16x512xf32>, tensor<1x512xf32>
  return %d : tensor<16x512xf32>
}

// -----

// A plain reduction walks the reduced dimension in the for-loop; a strided
// one reduces each chunk to dimx = size.
// CHECK-LABEL: func.func @reductions
// CHECK: grid [2, 16, 1] block [128, 1, 1] forloop 16 :
// CHECK: block.loader %{{.*}} imap [0, 1, -1] fmap 2 : tensor<2x256x4096xf16> -> !block.tile<1x16x256xf16, pre>
// CHECK: block.reduction %{{.*}} dim 2 : !block.tile<1x16x256xf16, pre>
// CHECK: block.accum none
// CHECK: grid [64, 1, 1] block [128, 1, 1] forloop 2 :
// CHECK: block.loader %{{.*}} imap [1, -1, -1] fmap 2 : tensor<1x1024x512xf16> -> !block.tile<1x16x256xf16, pre>
// CHECK: block.reduction_to_dimx %{{.*}} dim 2 : !block.tile<1x16x256xf16, pre> -> !block.tile<1x16x64xf16, pre>
func.func @reductions(%e: tensor<2x256x4096xf16>, %p: tensor<1x1024x512xf16>)
    -> (tensor<2x256x1xf16>, tensor<1x1024x64xf16>) {
  %s = kernel.reduction %e dim 2 : tensor<2x256x4096xf16>
  %r = kernel.reduction %p dim 2 size 64 : tensor<1x1024x512xf16>
  return %s, %r : tensor<2x256x1xf16>, tensor<1x1024x64xf16>
}

// -----

// rms_norm keeps the normalized dimension whole and carries eps over.
// CHECK-LABEL: func.func @rms_norm
// CHECK: block.loader %{{.*}} imap [0, -1, -1] fmap -1 : tensor<8x4096xf16> -> !block.tile<1x4096xf16, pre>
// CHECK: block.rms_norm %{{.*}} eps 9.9999999999999995E-7 : !block.tile<1x4096xf16, pre>
// CHECK: block.mul
func.func @rms_norm(%x: tensor<8x4096xf16>, %g: tensor<1x4096xf16>)
    -> tensor<8x4096xf16> {
  %n = kernel.rms_norm %x over [4096] eps 1.0e-06 : tensor<8x4096xf16>
  %y = kernel.mul %n, %g : tensor<8x4096xf16>, tensor<1x4096xf16>
  return %y : tensor<8x4096xf16>
}

// -----

// Concatenation keeps the concatenated dimension whole.
// CHECK-LABEL: func.func @concat
// CHECK: block.concat %{{.*}}, %{{.*}} dim 1 : !block.tile<8x256xf16, pre>, !block.tile<8x16xf16, pre>
// CHECK: block.saver %{{.*}} omap [0, -1, -1] : !block.tile<8x272xf16, post> -> tensor<16x272xf16>
func.func @concat(%a: tensor<16x256xf16>, %b: tensor<16x16xf16>)
    -> tensor<16x272xf16> {
  %c = kernel.concat %a, %b dim 1 : tensor<16x256xf16>, tensor<16x16xf16>
  return %c : tensor<16x272xf16>
}

// -----

// Existing graph-defined kernels are kept as they are.
// CHECK-LABEL: func.func @keeps_graph_defined
// CHECK: kernel.graph_defined (%{{.*}}) grid [1, 1, 1] block [64, 1, 1] forloop 2
func.func @keeps_graph_defined(%x: tensor<8x64xf16>) -> tensor<8x1xf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [64, 1, 1] forloop 2
      : (tensor<8x64xf16>) -> tensor<8x1xf16> {
  ^bb0(%xd: tensor<8x64xf16>):
    %t = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<8x64xf16> -> !block.tile<8x32xf16, pre>
    %s = block.accum sum %t
        : !block.tile<8x32xf16, pre> -> !block.tile<8x1xf16, post>
    %o = block.saver %s omap [-1, -1, -1]
        : !block.tile<8x1xf16, post> -> tensor<8x1xf16>
    block.yield %o : tensor<8x1xf16>
  }
  return %y : tensor<8x1xf16>
}

// -----

func.func @matmul_two_batch_dims(%a: tensor<2x2x8x8xf16>, %b: tensor<2x2x8x8xf16>)
    -> tensor<2x2x8x8xf16> {
  // expected-error @below {{'kernel.matmul' op has no default schedule: a block matmul takes one batch dimension at most, this op has 2}}
  %c = kernel.matmul %a, %b : tensor<2x2x8x8xf16>, tensor<2x2x8x8xf16>
  return %c : tensor<2x2x8x8xf16>
}

// -----

func.func @rms_norm_two_dims(%x: tensor<4x8x64xf16>) -> tensor<4x8x64xf16> {
  // expected-error @below {{'kernel.rms_norm' op has no default schedule: a block normalizes over the last dimension only, this op over 2}}
  %y = kernel.rms_norm %x over [8, 64] : tensor<4x8x64xf16>
  return %y : tensor<4x8x64xf16>
}

// -----

func.func @rms_norm_weight(%x: tensor<4x64xf16>, %g: tensor<64xf16>)
    -> tensor<4x64xf16> {
  // expected-error @below {{'kernel.rms_norm' op has no default schedule: a weight of rank 1 cannot be applied to a rank-2 tile (block ops broadcast equal ranks only)}}
  %y = kernel.rms_norm %x weight %g over [64] : tensor<4x64xf16>, tensor<64xf16>
  return %y : tensor<4x64xf16>
}

// -----

func.func @concat_three(%a: tensor<4x8xf16>) -> tensor<4x24xf16> {
  // expected-error @below {{'kernel.concat' op has no default schedule: a block concatenates two tiles, this op 3}}
  %c = kernel.concat %a, %a, %a dim 1 : tensor<4x8xf16>, tensor<4x8xf16>, tensor<4x8xf16>
  return %c : tensor<4x24xf16>
}
