// examples/moe.mlir at a quarter of its hidden sizes (4096 -> 1024), for
// test/Semantics/accumulation-error.test: at the real shape the float
// interpreter takes about a minute. The default schedule still loops over
// k (16 iterations of 64 per matmul).
func.func @moe(%x: tensor<8x8x1024xf16>, %a: tensor<8x1024x1024xf16>,
               %b: tensor<8x1024x1024xf16>) -> tensor<8x8x1024xf16> {
  %xa = kernel.matmul %x, %a : tensor<8x8x1024xf16>, tensor<8x1024x1024xf16>
  %e = kernel.exp %xa : tensor<8x8x1024xf16>
  %y = kernel.matmul %e, %b : tensor<8x8x1024xf16>, tensor<8x1024x1024xf16>
  return %y : tensor<8x8x1024xf16>
}
