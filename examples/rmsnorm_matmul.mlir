// RMSNorm followed by MatMul, the "RMSNorm (mlp)" benchmark of the Mirage
// benchmark suite (docs/Benchmarks.md), batch size b = 1, fp16:
//
//   Y = rms_norm(X) · W
//
//   X : 2x4096     (2b x 4096), normalized over its last dimension
//   W : 4096x6144
//   Y : 2x6144
//
// The benchmark script builds its PyTorch W as 4096x4096, which does not
// match Mirage's μGraph; this program follows the μGraph's 4096x6144.
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): the normalized x has entries of
// magnitude 1, so the outputs have a standard deviation of 64 s/sqrt(3) = 1.2.
func.func @rmsnorm_matmul(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16>
    attributes {mirage.input_scale = 0.03125 : f64} {
  %normed = kernel.rms_norm %x over [4096] : tensor<2x4096xf16>
  %y = kernel.matmul %normed, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
  return %y : tensor<2x6144xf16>
}
