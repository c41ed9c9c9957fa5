// `alpha` is not an attribute of kernel.exp.
func.func @unknown_attribute(%x: tensor<4096xf16>) -> tensor<4096xf16> {
  %y = kernel.exp %x {alpha = 2.0 : f32} : tensor<4096xf16>
  return %y : tensor<4096xf16>
}
