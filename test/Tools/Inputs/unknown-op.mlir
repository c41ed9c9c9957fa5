// The kernel dialect has no op called frobnicate.
func.func @unknown_op(%x: tensor<4096xf16>) -> tensor<4096xf16> {
  %y = kernel.frobnicate %x : tensor<4096xf16>
  return %y : tensor<4096xf16>
}
