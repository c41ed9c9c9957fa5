// RUN: mirage-opt %s --mirage-map-to-cpu -split-input-file -verify-diagnostics \
// RUN:   | FileCheck %s

// A kernel at the structured level (docs/Lowering.md), written by hand: a
// grid of 4 x 2 blocks of 8 threads, a for-loop of 2 iterations that stages
// two tiles, zero-fills an f32 tile, multiplies, and accumulates per thread;
// a final phase writes the output. Buffers move to the function entry, in
// order, in the default memory space; the grid becomes a z, y, x loop nest,
// the for-loop and every phase a loop; structured.abi stays.
// CHECK-LABEL: func.func @matmul_kernel
// CHECK-SAME:    attributes {structured.abi = #structured.abi<(tensor<4x8xf16>, tensor<8x16xf16>) -> tensor<4x16xf16>, workspace = 0>}
// CHECK-NEXT:    %[[A:.*]] = memref.alloca() : memref<2x4xf16>
// CHECK-NEXT:    %[[B:.*]] = memref.alloca() : memref<4x4xf16>
// CHECK-NEXT:    %[[C:.*]] = memref.alloca() : memref<2x4xf32>
// CHECK-NEXT:    %[[ACC:.*]] = memref.alloca() : memref<8x1xf32>
// CHECK:         scf.for %[[BZ:.*]] = %c0 to %c1 step %c1 {
// CHECK-NEXT:      scf.for %[[BY:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT:        scf.for %[[BX:.*]] = %c0 to %c4 step %c1 {
// CHECK-NEXT:          scf.for %[[T:.*]] = %c0 to %c8 step %c1 {
// CHECK-NEXT:            memref.store %{{.*}}, %[[ACC]][%[[T]], %c0]
// CHECK-NEXT:          }
// CHECK-NEXT:          scf.for %[[I:.*]] = %c0 to %c2 step %c1 {
// CHECK:                 %[[AS:.*]] = memref.subview %arg0[%[[BY]], %{{.*}}] [2, 4] [1, 1]
// CHECK-NEXT:            linalg.copy ins(%[[AS]] : {{.*}}) outs(%[[A]] : memref<2x4xf16>)
// CHECK:                 linalg.copy ins(%{{.*}}) outs(%[[B]] : memref<4x4xf16>)
// CHECK-NEXT:            scf.for %[[T2:.*]] = %c0 to %c8 step %c1 {
// CHECK:                   memref.store %{{.*}}, %[[C]]
// CHECK:                 linalg.matmul ins(%[[A]], %[[B]] : memref<2x4xf16>, memref<4x4xf16>) outs(%[[C]] : memref<2x4xf32>)
// CHECK-NEXT:            scf.for %[[T3:.*]] = %c0 to %c8 step %c1 {
// CHECK-NEXT:              %[[OLD:.*]] = memref.load %[[ACC]][%[[T3]], %c0]
// CHECK:                   memref.store %{{.*}}, %[[ACC]][%[[T3]], %c0]
// CHECK:                 }
// CHECK-NEXT:          }
// CHECK-NEXT:          scf.for %[[T4:.*]] = %c0 to %c8 step %c1 {
// CHECK:                 math.exp
// CHECK:                 memref.store %{{.*}}, %arg2
// CHECK:        return
// CHECK-NOT:   structured.
// CHECK-NOT:   address_space
func.func @matmul_kernel(%a: memref<4x8xf16>, %b: memref<8x16xf16>,
                         %out: memref<4x16xf16>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4x8xf16>, tensor<8x16xf16>) -> tensor<4x16xf16>, workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  structured.kernel "matmul_kernel0" grid [4, 2, 1] block [8, 1, 1] forloop 2 (%bx, %by, %bz) {
    %ta = memref.alloca() : memref<2x4xf16, #gpu.address_space<workgroup>>
    %tb = memref.alloca() : memref<4x4xf16, #gpu.address_space<workgroup>>
    %tc = memref.alloca() : memref<2x4xf32, #gpu.address_space<workgroup>>
    %acc = memref.alloca() : memref<8x1xf32, #gpu.address_space<private>>
    structured.phase (%t) {
      memref.store %zero, %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
    }
    structured.for_loop (%i) {
      %k = arith.muli %i, %c4 : index
      %col = arith.muli %bx, %c4 : index
      %sa = memref.subview %a[%by, %k] [2, 4] [1, 1]
          : memref<4x8xf16> to memref<2x4xf16, strided<[8, 1], offset: ?>>
      linalg.copy ins(%sa : memref<2x4xf16, strided<[8, 1], offset: ?>>)
                  outs(%ta : memref<2x4xf16, #gpu.address_space<workgroup>>)
      %sb = memref.subview %b[%k, %col] [4, 4] [1, 1]
          : memref<8x16xf16> to memref<4x4xf16, strided<[16, 1], offset: ?>>
      linalg.copy ins(%sb : memref<4x4xf16, strided<[16, 1], offset: ?>>)
                  outs(%tb : memref<4x4xf16, #gpu.address_space<workgroup>>)
      structured.phase (%t) {
        %r = arith.divui %t, %c4 : index
        %c = arith.remui %t, %c4 : index
        memref.store %zero, %tc[%r, %c] : memref<2x4xf32, #gpu.address_space<workgroup>>
      }
      linalg.matmul ins(%ta, %tb : memref<2x4xf16, #gpu.address_space<workgroup>>, memref<4x4xf16, #gpu.address_space<workgroup>>)
                    outs(%tc : memref<2x4xf32, #gpu.address_space<workgroup>>)
      structured.phase (%t) {
        %old = memref.load %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
        %r = arith.divui %t, %c4 : index
        %c = arith.remui %t, %c4 : index
        %v = memref.load %tc[%r, %c] : memref<2x4xf32, #gpu.address_space<workgroup>>
        %new = arith.addf %old, %v : f32
        memref.store %new, %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
      }
    }
    structured.phase (%t) {
      %v = memref.load %acc[%t, %c0] : memref<8x1xf32, #gpu.address_space<private>>
      %e = math.exp %v : f32
      %h = arith.truncf %e : f32 to f16
      %r = arith.divui %t, %c4 : index
      %c = arith.remui %t, %c4 : index
      %row = arith.addi %by, %r : index
      %bcol = arith.muli %bx, %c4 : index
      %col = arith.addi %bcol, %c : index
      memref.store %h, %out[%row, %col] : memref<4x16xf16>
    }
  }
  return
}

// -----

// Two kernels: each one's buffers are hoisted; the intermediate tensor is
// a view of the workspace at function level.
// CHECK-LABEL: func.func @two_kernels
// CHECK-NEXT:    memref.alloca() : memref<4xf32>
// CHECK-NEXT:    memref.alloca() : memref<4xf32>
// CHECK:         memref.view
// CHECK-COUNT-2: scf.for %{{.*}} = %c0 to %c1 step %c1 {
func.func @two_kernels(%x: memref<4xf32>, %y: memref<4xf32>,
                       %ws: memref<256xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> tensor<4xf32>, workspace = 256>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %tmp = memref.view %ws[%c0][] : memref<256xi8> to memref<4xf32>
  structured.kernel "k0" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %buf = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
    structured.phase (%t) {
      %v = memref.load %x[%t] : memref<4xf32>
      memref.store %v, %buf[%t] : memref<4xf32, #gpu.address_space<workgroup>>
    }
    structured.phase (%t) {
      %v = memref.load %buf[%t] : memref<4xf32, #gpu.address_space<workgroup>>
      %s = math.sqrt %v : f32
      memref.store %s, %tmp[%t] : memref<4xf32>
    }
  }
  structured.kernel "k1" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %buf = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
    structured.phase (%t) {
      %v = memref.load %tmp[%t] : memref<4xf32>
      memref.store %v, %buf[%t] : memref<4xf32, #gpu.address_space<workgroup>>
      %w = memref.load %buf[%t] : memref<4xf32, #gpu.address_space<workgroup>>
      memref.store %w, %y[%t] : memref<4xf32>
    }
  }
  return
}

// -----

// Functions that are not at the structured level are left alone.
// CHECK-LABEL: func.func @not_structured
// CHECK:         scf.parallel
func.func @not_structured(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %x[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

func.func @kernel_outside(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{a kernel in a function without 'structured.abi'}}
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @call_in_phase(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    structured.phase (%t) {
      // expected-error @below {{'func.call' is not allowed inside a phase}}
      func.call @helper() : () -> ()
    }
  }
  return
}
func.func private @helper()

// -----

func.func @untagged_parallel(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @below {{'scf.parallel' is not allowed at block level of a kernel}}
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      scf.reduce
    }
  }
  return
}

// -----

func.func @load_at_block_level(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @below {{'memref.load' is not allowed at block level of a kernel (index arithmetic, subviews, loops, phases and cooperative ops)}}
    %v = memref.load %x[%c0] : memref<4xf32>
  }
  return
}

// -----

func.func @workgroup_misuse(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %buf = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
    // expected-error @below {{a workgroup buffer is accessed only by memref.load, memref.store and the cooperative ops, not by 'memref.copy'}}
    memref.copy %x, %buf : memref<4xf32> to memref<4xf32, #gpu.address_space<workgroup>>
  }
  return
}

// -----

func.func @matmul_on_global(%a: memref<2x2xf16>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<2x2xf16>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %c = memref.alloca() : memref<2x2xf32, #gpu.address_space<workgroup>>
    // expected-error @below {{the operands of 'linalg.matmul' are workgroup buffers}}
    linalg.matmul ins(%a, %a : memref<2x2xf16>, memref<2x2xf16>)
                  outs(%c : memref<2x2xf32, #gpu.address_space<workgroup>>)
  }
  return
}

// -----

func.func @copy_to_global(%a: memref<2x2xf16>, %b: memref<2x2xf16>,
                          %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<2x2xf16>) -> tensor<2x2xf16>, workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @below {{a linalg.copy stages a tile into a workgroup buffer}}
    linalg.copy ins(%a : memref<2x2xf16>) outs(%b : memref<2x2xf16>)
  }
  return
}

// -----

func.func @function_level_op(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  // expected-error @below {{'memref.load' is not allowed at function level of the structured level (kernels, workspace views, constants and return)}}
  %v = memref.load %x[%c0] : memref<4xf32>
  return
}

// -----

// 4 MiB + 4 bytes of buffers exceed the default max-stack-bytes.
// expected-error @below {{the kernels' buffers need 4194308 bytes of stack once hoisted, more than max-stack-bytes=4194304}}
func.func @too_big(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %big = memref.alloca() : memref<1048577xf32, #gpu.address_space<workgroup>>
  }
  return
}
