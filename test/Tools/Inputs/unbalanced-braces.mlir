// The function body is never closed.
func.func @unbalanced(%x: tensor<4096xf16>) -> tensor<4096xf16> {
  %y = kernel.exp %x : tensor<4096xf16>
  return %y : tensor<4096xf16>
