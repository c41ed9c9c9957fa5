// RUN: mirage-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// structured.kernel
//===----------------------------------------------------------------------===//

func.func @kernel_name() {
  // expected-error @+1 {{'structured.kernel' op name 'kernel-0' is not an identifier (letters, digits and '_', not starting with a digit)}}
  structured.kernel "kernel-0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @kernel_name_digit() {
  // expected-error @+1 {{name '0k' is not an identifier}}
  structured.kernel "0k" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @grid_rank() {
  // expected-error @+1 {{'structured.kernel' op grid must be three positive extents}}
  structured.kernel "k" grid [4, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @grid_zero() {
  // expected-error @+1 {{'structured.kernel' op grid must be three positive extents}}
  structured.kernel "k" grid [4, 0, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @block_rank() {
  // expected-error @+1 {{'structured.kernel' op block must be three positive extents}}
  structured.kernel "k" grid [1, 1, 1] block [32] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @block_zero() {
  // expected-error @+1 {{'structured.kernel' op block must be three positive extents}}
  structured.kernel "k" grid [1, 1, 1] block [0, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @forloop_zero() {
  // expected-error @+1 {{'structured.kernel' op attribute 'forloop' failed to satisfy constraint: 64-bit signless integer attribute whose minimum value is 1}}
  structured.kernel "k" grid [1, 1, 1] block [32, 1, 1] forloop 0 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @block_ids() {
  // expected-error @+1 {{'structured.kernel' op region must take the three block ids (index)}}
  structured.kernel "k" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by) {
  }
  return
}

// -----

func.func @block_id_type() {
  // expected-error @+1 {{'structured.kernel' op region must take the three block ids (index)}}
  "structured.kernel"() <{kernel_name = "k", grid = array<i64: 1, 1, 1>,
                          block_shape = array<i64: 32, 1, 1>, forloop = 1 : i64}> ({
  ^bb0(%bx: index, %by: index, %bz: i32):
  }) : () -> ()
  return
}

// -----

func.func @nested_kernels() {
  structured.kernel "outer" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'structured.kernel' op kernels do not nest}}
    structured.kernel "inner" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%x, %y, %z) {
    }
  }
  return
}

// -----

func.func @late_buffer(%x: memref<4xf32>) {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    structured.phase (%t) {
    }
    // expected-error @+1 {{'memref.alloca' op kernel buffers are allocated at the start of the kernel, before any other op}}
    %buf = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
  }
  return
}

// -----

func.func @buffer_in_loop() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 2 (%bx, %by, %bz) {
    structured.for_loop (%i) {
      // expected-error @+1 {{'memref.alloca' op kernel buffers are allocated at the start of the kernel, not inside a loop or phase}}
      %buf = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
    }
  }
  return
}

// -----

func.func @no_space() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'memref.alloca' op a kernel buffer has a static shape, the identity layout and the memory space #gpu.address_space<workgroup> or #gpu.address_space<private>; found 'memref<4xf32>'}}
    %buf = memref.alloca() : memref<4xf32>
  }
  return
}

// -----

func.func @global_space() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'memref.alloca' op a kernel buffer has a static shape, the identity layout and the memory space}}
    %buf = memref.alloca() : memref<4xf32, #gpu.address_space<global>>
  }
  return
}

// -----

func.func @dynamic_buffer(%n: index) {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'memref.alloca' op a kernel buffer has a static shape, the identity layout and the memory space}}
    %buf = memref.alloca(%n) : memref<?xf32, #gpu.address_space<workgroup>>
  }
  return
}

// -----

func.func @strided_buffer() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'memref.alloca' op a kernel buffer has a static shape, the identity layout and the memory space}}
    %buf = memref.alloca() : memref<4xf32, strided<[2]>, #gpu.address_space<workgroup>>
  }
  return
}

// -----

func.func @private_leading_dim() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'memref.alloca' op the leading dimension of a private buffer must be the block's thread count 4; found 'memref<2x4xf32, #gpu.address_space<private>>'}}
    %acc = memref.alloca() : memref<2x4xf32, #gpu.address_space<private>>
  }
  return
}

// -----

func.func @private_rank0() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{the leading dimension of a private buffer must be the block's thread count 4}}
    %acc = memref.alloca() : memref<f32, #gpu.address_space<private>>
  }
  return
}

// -----

func.func @private_wrong_index() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %acc = memref.alloca() : memref<4x2xf32, #gpu.address_space<private>>
    structured.phase (%t) {
      // expected-error @+1 {{'memref.store' op the first index of a private buffer access must be the thread id of its phase}}
      memref.store %zero, %acc[%c0, %c1] : memref<4x2xf32, #gpu.address_space<private>>
    }
  }
  return
}

// -----

func.func @private_outside_phase() {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %acc = memref.alloca() : memref<4xf32, #gpu.address_space<private>>
    // expected-error @+1 {{'memref.store' op accesses a private buffer outside a phase}}
    memref.store %zero, %acc[%c0] : memref<4xf32, #gpu.address_space<private>>
  }
  return
}

// -----

func.func @private_in_copy(%x: memref<4x1xf32>) {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %acc = memref.alloca() : memref<4x1xf32, #gpu.address_space<private>>
    // expected-error @+1 {{'linalg.copy' op uses a private buffer; only memref.load and memref.store inside a phase may}}
    linalg.copy ins(%x : memref<4x1xf32>) outs(%acc : memref<4x1xf32, #gpu.address_space<private>>)
  }
  return
}

// -----

func.func @private_stored_as_value(%x: memref<4xmemref<4xf32, #gpu.address_space<private>>>) {
  %c0 = arith.constant 0 : index
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    %acc = memref.alloca() : memref<4xf32, #gpu.address_space<private>>
    structured.phase (%t) {
      // expected-error @+1 {{'memref.store' op uses a private buffer; only memref.load and memref.store inside a phase may}}
      memref.store %acc, %x[%c0] : memref<4xmemref<4xf32, #gpu.address_space<private>>>
    }
  }
  return
}

// -----

func.func @two_loops() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 2 (%bx, %by, %bz) {
    structured.for_loop (%i) {
    }
    // expected-error @+1 {{'structured.for_loop' op a kernel holds at most one for-loop}}
    structured.for_loop (%j) {
    }
  }
  return
}

//===----------------------------------------------------------------------===//
// structured.for_loop
//===----------------------------------------------------------------------===//

// -----

func.func @loop_outside_kernel() {
  // expected-error @+1 {{'structured.for_loop' op expects parent op 'structured.kernel'}}
  structured.for_loop (%i) {
  }
  return
}

// -----

func.func @loop_in_phase() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 2 (%bx, %by, %bz) {
    structured.phase (%t) {
      // expected-error @+1 {{'structured.for_loop' op expects parent op 'structured.kernel'}}
      structured.for_loop (%i) {
      }
    }
  }
  return
}

// -----

func.func @loop_ids() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 2 (%bx, %by, %bz) {
    // expected-error @+1 {{'structured.for_loop' op region must take the iteration (index)}}
    structured.for_loop (%i, %j) {
    }
  }
  return
}

//===----------------------------------------------------------------------===//
// structured.phase
//===----------------------------------------------------------------------===//

// -----

func.func @phase_outside_kernel() {
  // expected-error @+1 {{'structured.phase' op a phase must be inside a structured.kernel}}
  structured.phase (%t) {
  }
  return
}

// -----

func.func @nested_phases() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    structured.phase (%t) {
      // expected-error @+1 {{'structured.phase' op phases do not nest}}
      structured.phase (%u) {
      }
    }
  }
  return
}

// -----

func.func @phase_ids() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'structured.phase' op region must take the thread id (index)}}
    structured.phase () {
    }
  }
  return
}

// -----

func.func @alloc_in_phase() {
  structured.kernel "k" grid [1, 1, 1] block [4, 1, 1] forloop 1 (%bx, %by, %bz) {
    structured.phase (%t) {
      // expected-error @+1 {{'memref.alloc' op allocates inside a phase; kernel buffers are allocated at the start of the kernel}}
      %tmp = memref.alloc() : memref<4xf32>
    }
  }
  return
}

// -----

//===----------------------------------------------------------------------===//
// #structured.abi
//===----------------------------------------------------------------------===//

// expected-error @below {{argument 2 is 'memref<0xi8>', 'structured.abi' gives 'memref<64xi8>'}}
func.func @wrong_workspace(%x: memref<4xf32>, %y: memref<4xf32>,
                           %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> tensor<4xf32>, workspace = 64>} {
  return
}

// -----

// expected-error @below {{'structured.abi' gives 1 inputs, 1 results and the workspace: a function of 3 memref arguments and no results, not '(memref<4xf32>, memref<4xf32>) -> ()'}}
func.func @missing_workspace(%x: memref<4xf32>, %y: memref<4xf32>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> tensor<4xf32>, workspace = 0>} {
  return
}

// -----

// expected-error @below {{argument 1 is 'memref<4xf16>', 'structured.abi' gives 'memref<4xf32>'}}
func.func @wrong_element_type(%x: memref<4xf32>, %y: memref<4xf16>,
                              %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> tensor<4xf32>, workspace = 0>} {
  return
}

// -----

// expected-error @+2 {{the signature's 'tensor<?xf32>' is not a statically shaped tensor of f16, bf16 or f32}}
func.func @dynamic_argument(%x: memref<?xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<?xf32>) -> (), workspace = 0>} {
  return
}

// -----

// expected-error @+2 {{the signature's 'tensor<4xi32>' is not a statically shaped tensor of f16, bf16 or f32}}
func.func @integer_tensor(%x: memref<4xi32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xi32>) -> (), workspace = 0>} {
  return
}

// -----

// expected-error @+2 {{workspace must not be negative, got -1}}
func.func @negative_workspace(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = -1>} {
  return
}

// -----

// expected-error @+3 {{expected ','}}
func.func @incomplete_attribute(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> ()>} {
  return
}

// -----

// expected-error @below {{'structured.abi' must be a #structured.abi}}
func.func @dictionary(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = {num_inputs = 1 : i64}} {
  return
}

// -----

// expected-error @below {{unknown attribute 'structured.other' of the structured dialect}}
func.func @unknown(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.other = 1 : i64} {
  return
}

// -----

// expected-error @below {{'structured.abi' belongs on a function}}
module attributes {structured.abi = #structured.abi<() -> (), workspace = 0>} {
}
