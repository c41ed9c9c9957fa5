// A negative reduction dimension.
func.func @bad_dim(%x: tensor<2x4096xf16>) -> tensor<2x1xf16> {
  %s = kernel.reduction %x dim -3 : tensor<2x4096xf16>
  return %s : tensor<2x1xf16>
}
