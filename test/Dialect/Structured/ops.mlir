// RUN: mirage-opt %s -split-input-file | FileCheck %s
// RUN: mirage-opt %s -split-input-file \
// RUN:   | mirage-opt -split-input-file | FileCheck %s
// RUN: mirage-opt %s -split-input-file --mlir-print-op-generic \
// RUN:   | mirage-opt -split-input-file | FileCheck %s

// A kernel of the structured level: buffers in the GPU's memory spaces, the
// for-loop, phases (one of them inside an scf.for at block level), and a
// cooperative op. The region arguments print with their default names.
// CHECK-LABEL: func.func @kernel
// CHECK: structured.kernel "k_0" grid [4, 2, 1] block [8, 1, 1] forloop 3 (%[[BX:bx]], %[[BY:by]], %[[BZ:bz]]) {
// CHECK-NEXT: %[[A:.*]] = memref.alloca() : memref<2x4xf16, #gpu.address_space<workgroup>>
// CHECK-NEXT: %[[ACC:.*]] = memref.alloca() : memref<8x1xf32, #gpu.address_space<private>>
// CHECK-NEXT: structured.phase (%[[T0:tid]]) {
// CHECK-NEXT:   memref.store %{{.*}}, %[[ACC]][%[[T0]], %{{.*}}]
// CHECK-NEXT: }
// CHECK-NEXT: structured.for_loop (%[[I:iter]]) {
// CHECK:        memref.subview %{{.*}}[%[[BY]], %{{.*}}]
// CHECK:        linalg.copy
// CHECK:        structured.phase (%[[T1:tid.*]]) {
// CHECK:          memref.load %[[ACC]][%[[T1]], %{{.*}}]
// CHECK:        }
// CHECK-NEXT: }
// CHECK-NEXT: scf.for
// CHECK-NEXT:   structured.phase
// CHECK-NEXT:     memref.load
// CHECK-NEXT:     memref.store
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @kernel(%a: memref<4x12xf16>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  structured.kernel "k_0" grid [4, 2, 1] block [8, 1, 1] forloop 3 (%bx, %by, %bz) {
    %ta = memref.alloca() : memref<2x4xf16, #gpu.address_space<workgroup>>
    %acc = memref.alloca() : memref<8x1xf32, #gpu.address_space<private>>
    structured.phase (%t) {
      memref.store %zero, %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
    }
    structured.for_loop (%i) {
      %k = arith.muli %i, %c4 : index
      %sa = memref.subview %a[%by, %k] [2, 4] [1, 1]
          : memref<4x12xf16> to memref<2x4xf16, strided<[12, 1], offset: ?>>
      linalg.copy ins(%sa : memref<2x4xf16, strided<[12, 1], offset: ?>>)
                  outs(%ta : memref<2x4xf16, #gpu.address_space<workgroup>>)
      structured.phase (%t) {
        %r = arith.divui %t, %c4 : index
        %c = arith.remui %t, %c4 : index
        %old = memref.load %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
        %v = memref.load %ta[%r, %c] : memref<2x4xf16, #gpu.address_space<workgroup>>
        %w = arith.extf %v : f16 to f32
        %new = arith.addf %old, %w : f32
        memref.store %new, %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
      }
    }
    scf.for %j = %c0 to %c2 step %c1 {
      structured.phase (%t) {
        %v = memref.load %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
        memref.store %v, %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
      }
    }
  }
  return
}

// -----

// Regions may be empty; a kernel without a for-loop or buffers is valid.
// CHECK-LABEL: func.func @empty
// CHECK: structured.kernel "e" grid [1, 1, 1] block [1, 1, 1] forloop 1 (%{{.*}}, %{{.*}}, %{{.*}}) {
// CHECK-NEXT: structured.phase (%{{.*}}) {
// CHECK-NEXT: }
// CHECK-NEXT: }
func.func @empty() {
  structured.kernel "e" grid [1, 1, 1] block [1, 1, 1] forloop 1 (%bx, %by, %bz) {
    structured.phase (%t) {
    }
  }
  return
}

// -----

// A function's calling convention at the structured level: two inputs, two
// results (their memrefs follow the inputs), the workspace last.
// CHECK-LABEL: func.func @abi
// CHECK-SAME: attributes {structured.abi = #structured.abi<(tensor<2x8xf16>, tensor<8xbf16>) -> (tensor<2x8xf32>, tensor<1xf16>), workspace = 512>}
func.func @abi(%a: memref<2x8xf16>, %b: memref<8xbf16>, %c: memref<2x8xf32>,
               %d: memref<1xf16>, %ws: memref<512xi8>)
    attributes {structured.abi = #structured.abi<
      (tensor<2x8xf16>, tensor<8xbf16>) -> (tensor<2x8xf32>, tensor<1xf16>),
      workspace = 512>} {
  return
}
