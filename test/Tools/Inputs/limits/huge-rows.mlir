// 9223372036854775807 rows: the byte count does not fit in 64 bits.
func.func @f(%x: tensor<9223372036854775807x1xf16>) -> tensor<9223372036854775807x1xf16> {
  %y = kernel.exp %x : tensor<9223372036854775807x1xf16>
  return %y : tensor<9223372036854775807x1xf16>
}
