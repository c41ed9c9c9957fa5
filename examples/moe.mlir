// Mixture of experts, the "MoE" benchmark of the Mirage benchmark suite
// (docs/Benchmarks.md), fp16. Its shapes are fixed; the leading 8 is the
// expert dimension, which the matmuls batch over:
//
//   Y = exp(X · A) · B
//
//   X    : 8x8x4096     (8 experts x 8 tokens x 4096)
//   A, B : 8x4096x4096  (one 4096x4096 matrix per expert)
//   Y    : 8x8x4096
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): X . A has a standard deviation of 64
// s^2/3 = 0.33, so exp(X . A) stays near 1 and Y below about 30.
func.func @moe(%x: tensor<8x8x4096xf16>, %a: tensor<8x4096x4096xf16>,
               %b: tensor<8x4096x4096xf16>) -> tensor<8x8x4096xf16>
    attributes {mirage.input_scale = 0.125 : f64} {
  %xa = kernel.matmul %x, %a : tensor<8x8x4096xf16>, tensor<8x4096x4096xf16>
  %e = kernel.exp %xa : tensor<8x8x4096xf16>
  %y = kernel.matmul %e, %b : tensor<8x8x4096xf16>, tensor<8x4096x4096xf16>
  return %y : tensor<8x8x4096xf16>
}
