// --mirage-check-limits: every kernel of this file is within Mirage's default
// limits, so the pass leaves the IR unchanged; under the tight limits of the
// last RUN line (12 KiB of shared memory, 8 block ops, 2 inputs, 2 outputs)
// the first kernel is exactly at every limit and each other kernel exceeds
// the limits its name says.
//
// Shared memory is the one accounting of the search, the cost model and the
// GPU mapping (docs/CostModel.md, "Shared memory"): the buffers the code
// generator allocates (matmul operands, the results of matmuls and
// accumulators, element-wise values read twice; loaders and element-wise
// values read once are computed where they are read), matmul results in
// f32, tensor-core padding (rows of A and C to 16, columns of B and C to 8)
// and a leading dimension of an even number of 16-byte chunks padded by 16
// bytes, each buffer at a 16-byte offset, single-buffered. Block ops are
// the ops of the body, loaders, savers and block.yield included.
//
// RUN: mirage-opt %s -split-input-file > %t.1
// RUN: mirage-opt %s -split-input-file --mirage-check-limits > %t.2
// RUN: diff %t.1 %t.2
// RUN: FileCheck %s --input-file=%t.2
// RUN: mirage-opt %s -split-input-file -verify-diagnostics \
// RUN:     --mirage-check-limits='shared-memory-bytes=12288 max-block-ops=8 max-inputs=2 max-outputs=2'
// Every kernel's bytes, in order:
// RUN: not mirage-opt %s -split-input-file --mirage-check-limits='shared-memory-bytes=1' \
// RUN:     -o /dev/null 2>&1 | FileCheck %s --check-prefix=BYTES
// BYTES: check-limits.mlir:{{.*}} bytes: 12288 exceeds
// BYTES: check-limits.mlir:{{.*}} bytes: 18432 exceeds
// BYTES: check-limits.mlir:{{.*}} bytes: 5184 exceeds
// BYTES: check-limits.mlir:{{.*}} bytes: 768 exceeds
// BYTES: check-limits.mlir:{{.*}} bytes: 768 exceeds
// BYTES: check-limits.mlir:{{.*}} bytes: 1568 exceeds
// BYTES: check-limits.mlir:{{.*}} bytes: 13952 exceeds

// Exactly at every tight limit, which is allowed:
//   shared memory: the matmul's operands 2 x 32x40xf16 = 2 x 2560 (rows of
//     64 bytes, 4 chunks, padded by 8 halves), its f32 result 32x36xf32 =
//     4608, accum 32x40xf16 = 2560, relu read once = 0; 12288;
//   block ops: 2 loaders, matmul, accum, relu, 2 savers, yield = 8;
//   2 inputs, 2 outputs.
// CHECK-LABEL: func.func @at_the_limits
// CHECK:         kernel.graph_defined
// CHECK:         block.relu
// CHECK:         block.yield
func.func @at_the_limits(%x: tensor<32x32xf16>, %w: tensor<32x32xf16>)
    -> (tensor<32x32xf16>, tensor<32x32xf16>) {
  %y:2 = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<32x32xf16>, tensor<32x32xf16>)
      -> (tensor<32x32xf16>, tensor<32x32xf16>) {
  ^bb0(%xd: tensor<32x32xf16>, %wd: tensor<32x32xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf16> -> !block.tile<32x32xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf16> -> !block.tile<32x32xf16, pre>
    %mm = block.matmul %xt, %wt
        : !block.tile<32x32xf16, pre>, !block.tile<32x32xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<32x32xf16, pre> -> !block.tile<32x32xf16, post>
    %r = block.relu %acc : !block.tile<32x32xf16, post>
    %s0 = block.saver %acc omap [-1, -1, -1]
        : !block.tile<32x32xf16, post> -> tensor<32x32xf16>
    %s1 = block.saver %r omap [-1, -1, -1]
        : !block.tile<32x32xf16, post> -> tensor<32x32xf16>
    block.yield %s0, %s1 : tensor<32x32xf16>, tensor<32x32xf16>
  }
  return %y#0, %y#1 : tensor<32x32xf16>, tensor<32x32xf16>
}

// -----

// The same graph on f32 tiles (no tensor cores): exp(x) and w as matmul
// operands, the matmul and the accum, each 32x36xf32 = 4608; 18432 bytes.
// The loader of x is read once, by exp: not stored. (7 block ops, 2 inputs,
// 1 output.)
// CHECK-LABEL: func.func @shared_memory
func.func @shared_memory(%x: tensor<32x32xf32>, %w: tensor<32x32xf32>)
    -> tensor<32x32xf32> {
  // expected-error @below {{shared memory per block in bytes: 18432 exceeds the limit of 12288 (option shared-memory-bytes)}}
  %y = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<32x32xf32> {
  ^bb0(%xd: tensor<32x32xf32>, %wd: tensor<32x32xf32>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf32> -> !block.tile<32x32xf32, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf32> -> !block.tile<32x32xf32, pre>
    %e = block.exp %xt : !block.tile<32x32xf32, pre>
    %mm = block.matmul %e, %wt
        : !block.tile<32x32xf32, pre>, !block.tile<32x32xf32, pre>
    %acc = block.accum none %mm
        : !block.tile<32x32xf32, pre> -> !block.tile<32x32xf32, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<32x32xf32, post> -> tensor<32x32xf32>
    block.yield %s : tensor<32x32xf32>
  }
  return %y : tensor<32x32xf32>
}

// -----

// An element-wise value read twice is stored, one read once is not: the
// product is read by both accumulators (32x40xf16 = 2560), accum none 2560,
// accum sum 32x1xf16 = 64; 5184, within the limit. The loaders are read by
// the product only. Block ops: 2 loaders, mul, 2 accums, 2 savers, yield =
// 8, within the limit.
// CHECK-LABEL: func.func @binary_result
func.func @binary_result(%x: tensor<32x32xf16>, %w: tensor<32x32xf16>)
    -> (tensor<32x32xf16>, tensor<32x1xf16>) {
  %y:2 = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<32x32xf16>, tensor<32x32xf16>)
      -> (tensor<32x32xf16>, tensor<32x1xf16>) {
  ^bb0(%xd: tensor<32x32xf16>, %wd: tensor<32x32xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf16> -> !block.tile<32x32xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf16> -> !block.tile<32x32xf16, pre>
    %f = block.mul %xt, %wt
        : !block.tile<32x32xf16, pre>, !block.tile<32x32xf16, pre>
    %acc = block.accum none %f
        : !block.tile<32x32xf16, pre> -> !block.tile<32x32xf16, post>
    %sum = block.accum sum %f
        : !block.tile<32x32xf16, pre> -> !block.tile<32x1xf16, post>
    %s0 = block.saver %acc omap [-1, -1, -1]
        : !block.tile<32x32xf16, post> -> tensor<32x32xf16>
    %s1 = block.saver %sum omap [-1, -1, -1]
        : !block.tile<32x1xf16, post> -> tensor<32x1xf16>
    block.yield %s0, %s1 : tensor<32x32xf16>, tensor<32x1xf16>
  }
  return %y#0, %y#1 : tensor<32x32xf16>, tensor<32x1xf16>
}

// -----

// Block ops: loader, 5 unary ops, accum, saver, yield = 9. (Shared memory:
// the accum, 16x24xf16 = 768 (rows of 32 bytes, 2 chunks, padded by 8
// halves); the loader and the unary ops are read once.)
// CHECK-LABEL: func.func @block_ops
func.func @block_ops(%x: tensor<16x16xf16>) -> tensor<16x16xf16> {
  // expected-error @below {{number of block ops: 9 exceeds the limit of 8 (option max-block-ops)}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<16x16xf16>) -> tensor<16x16xf16> {
  ^bb0(%xd: tensor<16x16xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<16x16xf16> -> !block.tile<16x16xf16, pre>
    %0 = block.exp %xt : !block.tile<16x16xf16, pre>
    %1 = block.sqrt %0 : !block.tile<16x16xf16, pre>
    %2 = block.relu %1 : !block.tile<16x16xf16, pre>
    %3 = block.tanh %2 : !block.tile<16x16xf16, pre>
    %4 = block.silu %3 : !block.tile<16x16xf16, pre>
    %acc = block.accum none %4
        : !block.tile<16x16xf16, pre> -> !block.tile<16x16xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    block.yield %s : tensor<16x16xf16>
  }
  return %y : tensor<16x16xf16>
}

// -----

// 3 inputs. (Block ops: 3 loaders, 2 adds, accum, saver, yield = 8. Shared
// memory: the accum, 768; the loaders and the adds are read once.)
// CHECK-LABEL: func.func @inputs
func.func @inputs(%a: tensor<16x16xf16>, %b: tensor<16x16xf16>,
                  %c: tensor<16x16xf16>) -> tensor<16x16xf16> {
  // expected-error @below {{number of input tensors: 3 exceeds the limit of 2 (option max-inputs)}}
  %y = kernel.graph_defined (%a, %b, %c) grid [1, 1, 1] block [128, 1, 1]
      forloop 1
      : (tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>)
      -> tensor<16x16xf16> {
  ^bb0(%ad: tensor<16x16xf16>, %bd: tensor<16x16xf16>,
       %cd: tensor<16x16xf16>):
    %at = block.loader %ad imap [-1, -1, -1] fmap -1
        : tensor<16x16xf16> -> !block.tile<16x16xf16, pre>
    %bt = block.loader %bd imap [-1, -1, -1] fmap -1
        : tensor<16x16xf16> -> !block.tile<16x16xf16, pre>
    %ct = block.loader %cd imap [-1, -1, -1] fmap -1
        : tensor<16x16xf16> -> !block.tile<16x16xf16, pre>
    %ab = block.add %at, %bt
        : !block.tile<16x16xf16, pre>, !block.tile<16x16xf16, pre>
    %abc = block.add %ab, %ct
        : !block.tile<16x16xf16, pre>, !block.tile<16x16xf16, pre>
    %acc = block.accum none %abc
        : !block.tile<16x16xf16, pre> -> !block.tile<16x16xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    block.yield %s : tensor<16x16xf16>
  }
  return %y : tensor<16x16xf16>
}

// -----

// 3 outputs. (Block ops: loader, 3 accums, 3 savers, yield = 8. Shared
// memory: accum none 768, accum sum 16x1xf16 = 32, accum max 768; 1568.
// The loader, read three times, is read from device memory each time.)
// CHECK-LABEL: func.func @outputs
func.func @outputs(%x: tensor<16x16xf16>)
    -> (tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x16xf16>) {
  // expected-error @below {{number of output tensors: 3 exceeds the limit of 2 (option max-outputs)}}
  %y:3 = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<16x16xf16>)
      -> (tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x16xf16>) {
  ^bb0(%xd: tensor<16x16xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<16x16xf16> -> !block.tile<16x16xf16, pre>
    %none = block.accum none %xt
        : !block.tile<16x16xf16, pre> -> !block.tile<16x16xf16, post>
    %sum = block.accum sum %xt
        : !block.tile<16x16xf16, pre> -> !block.tile<16x1xf16, post>
    %max = block.accum max %xt
        : !block.tile<16x16xf16, pre> -> !block.tile<16x16xf16, post>
    %s0 = block.saver %none omap [-1, -1, -1]
        : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    %s1 = block.saver %sum omap [-1, -1, -1]
        : !block.tile<16x1xf16, post> -> tensor<16x1xf16>
    %s2 = block.saver %max omap [-1, -1, -1]
        : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    block.yield %s0, %s1, %s2
        : tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x16xf16>
  }
  return %y#0, %y#1, %y#2
      : tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x16xf16>
}

// -----

// Every limit at once, each reported. Shared memory: the second add, read
// by the three accumulators, 32x36xf32 = 4608, accum none 4608, accum max
// 4608, accum sum 32x1xf32 = 128; 13952 (the loaders and the first add are
// read once). Block ops:
// 3 loaders, 2 adds, 3 accums, 3 savers, yield = 12. 3 inputs, 3 outputs.
// CHECK-LABEL: func.func @every_limit
func.func @every_limit(%a: tensor<32x32xf32>, %b: tensor<32x32xf32>,
                       %c: tensor<32x32xf32>)
    -> (tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x1xf32>) {
  // expected-error @below {{shared memory per block in bytes: 13952 exceeds the limit of 12288 (option shared-memory-bytes)}}
  // expected-error @below {{number of block ops: 12 exceeds the limit of 8 (option max-block-ops)}}
  // expected-error @below {{number of input tensors: 3 exceeds the limit of 2 (option max-inputs)}}
  // expected-error @below {{number of output tensors: 3 exceeds the limit of 2 (option max-outputs)}}
  %y:3 = kernel.graph_defined (%a, %b, %c) grid [1, 1, 1] block [128, 1, 1]
      forloop 1
      : (tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>)
      -> (tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x1xf32>) {
  ^bb0(%ad: tensor<32x32xf32>, %bd: tensor<32x32xf32>,
       %cd: tensor<32x32xf32>):
    %at = block.loader %ad imap [-1, -1, -1] fmap -1
        : tensor<32x32xf32> -> !block.tile<32x32xf32, pre>
    %bt = block.loader %bd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf32> -> !block.tile<32x32xf32, pre>
    %ct = block.loader %cd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf32> -> !block.tile<32x32xf32, pre>
    %ab = block.add %at, %bt
        : !block.tile<32x32xf32, pre>, !block.tile<32x32xf32, pre>
    %abc = block.add %ab, %ct
        : !block.tile<32x32xf32, pre>, !block.tile<32x32xf32, pre>
    %none = block.accum none %abc
        : !block.tile<32x32xf32, pre> -> !block.tile<32x32xf32, post>
    %max = block.accum max %abc
        : !block.tile<32x32xf32, pre> -> !block.tile<32x32xf32, post>
    %sum = block.accum sum %abc
        : !block.tile<32x32xf32, pre> -> !block.tile<32x1xf32, post>
    %s0 = block.saver %none omap [-1, -1, -1]
        : !block.tile<32x32xf32, post> -> tensor<32x32xf32>
    %s1 = block.saver %max omap [-1, -1, -1]
        : !block.tile<32x32xf32, post> -> tensor<32x32xf32>
    %s2 = block.saver %sum omap [-1, -1, -1]
        : !block.tile<32x1xf32, post> -> tensor<32x1xf32>
    block.yield %s0, %s1, %s2
        : tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x1xf32>
  }
  return %y#0, %y#1, %y#2
      : tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x1xf32>
}
