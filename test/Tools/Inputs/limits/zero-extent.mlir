// Zero extents that no verifier rule rejects (nothing divides by them at the
// kernel level), which the search and the interpreter must refuse cleanly:
// the search made grids of extent 0 from them and divided by them.
func.func @f(%x: tensor<0x64xf16>, %w: tensor<64x64xf16>) -> tensor<0x64xf16> {
  %y = kernel.matmul %x, %w : tensor<0x64xf16>, tensor<64x64xf16>
  %z = kernel.exp %y : tensor<0x64xf16>
  return %z : tensor<0x64xf16>
}
