// Lowered code keeps the locations of the ops the user wrote: a lowering
// diagnostic points at the op it is about (not at its function), and every
// op the structured level, the GPU mapping and the CPU mapping build carries
// the location of the kernel or block op it comes from (a constant shared
// by several, the fused location of them; the workspace, the function's).
// RUN: mirage-opt %s -split-input-file -verify-diagnostics \
// RUN:   --mirage-default-schedules --mirage-lower-to-structured \
// RUN:   -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --strict-whitespace
// RUN: mirage-opt %s -split-input-file -verify-diagnostics \
// RUN:   --mirage-default-schedules --mirage-lower-to-structured --mirage-map-to-gpu \
// RUN:   -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=GPU
// RUN: mirage-opt %s -split-input-file -verify-diagnostics \
// RUN:   --mirage-default-schedules --mirage-lower-to-structured --mirage-map-to-cpu \
// RUN:   -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=CPU

// CHECK-LABEL: func.func @mlp
// CHECK-SAME:    memref<16x64xf16> loc("x")
// CHECK-SAME:    memref<64x64xf16> loc("w")
// CHECK-SAME:    memref<16x64xf16> loc("user_exp")
// CHECK-SAME:    memref<2048xi8> loc("user_function")
// CHECK:         arith.constant 0 : index loc(fused["user_matmul", "user_exp"])
// CHECK:         memref.view {{.*}} loc("user_matmul")
// CHECK:         linalg.matmul {{.*}} loc("user_matmul")
// CHECK:         {{^    }}} loc("user_matmul")
// CHECK-NEXT:    structured.kernel "mlp_kernel1"
// CHECK:         math.exp {{.*}} loc("user_exp")
// CHECK:         {{^    }}} loc("user_exp")
// CHECK:         return loc("user_return")
// CHECK-NEXT:  } loc("user_function")

// GPU-LABEL: func.func @mlp
// GPU:         gpu.launch
// GPU:           nvgpu.mma.sync{{.*}} loc("user_matmul")
// GPU:           gpu.terminator loc("user_matmul")
// GPU:         gpu.launch
// GPU:           math.exp {{.*}} loc("user_exp")
// GPU:           gpu.terminator loc("user_exp")

// CPU-LABEL: func.func @mlp
// CPU:         linalg.matmul {{.*}} loc("user_matmul")
// CPU:         math.exp {{.*}} loc("user_exp")
// CPU:         return loc("user_return")
func.func @mlp(%x: tensor<16x64xf16> loc("x"), %w: tensor<64x64xf16> loc("w"))
    -> tensor<16x64xf16> {
  %h = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x64xf16>
      loc("user_matmul")
  %y = kernel.exp %h : tensor<16x64xf16> loc("user_exp")
  return %y : tensor<16x64xf16> loc("user_return")
} loc("user_function")

// -----

// The lowering fails on one block op: the error points at its line.
func.func @rank4(%x: tensor<1x1x16x64xf32>, %w: tensor<1x1x64x32xf32>)
    -> tensor<1x1x16x32xf32> {
  %y = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<1x1x16x64xf32>, tensor<1x1x64x32xf32>) -> tensor<1x1x16x32xf32> {
  ^bb0(%xd: tensor<1x1x16x64xf32>, %wd: tensor<1x1x64x32xf32>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<1x1x16x64xf32> -> !block.tile<1x1x16x64xf32, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap -1
        : tensor<1x1x64x32xf32> -> !block.tile<1x1x64x32xf32, pre>
    // expected-error @below {{a block matmul of rank 4 has no lowering (ranks 2 and 3 do)}}
    %mm = block.matmul %xt, %wt
        : !block.tile<1x1x16x64xf32, pre>, !block.tile<1x1x64x32xf32, pre>
    %acc = block.accum none %mm
        : !block.tile<1x1x16x32xf32, pre> -> !block.tile<1x1x16x32xf32, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<1x1x16x32xf32, post> -> tensor<1x1x16x32xf32>
    block.yield %s : tensor<1x1x16x32xf32>
  }
  return %y : tensor<1x1x16x32xf32>
}
