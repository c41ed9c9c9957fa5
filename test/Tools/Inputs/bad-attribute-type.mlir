// The reduction dimension must be an integer.
func.func @bad_attribute_type(%x: tensor<2x4096xf16>) -> tensor<2x1xf16> {
  %s = kernel.reduction %x dim 1.5 : tensor<2x4096xf16>
  return %s : tensor<2x1xf16>
}
