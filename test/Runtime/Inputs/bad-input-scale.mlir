// A scale for the seeded inputs that is not a positive finite float
// (input-scale.mlir).
func.func @bad(%a: tensor<2x3xf16>) -> tensor<2x3xf16>
    attributes {mirage.input_scale = 0.0 : f64} {
  %x = kernel.mul_scalar %a, 1.0 : tensor<2x3xf16>
  return %x : tensor<2x3xf16>
}
