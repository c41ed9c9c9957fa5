// Gated MLP, the "GatedMLP (mlp)" benchmark of the Mirage benchmark suite
// (docs/Benchmarks.md), fp16. Its shapes are fixed (the script ignores
// the batch size):
//
//   Y = silu(X · W1) * (X · W2)        (* is the element-wise product)
//
//   X      : 8x4096
//   W1, W2 : 4096x4096
//   Y      : 8x4096
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): x W1 and x W2 have a standard deviation
// of 64 s^2/3 = 1.3.
func.func @gated_mlp(%x: tensor<8x4096xf16>, %w1: tensor<4096x4096xf16>,
                     %w2: tensor<4096x4096xf16>) -> tensor<8x4096xf16>
    attributes {mirage.input_scale = 0.25 : f64} {
  %gate = kernel.matmul %x, %w1 : tensor<8x4096xf16>, tensor<4096x4096xf16>
  %up = kernel.matmul %x, %w2 : tensor<8x4096xf16>, tensor<4096x4096xf16>
  %act = kernel.silu %gate : tensor<8x4096xf16>
  %y = kernel.mul %act, %up : tensor<8x4096xf16>, tensor<8x4096xf16>
  return %y : tensor<8x4096xf16>
}
