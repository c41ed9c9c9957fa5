// examples/moe.mlir (the MoE benchmark, Y = exp(X · A) · B with the leading 8
// the expert dimension the matmuls batch over) with the hidden size cut from
// 4096 to 1024, for cpu-run-moe.test: at the real shape a CPU run takes some
// 45 s and 1.8 GB on 2 cores (half of it generating the 268M random weights),
// too long for the lit suite. The structure is the same: 8 experts batched on
// grid z, the for-loop over k, the exp kernel between the two matmuls.
//
//   X    : 8x8x1024     (8 experts x 8 tokens x 1024)
//   A, B : 8x1024x1024  (one 1024x1024 matrix per expert)
//   Y    : 8x8x1024
//
// Seeded random inputs are uniform in [-s, s) with s = mirage.input_scale
// (docs/Semantics.md, "Input scales"): X . A has a standard deviation of 32
// s^2/3 = 0.17.
func.func @moe(%x: tensor<8x8x1024xf16>, %a: tensor<8x1024x1024xf16>,
               %b: tensor<8x1024x1024xf16>) -> tensor<8x8x1024xf16>
    attributes {mirage.input_scale = 0.125 : f64} {
  %xa = kernel.matmul %x, %a : tensor<8x8x1024xf16>, tensor<8x1024x1024xf16>
  %e = kernel.exp %xa : tensor<8x8x1024xf16>
  %y = kernel.matmul %e, %b : tensor<8x8x1024xf16>, tensor<8x1024x1024xf16>
  return %y : tensor<8x8x1024xf16>
}
