// RUN: mirage-opt %s --mirage-map-to-cpu -split-input-file -verify-diagnostics \
// RUN:   | FileCheck %s

// A kernel at the structured level (docs/Lowering.md), written by hand: a
// grid of 4 x 2 blocks of 8 threads, a for-loop of 2 iterations that stages
// two tiles, zero-fills an f32 tile, multiplies, and accumulates per thread;
// a final phase writes the output. Buffers move to the function entry, in
// order; the grid becomes a z, y, x loop nest and every phase a loop over
// the threads; mapping attributes are dropped, mirage.structured stays.
// CHECK-LABEL: func.func @matmul_kernel
// CHECK-SAME:    attributes {mirage.structured = {num_inputs = 2 : i64, num_outputs = 1 : i64, workspace_bytes = 0 : i64}}
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
// CHECK-NOT:   scf.parallel
// CHECK-NOT:   mirage.memory
// CHECK-NOT:   mirage.phase
// CHECK-NOT:   mirage.kernel
// CHECK-NOT:   mirage.forloop
func.func @matmul_kernel(%a: memref<4x8xf16>, %b: memref<8x16xf16>,
                         %out: memref<4x16xf16>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 2 : i64,
                                     num_outputs = 1 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c4, %c2, %c1)
      step (%c1, %c1, %c1) {
    %ta = memref.alloca() {mirage.memory = "workgroup"} : memref<2x4xf16>
    %tb = memref.alloca() {mirage.memory = "workgroup"} : memref<4x4xf16>
    %tc = memref.alloca() {mirage.memory = "workgroup"} : memref<2x4xf32>
    %acc = memref.alloca() {mirage.memory = "private"} : memref<8x1xf32>
    scf.parallel (%t) = (%c0) to (%c8) step (%c1) {
      memref.store %zero, %acc[%t, %c0] : memref<8x1xf32>
      scf.reduce
    } {mirage.phase}
    scf.for %i = %c0 to %c2 step %c1 {
      %k = arith.muli %i, %c4 : index
      %col = arith.muli %bx, %c4 : index
      %sa = memref.subview %a[%by, %k] [2, 4] [1, 1]
          : memref<4x8xf16> to memref<2x4xf16, strided<[8, 1], offset: ?>>
      linalg.copy ins(%sa : memref<2x4xf16, strided<[8, 1], offset: ?>>)
                  outs(%ta : memref<2x4xf16>)
      %sb = memref.subview %b[%k, %col] [4, 4] [1, 1]
          : memref<8x16xf16> to memref<4x4xf16, strided<[16, 1], offset: ?>>
      linalg.copy ins(%sb : memref<4x4xf16, strided<[16, 1], offset: ?>>)
                  outs(%tb : memref<4x4xf16>)
      scf.parallel (%t) = (%c0) to (%c8) step (%c1) {
        %r = arith.divui %t, %c4 : index
        %c = arith.remui %t, %c4 : index
        memref.store %zero, %tc[%r, %c] : memref<2x4xf32>
        scf.reduce
      } {mirage.phase}
      linalg.matmul ins(%ta, %tb : memref<2x4xf16>, memref<4x4xf16>)
                    outs(%tc : memref<2x4xf32>)
      scf.parallel (%t) = (%c0) to (%c8) step (%c1) {
        %old = memref.load %acc[%t, %c0] : memref<8x1xf32>
        %r = arith.divui %t, %c4 : index
        %c = arith.remui %t, %c4 : index
        %v = memref.load %tc[%r, %c] : memref<2x4xf32>
        %new = arith.addf %old, %v : f32
        memref.store %new, %acc[%t, %c0] : memref<8x1xf32>
        scf.reduce
      } {mirage.phase}
    } {mirage.forloop}
    scf.parallel (%t) = (%c0) to (%c8) step (%c1) {
      %v = memref.load %acc[%t, %c0] : memref<8x1xf32>
      %e = math.exp %v : f32
      %h = arith.truncf %e : f32 to f16
      %r = arith.divui %t, %c4 : index
      %c = arith.remui %t, %c4 : index
      %row = arith.addi %by, %r : index
      %bcol = arith.muli %bx, %c4 : index
      %col = arith.addi %bcol, %c : index
      memref.store %h, %out[%row, %col] : memref<4x16xf16>
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "matmul_kernel0", block = array<i64: 8, 1, 1>,
                      forloop = 2 : i64}}
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
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 1 : i64,
                                     workspace_bytes = 256 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %tmp = memref.view %ws[%c0][] : memref<256xi8> to memref<4xf32>
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %buf = memref.alloca() {mirage.memory = "workgroup"} : memref<4xf32>
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      %v = memref.load %x[%t] : memref<4xf32>
      memref.store %v, %buf[%t] : memref<4xf32>
      scf.reduce
    } {mirage.phase}
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      %v = memref.load %buf[%t] : memref<4xf32>
      %s = math.sqrt %v : f32
      memref.store %s, %tmp[%t] : memref<4xf32>
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "k0", block = array<i64: 4, 1, 1>,
                      forloop = 1 : i64}}
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %buf = memref.alloca() {mirage.memory = "workgroup"} : memref<4xf32>
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      %v = memref.load %tmp[%t] : memref<4xf32>
      memref.store %v, %buf[%t] : memref<4xf32>
      %w = memref.load %buf[%t] : memref<4xf32>
      memref.store %w, %y[%t] : memref<4xf32>
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "k1", block = array<i64: 4, 1, 1>,
                      forloop = 1 : i64}}
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
  // expected-error @below {{a kernel or phase in a function without 'mirage.structured'}}
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

// expected-error @below {{the last argument is the workspace, memref<64xi8>; found 'memref<0xi8>'}}
func.func @wrong_workspace(%x: memref<4xf32>, %y: memref<4xf32>,
                           %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 1 : i64,
                                     workspace_bytes = 64 : i64}} {
  return
}

// -----

// expected-error @below {{a structured function takes 1 inputs, 1 outputs and the workspace (3 memrefs) and returns nothing}}
func.func @missing_workspace(%x: memref<4xf32>, %y: memref<4xf32>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 1 : i64,
                                     workspace_bytes = 0 : i64}} {
  return
}

// -----

// expected-error @below {{argument 0 must be a static memref with the identity layout}}
func.func @dynamic_argument(%x: memref<?xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  return
}

// -----

// expected-error @below {{'mirage.structured' needs a non-negative integer 'workspace_bytes'}}
func.func @incomplete_attribute(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64}} {
  return
}

// -----

func.func @nested_phases(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      // expected-error @below {{phases do not nest}}
      scf.parallel (%u) = (%c0) to (%c4) step (%c1) {
        scf.reduce
      } {mirage.phase}
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @private_wrong_index(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %acc = memref.alloca() {mirage.memory = "private"} : memref<4x2xf32>
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      // Thread t writes the state of thread 0: a race on a GPU.
      // expected-error @below {{the first index of a private access must be the thread id of its phase}}
      memref.store %zero, %acc[%c0, %c1] : memref<4x2xf32>
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @private_outside_phase(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %acc = memref.alloca() {mirage.memory = "private"} : memref<4xf32>
    // expected-error @below {{a private buffer is accessed only inside phases}}
    memref.store %zero, %acc[%c0] : memref<4xf32>
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @private_in_copy(%x: memref<4x1xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %acc = memref.alloca() {mirage.memory = "private"} : memref<4x1xf32>
    // expected-error @below {{a private buffer is accessed only by memref.load and memref.store, not by 'linalg.copy'}}
    linalg.copy ins(%x : memref<4x1xf32>) outs(%acc : memref<4x1xf32>)
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @private_leading_dim(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    // expected-error @below {{the leading dimension of a private buffer is the number of threads (4); found 'memref<2x4xf32>'}}
    %acc = memref.alloca() {mirage.memory = "private"} : memref<2x4xf32>
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @unknown_space(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    // expected-error @below {{unknown memory space 'shared' (expected "workgroup" or "private")}}
    %buf = memref.alloca() {mirage.memory = "shared"} : memref<4xf32>
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @no_space(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    // expected-error @below {{a buffer in a kernel needs a memory space}}
    %buf = memref.alloca() : memref<4xf32>
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @late_buffer(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    scf.for %i = %c0 to %c2 step %c1 {
      // expected-error @below {{buffers are allocated at the start of the kernel body, before any other op}}
      %buf = memref.alloca() {mirage.memory = "workgroup"} : memref<4xf32>
    }
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @alloc_in_phase(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      // expected-error @below {{nothing inside a phase allocates}}
      %tmp = memref.alloca() : memref<4xf32>
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @call_in_phase(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      // expected-error @below {{'func.call' is not allowed inside a phase}}
      func.call @helper() : () -> ()
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}
func.func private @helper()

// -----

func.func @phase_bounds(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    // expected-error @below {{a phase is an scf.parallel over exactly [0, 4) (the block's threads) in steps of 1, without results}}
    scf.parallel (%t) = (%c0) to (%c2) step (%c1) {
      scf.reduce
    } {mirage.phase}
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @phase_outside_kernel(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  // expected-error @below {{a phase (mirage.phase) must be inside a kernel}}
  scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
    scf.reduce
  } {mirage.phase}
  return
}

// -----

func.func @untagged_parallel(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    // expected-error @below {{an scf.parallel inside a kernel must be a phase (mirage.phase)}}
    scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
      scf.reduce
    }
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @load_at_block_level(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    // expected-error @below {{'memref.load' is not allowed at block level of a kernel (index arithmetic, scf.for, phases and cooperative ops)}}
    %v = memref.load %x[%c0] : memref<4xf32>
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @grid_rank(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{a kernel is an scf.parallel over the grid (x, y, z) without results}}
  scf.parallel (%bx) = (%c0) to (%c1) step (%c1) {
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @no_block_shape(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{'mirage.kernel' must be a dictionary with the thread-block shape 'block' (three extents)}}
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    scf.reduce
  } {mirage.kernel = {name = "k"}}
  return
}

// -----

func.func @workgroup_misuse(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %buf = memref.alloca() {mirage.memory = "workgroup"} : memref<4xf32>
    // expected-error @below {{a workgroup buffer is accessed only by memref.load, memref.store and the cooperative ops, not by 'memref.copy'}}
    memref.copy %x, %buf : memref<4xf32> to memref<4xf32>
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @matmul_on_global(%a: memref<2x2xf16>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %c = memref.alloca() {mirage.memory = "workgroup"} : memref<2x2xf32>
    // expected-error @below {{the operands of 'linalg.matmul' are workgroup buffers}}
    linalg.matmul ins(%a, %a : memref<2x2xf16>, memref<2x2xf16>)
                  outs(%c : memref<2x2xf32>)
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @copy_to_global(%a: memref<2x2xf16>, %b: memref<2x2xf16>,
                          %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 1 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    // expected-error @below {{a linalg.copy stages a tile into a workgroup buffer}}
    linalg.copy ins(%a : memref<2x2xf16>) outs(%b : memref<2x2xf16>)
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}

// -----

func.func @function_level_op(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  // expected-error @below {{'memref.load' is not allowed at function level of the structured level (kernels, workspace views, constants and return)}}
  %v = memref.load %x[%c0] : memref<4xf32>
  return
}

// -----

// 4 MiB + 4 bytes of buffers exceed the default max-stack-bytes.
// expected-error @below {{the kernels' buffers need 4194308 bytes of stack once hoisted, more than max-stack-bytes=4194304}}
func.func @too_big(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64,
                                     num_outputs = 0 : i64,
                                     workspace_bytes = 0 : i64}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1)
      step (%c1, %c1, %c1) {
    %big = memref.alloca() {mirage.memory = "workgroup"} : memref<1048577xf32>
    scf.reduce
  } {mirage.kernel = {name = "k", block = array<i64: 4, 1, 1>}}
  return
}
