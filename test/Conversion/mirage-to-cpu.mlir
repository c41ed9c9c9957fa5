// RUN: mirage-opt %s --mirage-to-cpu -split-input-file -verify-diagnostics \
// RUN:   | FileCheck %s --implicit-check-not=scf. --implicit-check-not=memref. \
// RUN:       --implicit-check-not=arith. --implicit-check-not=math. \
// RUN:       --implicit-check-not=linalg. --implicit-check-not=cf. \
// RUN:       --implicit-check-not=func.func --implicit-check-not=kernel. \
// RUN:       --implicit-check-not=unrealized_conversion_cast \
// RUN:       --implicit-check-not=structured.kernel \
// RUN:       --implicit-check-not=structured.phase \
// RUN:       --implicit-check-not=structured.for_loop \
// RUN:       --implicit-check-not=address_space \
// RUN:       --implicit-check-not="f32 to bf16"

// The whole pipeline: kernel ops in, LLVM dialect out, nothing else left.
// The function gets a C wrapper (one descriptor pointer per memref) that
// keeps its calling convention; tanh and exp become LLVM intrinsics, erf
// (gelu) a call to the C library; bf16 conversions are integer code.
// CHECK:       llvm.func @erff(f32) -> f32
// CHECK-LABEL: llvm.func @mlp
// CHECK:         llvm.intr.tanh
// CHECK:         llvm.call @erff
// CHECK:         llvm.intr.exp
// CHECK:       llvm.func @_mlir_ciface_mlp(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-SAME:    llvm.emit_c_interface
// CHECK-SAME:    structured.abi = #structured.abi<(tensor<4x64xf16>, tensor<64x32xf16>, tensor<4x32xbf16>) -> (tensor<4x32xf16>, tensor<4x32xbf16>), workspace = {{[1-9][0-9]*}}>
// CHECK:         llvm.call @mlp(
func.func @mlp(%x: tensor<4x64xf16>, %w: tensor<64x32xf16>,
               %y: tensor<4x32xbf16>)
    -> (tensor<4x32xf16>, tensor<4x32xbf16>) {
  %xw = kernel.matmul %x, %w : tensor<4x64xf16>, tensor<64x32xf16>
  %t = kernel.tanh %xw : tensor<4x32xf16>
  %g = kernel.gelu %t : tensor<4x32xf16>
  %e = kernel.exp %g : tensor<4x32xf16>
  %y2 = kernel.mul_scalar %y, 2.0 : tensor<4x32xbf16>
  %r = kernel.relu %y2 : tensor<4x32xbf16>
  return %e, %r : tensor<4x32xf16>, tensor<4x32xbf16>
}

// -----

// A step that fails stops the pipeline with its diagnostic: here the
// default schedules, which have no block matmul with two batch dimensions.
func.func @two_batch_dims(%a: tensor<2x2x4x4xf16>, %b: tensor<2x2x4x4xf16>)
    -> tensor<2x2x4x4xf16> {
  // expected-error @below {{'kernel.matmul' op has no default schedule: a block matmul takes one batch dimension at most, this op has 2}}
  %c = kernel.matmul %a, %b : tensor<2x2x4x4xf16>, tensor<2x2x4x4xf16>
  return %c : tensor<2x2x4x4xf16>
}

// -----

// Graph-defined kernels go through the same pipeline (no default schedule
// needed).
// CHECK-LABEL: llvm.func @graph_defined
// CHECK:       llvm.func @_mlir_ciface_graph_defined
func.func @graph_defined(%x: tensor<8x64xf16>) -> tensor<8x64xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [32, 1, 1] forloop 1
      : (tensor<8x64xf16>) -> tensor<8x64xf16> {
  ^bb0(%xd: tensor<8x64xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<8x64xf16> -> !block.tile<4x64xf16, pre>
    %e = block.exp %xt : !block.tile<4x64xf16, pre>
    %acc = block.accum none %e
        : !block.tile<4x64xf16, pre> -> !block.tile<4x64xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x64xf16, post> -> tensor<8x64xf16>
    block.yield %s : tensor<8x64xf16>
  }
  return %y : tensor<8x64xf16>
}
