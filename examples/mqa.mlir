// Multi-query attention, the "MQA (attention)" benchmark of the Mirage
// benchmark suite (docs/Benchmarks.md), batch size b = 1, fp16:
//
//   S = exp(Q · K)
//   O = (S / sum_last(S)) · V          (softmax without max subtraction)
//
//   Q : 1x1024x64  (b x 1024 x 64)
//   K : 1x64x4096  (b x 64 x 4096), stored transposed
//   V : 1x4096x64  (b x 4096 x 64)
//   O : 1x1024x64
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): q . k has a standard deviation of 8
// s^2/3 = 0.67, so exp stays far below the f16 limit (65504 at 11.1) and the
// 4096-term sums below 65504.
func.func @mqa(%q: tensor<1x1024x64xf16>, %k: tensor<1x64x4096xf16>,
               %v: tensor<1x4096x64xf16>) -> tensor<1x1024x64xf16>
    attributes {mirage.input_scale = 0.5 : f64} {
  %qk = kernel.matmul %q, %k : tensor<1x1024x64xf16>, tensor<1x64x4096xf16>
  %s = kernel.exp %qk : tensor<1x1024x4096xf16>
  %sum = kernel.reduction %s dim 2 : tensor<1x1024x4096xf16>
  %p = kernel.div %s, %sum : tensor<1x1024x4096xf16>, tensor<1x1024x1xf16>
  %o = kernel.matmul %p, %v : tensor<1x1024x4096xf16>, tensor<1x4096x64xf16>
  return %o : tensor<1x1024x64xf16>
}
