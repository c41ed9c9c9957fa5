// --mirage-lower-calls-to-gpu on a region the chip cannot take: the
// function stays, at the kernel level and called as before, for the host
// path (mirage-lower-calls), with a remark that says why; the pipeline
// mirage-mixed-to-gpu then calls its CPU lowering (no kernel launched). And
// the options it refuses.
//
// RUN: mirage-opt %s --mirage-lower-calls-to-gpu=shared-memory-bytes=16384 \
// RUN:   -verify-diagnostics | FileCheck %s
// RUN: mirage-opt %s --mirage-mixed-to-gpu=shared-memory-bytes=16384 \
// RUN:   2>/dev/null | FileCheck %s --check-prefix=HOST
// RUN: not mirage-opt %s --mirage-lower-calls-to-gpu=chip=sm_42 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHIP
// RUN: not mirage-opt %s --mirage-lower-calls-to-gpu=shared-memory-bytes=-1 \
// RUN:   2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not mirage-opt %s --mirage-lower-calls-to-gpu='chip=sm_80 shared-memory-bytes=200000' \
// RUN:   2>&1 | FileCheck %s --check-prefix=OVER
// RUN: not mirage-opt %s --mirage-mixed-to-gpu=chip=sm_42 -o %t.none.mlir \
// RUN:   2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not test -e %t.none.mlir

// CHIP: error: mirage-lower-calls-to-gpu: unknown chip 'sm_42': CUDA 13's ptxas knows sm_75, sm_80
// NEGATIVE: error: mirage-lower-calls-to-gpu: shared-memory-bytes must not be negative, not -1
// OVER: error: mirage-lower-calls-to-gpu: shared-memory-bytes 200000 exceeds the 166912 bytes a block of sm_80 may use

// HOST-NOT:    gpu.container_module
// HOST-NOT:    gpu.launch_func
// HOST-LABEL:  llvm.func @too_big
// HOST:          llvm.call @big(
// HOST-LABEL:  llvm.func @big(
// HOST-NOT:    gpu.launch_func
// HOST-NOT:    gpu.binary

// CHECK-LABEL: func.func @too_big
// CHECK-NEXT:    call @big
// CHECK:       func.func private @big
// CHECK-SAME:    mirage.outlined
// CHECK-NEXT:    kernel.matmul
func.func @too_big(%x: tensor<64x64xf16>, %w: tensor<64x128xf16>) -> tensor<64x128xf16> {
  %r = func.call @big(%x, %w) : (tensor<64x64xf16>, tensor<64x128xf16>) -> tensor<64x128xf16>
  return %r : tensor<64x128xf16>
}
// expected-remark @below {{mirage-lower-calls-to-gpu: @big stays on the host (mirage-lower-calls): the GPU mapping for sm_90 refused it: kernel 'big_kernel0' needs 35840 bytes of shared memory, but only 16384 are available}}
func.func private @big(%x: tensor<64x64xf16>, %w: tensor<64x128xf16>) -> tensor<64x128xf16> attributes {mirage.outlined} {
  %m = kernel.matmul %x, %w : tensor<64x64xf16>, tensor<64x128xf16>
  return %m : tensor<64x128xf16>
}
