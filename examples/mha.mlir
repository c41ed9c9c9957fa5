// Multi-head attention, the "MHA (attention)" benchmark of the Mirage
// benchmark suite (docs/Benchmarks.md), batch size b = 1, fp16:
//
//   S = exp(Q · K)
//   O = (S / sum_last(S)) · V          (softmax without max subtraction)
//
//   Q : 32x16x64    (32b x 16 x 64)
//   K : 32x64x4096  (32b x 64 x 4096), stored transposed
//   V : 32x4096x64  (32b x 4096 x 64)
//   O : 32x16x64
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): q . k has a standard deviation of 8
// s^2/3 = 0.67, so exp stays far below the f16 limit (65504 at 11.1) and the
// 4096-term sums below 65504.
func.func @mha(%q: tensor<32x16x64xf16>, %k: tensor<32x64x4096xf16>,
               %v: tensor<32x4096x64xf16>) -> tensor<32x16x64xf16>
    attributes {mirage.input_scale = 0.5 : f64} {
  %qk = kernel.matmul %q, %k : tensor<32x16x64xf16>, tensor<32x64x4096xf16>
  %s = kernel.exp %qk : tensor<32x16x4096xf16>
  %sum = kernel.reduction %s dim 2 : tensor<32x16x4096xf16>
  %p = kernel.div %s, %sum : tensor<32x16x4096xf16>, tensor<32x16x1xf16>
  %o = kernel.matmul %p, %v : tensor<32x16x4096xf16>, tensor<32x4096x64xf16>
  return %o : tensor<32x16x64xf16>
}
