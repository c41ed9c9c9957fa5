// A small valid function for the .npy reader cases.
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %y = kernel.exp %x : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
