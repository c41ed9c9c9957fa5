// Clamp bounds in the wrong order.
func.func @bad_clamp(%x: tensor<4096xf16>) -> tensor<4096xf16> {
  %y = kernel.clamp %x min 6.0 max 0.0 : tensor<4096xf16>
  return %y : tensor<4096xf16>
}
