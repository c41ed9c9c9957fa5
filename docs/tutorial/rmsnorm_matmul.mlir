// The tutorial's program (docs/Tutorial.md): RMSNorm followed by MatMul at a
// small shape, Y = rms_norm(X) · W with X 8x512 and W 512x256 in fp16.
// Random inputs are uniform in [-1/16, 1/16) (mirage.input_scale).
func.func @rmsnorm_matmul(%x: tensor<8x512xf16>, %w: tensor<512x256xf16>)
    -> tensor<8x256xf16>
    attributes {mirage.input_scale = 0.0625 : f64} {
  %normed = kernel.rms_norm %x over [512] : tensor<8x512xf16>
  %y = kernel.matmul %normed, %w : tensor<8x512xf16>, tensor<512x256xf16>
  return %y : tensor<8x256xf16>
}
