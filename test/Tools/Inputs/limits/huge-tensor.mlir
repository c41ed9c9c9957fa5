// 2^40 f32 elements, 4 TiB per tensor (8 TiB for the two): valid, but more
// than any tool here can allocate.
func.func @f(%x: tensor<1048576x1048576xf32>) -> tensor<1048576x1048576xf32> {
  %y = kernel.exp %x : tensor<1048576x1048576xf32>
  return %y : tensor<1048576x1048576xf32>
}
func.func @g(%x: tensor<1048576x1048576xf32>) -> tensor<1048576x1048576xf32> {
  %y = kernel.exp %x : tensor<1048576x1048576xf32>
  return %y : tensor<1048576x1048576xf32>
}
