// A structured function whose kernel keeps a tile in f64, which the GPU
// mapping (and the bundle's dtypes) do not support.
func.func @bad_type(%x: memref<4xf32>, %y: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> tensor<4xf32>, workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "bad_type_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    %t = memref.alloca() : memref<4xf64, #gpu.address_space<workgroup>>
  }
  return
}
