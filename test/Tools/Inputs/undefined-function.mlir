// The callee @rms_norm_kernel does not exist in the module.
func.func @undefined_function(%x: tensor<2x4096xf16>) -> tensor<2x4096xf16> {
  %y = func.call @rms_norm_kernel(%x) : (tensor<2x4096xf16>) -> tensor<2x4096xf16>
  return %y : tensor<2x4096xf16>
}
