// A structured function whose kernel keeps a tile in f64, which the GPU
// mapping (and the bundle's dtypes) do not support.
func.func @bad_type(%x: memref<4xf32>, %y: memref<4xf32>, %ws: memref<0xi8>)
    attributes {mirage.structured = {num_inputs = 1 : i64, num_outputs = 1 : i64,
                                     workspace_bytes = 0 : i64,
                                     signature = "(tensor<4xf32>) -> tensor<4xf32>"}} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%bx, %by, %bz) = (%c0, %c0, %c0) to (%c1, %c1, %c1) step (%c1, %c1, %c1) {
    %t = memref.alloca() {mirage.memory = "workgroup"} : memref<4xf64>
    scf.reduce
  } {mirage.kernel = {name = "bad_type_kernel0", block = array<i64: 32, 1, 1>, forloop = 1 : i64}}
  return
}
