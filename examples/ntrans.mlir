// The normalized-Transformer update, the "nTrans" benchmark of the Mirage
// benchmark suite (docs/Benchmarks.md), batch size b = 1, fp16:
//
//   Y = rms_norm(X + alpha * (rms_norm(H) + X))   (* is element-wise)
//
//   H, X, alpha : 8x4096   (8b x 4096), normalized over the last dimension
//   Y           : 8x4096
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): every output is normalized, so the scale
// only needs to keep H and X finite.
func.func @ntrans(%h: tensor<8x4096xf16>, %x: tensor<8x4096xf16>,
                  %alpha: tensor<8x4096xf16>) -> tensor<8x4096xf16>
    attributes {mirage.input_scale = 1.0 : f64} {
  %hn = kernel.rms_norm %h over [4096] : tensor<8x4096xf16>
  %sum = kernel.add %hn, %x : tensor<8x4096xf16>, tensor<8x4096xf16>
  %scaled = kernel.mul %alpha, %sum : tensor<8x4096xf16>, tensor<8x4096xf16>
  %res = kernel.add %x, %scaled : tensor<8x4096xf16>, tensor<8x4096xf16>
  %y = kernel.rms_norm %res over [4096] : tensor<8x4096xf16>
  return %y : tensor<8x4096xf16>
}
