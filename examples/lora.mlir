// Low-rank adaptation, the "LoRA (lora)" benchmark of the Mirage benchmark
// suite (docs/Benchmarks.md), fp16. Its shapes are fixed (the script
// ignores the batch size):
//
//   Y = X · W + (X · A) · B
//
//   X : 16x256
//   W : 256x4096
//   A : 256x16     (rank-16 adapter)
//   B : 16x4096
//   Y : 16x4096
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): x W has a standard deviation of 16 s^2/3
// = 1.3.
func.func @lora(%x: tensor<16x256xf16>, %w: tensor<256x4096xf16>,
                %a: tensor<256x16xf16>, %b: tensor<16x4096xf16>)
    -> tensor<16x4096xf16>
    attributes {mirage.input_scale = 0.5 : f64} {
  %xw = kernel.matmul %x, %w : tensor<16x256xf16>, tensor<256x4096xf16>
  %xa = kernel.matmul %x, %a : tensor<16x256xf16>, tensor<256x16xf16>
  %xab = kernel.matmul %xa, %b : tensor<16x16xf16>, tensor<16x4096xf16>
  %y = kernel.add %xw, %xab : tensor<16x4096xf16>, tensor<16x4096xf16>
  return %y : tensor<16x4096xf16>
}
