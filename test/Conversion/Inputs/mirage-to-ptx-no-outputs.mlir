// Functions that --mirage-to-ptx refuses: no outputs.

// expected-error @below {{'func.func' op returns no tensor: a bundle needs at least one output}}
func.func @no_outputs(%x: tensor<16x64xf16>) {
  %y = kernel.exp %x : tensor<16x64xf16>
  return
}

// -----

// expected-error @below {{'func.func' op returns no tensor: a bundle needs at least one output}}
func.func @no_kernel_ops(%x: tensor<16x64xf16>) {
  return
}

// -----

// A structured function with no outputs.
// expected-error @below {{'func.func' op has no outputs (its structured.abi gives none): a bundle needs at least one output}}
func.func @structured(%x: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> (), workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "structured_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}
