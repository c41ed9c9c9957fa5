// %y is defined twice.
func.func @duplicate_ssa(%x: tensor<4096xf16>) -> tensor<4096xf16> {
  %y = kernel.exp %x : tensor<4096xf16>
  %y = kernel.relu %x : tensor<4096xf16>
  return %y : tensor<4096xf16>
}
