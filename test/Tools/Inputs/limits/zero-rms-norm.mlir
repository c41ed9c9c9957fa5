// rms_norm over a zero extent divided by zero (SIGFPE in the interpreter).
func.func @f(%x: tensor<4x0xf16>) -> tensor<4x0xf16> {
  %y = kernel.rms_norm %x over [0] : tensor<4x0xf16>
  return %y : tensor<4x0xf16>
}
