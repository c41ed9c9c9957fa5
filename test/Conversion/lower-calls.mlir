// --mirage-lower-calls: kernel-level functions on tensors are lowered to the
// structured level and each call to them is rewritten into the lowered
// calling convention; what it cannot rewrite is an error.
//
// RUN: mirage-opt %s -split-input-file --mirage-lower-calls \
// RUN:   -verify-diagnostics | FileCheck %s
// With free-workspace=false (as mirage-mixed-to-cpu runs it, before
// upstream's buffer deallocation) the workspace is not freed here.
// RUN: mirage-opt %s -split-input-file --mirage-lower-calls='free-workspace=false' \
// RUN:   -verify-diagnostics | FileCheck %s --check-prefix=KEEP
// KEEP-LABEL: func.func @caller
// KEEP:         call @region
// KEEP-NOT:     memref.dealloc
// KEEP:         return

// CHECK-LABEL: func.func @caller
// CHECK-SAME:    (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT:    %[[IN:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<4x8xf32> to memref<4x8xf32>
// CHECK-NEXT:    %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
// CHECK-NEXT:    %[[WS:.*]] = memref.alloc() {alignment = 64 : i64} : memref<{{[0-9]+}}xi8>
// CHECK-NEXT:    call @region(%[[IN]], %[[OUT]], %[[WS]])
// CHECK-NEXT:    memref.dealloc %[[WS]]
// CHECK-NEXT:    %[[T:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK-NEXT:    return %[[T]]
// CHECK-LABEL: func.func private @region
// CHECK-SAME:    (%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<4x8xf32>, %{{.*}}: memref<{{[0-9]+}}xi8>)
// CHECK-SAME:    structured.abi
// CHECK-NOT:     mirage.outlined
func.func @caller(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = func.call @region(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func private @region(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {mirage.outlined} {
  %e = kernel.exp %x : tensor<4x8xf32>
  return %e : tensor<4x8xf32>
}

// -----

func.func @not_outlined(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @below {{mirage-lower-calls: a kernel op in a function that is not kernel level: run --mirage-outline first}}
  %e = kernel.exp %x : tensor<4x8xf32>
  %z = arith.constant dense<0.0> : tensor<4x8xf32>
  %s = arith.addf %e, %z : tensor<4x8xf32>
  return %s : tensor<4x8xf32>
}

// -----

func.func @by_constant() -> ((tensor<4x8xf32>) -> tensor<4x8xf32>) {
  // expected-error @below {{mirage-lower-calls: refers to @region, a kernel-level function, other than by func.call}}
  %f = func.constant @region : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %f : (tensor<4x8xf32>) -> tensor<4x8xf32>
}
func.func private @region(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = kernel.exp %x : tensor<4x8xf32>
  return %e : tensor<4x8xf32>
}
