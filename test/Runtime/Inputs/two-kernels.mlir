// Two kernels: a bundle whose manifest can lose or repeat one.
func.func @two_kernels(%x: tensor<16x64xf16>, %w: tensor<64x64xf16>) -> tensor<16x64xf16> {
  %e = kernel.exp %x : tensor<16x64xf16>
  %y = kernel.matmul %e, %w : tensor<16x64xf16>, tensor<64x64xf16>
  return %y : tensor<16x64xf16>
}
