// %w is used but never defined.
func.func @undefined_value(%x: tensor<2x4096xf16>) -> tensor<2x6144xf16> {
  %y = kernel.matmul %x, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
  return %y : tensor<2x6144xf16>
}
