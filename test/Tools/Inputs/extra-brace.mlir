// One closing brace too many.
func.func @extra(%x: tensor<4096xf16>) -> tensor<4096xf16> {
  %y = kernel.exp %x : tensor<4096xf16>
  return %y : tensor<4096xf16>
}
}
