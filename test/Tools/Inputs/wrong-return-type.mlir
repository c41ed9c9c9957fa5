// The function claims a 2x4096 result but the matmul yields 2x6144.
func.func @wrong_return_type(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x4096xf16> {
  %y = kernel.matmul %x, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
  return %y : tensor<2x6144xf16>
}
