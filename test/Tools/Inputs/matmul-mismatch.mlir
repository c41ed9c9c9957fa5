// X has k = 4096 but W has k = 2048.
func.func @matmul_mismatch(%x: tensor<2x4096xf16>, %w: tensor<2048x6144xf16>)
    -> tensor<2x6144xf16> {
  %y = kernel.matmul %x, %w : tensor<2x4096xf16>, tensor<2048x6144xf16>
  return %y : tensor<2x6144xf16>
}
