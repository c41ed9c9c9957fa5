// A mistake the verifier catches (docs/Tutorial.md): W has 256 rows where
// the contraction needs 512.
func.func @rmsnorm_matmul(%x: tensor<8x512xf16>, %w: tensor<256x256xf16>)
    -> tensor<8x256xf16> {
  %normed = kernel.rms_norm %x over [512] : tensor<8x512xf16>
  %y = kernel.matmul %normed, %w : tensor<8x512xf16>, tensor<256x256xf16>
  return %y : tensor<8x256xf16>
}
