// The bundle of a function: NAME.ptx and the launch manifest NAME.json
// (docs/Lowering.md). check_bundle.py checks the manifest against the PTX
// (SHA-256, one .entry per kernel with one .param per argument, arguments in
// bounds of their buffers) and prints it compactly.
// RUN: rm -rf %t
// RUN: mirage-opt %s --mirage-to-ptx="chip=sm_90 output=%t/a" -o /dev/null
// RUN: %mirage_python %S/Inputs/check_bundle.py %t/a/mlp.json | FileCheck %s

// The output is deterministic: a second run writes the same bytes.
// RUN: mirage-opt %s --mirage-to-ptx="chip=sm_90 output=%t/b" -o /dev/null
// RUN: cmp %t/a/mlp.ptx %t/b/mlp.ptx
// RUN: cmp %t/a/mlp.json %t/b/mlp.json

// Nothing but the bundle is left in the directory.
// RUN: ls -A %t/a | FileCheck %s --check-prefix=FILES
// FILES: mlp.json
// FILES-NEXT: mlp.ptx
// FILES-NOT: {{.}}

// Two kernels: the matmul writes h into the workspace (offset 0), the
// exponential reads it back and writes the output. Every parameter is one
// pointer; shapes and strides are in elements.
// CHECK:      function mlp chip sm_90 ptx mlp.ptx workspace 2048
// CHECK-NEXT: input [16, 64] f16
// CHECK-NEXT: input [64, 64] f16
// CHECK-NEXT: output [16, 64] f16
// CHECK-NEXT: kernel mlp_kernel0 grid [1, 1, 1] block [128, 1, 1] smem {{[1-9][0-9]*}}
// CHECK-NEXT:   arg input 0 +0 [16, 64] f16 strides [64, 1]
// CHECK-NEXT:   arg input 1 +0 [64, 64] f16 strides [64, 1]
// CHECK-NEXT:   arg workspace 0 +0 [16, 64] f16 strides [64, 1]
// CHECK-NEXT: kernel mlp_kernel1 grid [1, 1, 1] block [128, 1, 1] smem {{[0-9]+}}
// CHECK-NEXT:   arg workspace 0 +0 [16, 64] f16 strides [64, 1]
// CHECK-NEXT:   arg output 0 +0 [16, 64] f16 strides [64, 1]
func.func @mlp(%x: tensor<16x64xf16>, %w: tensor<64x64xf16>) -> tensor<16x64xf16> {
  %h = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x64xf16>
  %y = kernel.exp %h : tensor<16x64xf16>
  return %y : tensor<16x64xf16>
}
