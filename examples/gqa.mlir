// Group-query attention, the "GQA (attention)" benchmark of the Mirage
// benchmark suite (docs/Benchmarks.md), batch size b = 1, fp16:
//
//   S = exp(Q · K)
//   O = (S / sum_last(S)) · V          (softmax without max subtraction)
//
//   Q : 2x256x64   (2b x 256 x 64)
//   K : 2x64x4096  (2b x 64 x 4096), stored transposed
//   V : 2x4096x64  (2b x 4096 x 64)
//   O : 2x256x64
//
// sum_last is a reduction of dimension 2 to extent 1; the division broadcasts
// the 2x256x1 sums over the 4096 columns.
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): q . k has a standard deviation of 8
// s^2/3 = 0.67, so exp stays far below the f16 limit (65504 at 11.1) and the
// 4096-term sums below 65504.
func.func @gqa(%q: tensor<2x256x64xf16>, %k: tensor<2x64x4096xf16>,
               %v: tensor<2x4096x64xf16>) -> tensor<2x256x64xf16>
    attributes {mirage.input_scale = 0.5 : f64} {
  %qk = kernel.matmul %q, %k : tensor<2x256x64xf16>, tensor<2x64x4096xf16>
  %s = kernel.exp %qk : tensor<2x256x4096xf16>
  %sum = kernel.reduction %s dim 2 : tensor<2x256x4096xf16>
  %p = kernel.div %s, %sum : tensor<2x256x4096xf16>, tensor<2x256x1xf16>
  %o = kernel.matmul %p, %v : tensor<2x256x4096xf16>, tensor<2x4096x64xf16>
  return %o : tensor<2x256x64xf16>
}
