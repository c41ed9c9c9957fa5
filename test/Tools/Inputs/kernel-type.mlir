// The kernel dialect defines no types: its tensors are builtin tensors.
func.func @kernel_type(%x: !kernel.tensor<64x64xf16>) {
  return
}
