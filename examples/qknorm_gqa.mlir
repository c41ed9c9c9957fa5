// Group-query attention with QK normalization, the "QKNorm-GQA (attention)"
// benchmark of the Mirage benchmark suite (docs/Benchmarks.md), batch
// size b = 1, fp16:
//
//   Qn = rms_norm(Q) over the head dimension (64)
//   Vn = rms_norm(V) over the head dimension (64)
//   S  = exp(Qn · K)
//   O  = (S / sum_last(S)) · Vn
//
//   Q : 2x256x64   (2b x 256 x 64)
//   K : 2x64x4096  (2b x 64 x 4096), stored transposed
//   V : 2x4096x64  (2b x 4096 x 64)
//   O : 2x256x64
//
// As in the original benchmark, V is normalized rather than K: K is stored
// transposed, so its head dimension is not the trailing one.
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): the normalized q has entries of
// magnitude 1 whatever the scale, so Qn . K has a standard deviation of 8
// s/sqrt(3) = 1.2.
func.func @qknorm_gqa(%q: tensor<2x256x64xf16>, %k: tensor<2x64x4096xf16>,
                      %v: tensor<2x4096x64xf16>) -> tensor<2x256x64xf16>
    attributes {mirage.input_scale = 0.25 : f64} {
  %qn = kernel.rms_norm %q over [64] : tensor<2x256x64xf16>
  %vn = kernel.rms_norm %v over [64] : tensor<2x4096x64xf16>
  %qk = kernel.matmul %qn, %k : tensor<2x256x64xf16>, tensor<2x64x4096xf16>
  %s = kernel.exp %qk : tensor<2x256x4096xf16>
  %sum = kernel.reduction %s dim 2 : tensor<2x256x4096xf16>
  %p = kernel.div %s, %sum : tensor<2x256x4096xf16>, tensor<2x256x1xf16>
  %o = kernel.matmul %p, %vn : tensor<2x256x4096xf16>, tensor<2x4096x64xf16>
  return %o : tensor<2x256x64xf16>
}
