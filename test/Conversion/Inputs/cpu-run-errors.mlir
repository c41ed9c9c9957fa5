// Functions mirage-cpu-runner must refuse with a clear error
// (cpu-run-errors.test).
func.func @scale(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %y = kernel.mul_scalar %x, 2.0 : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}

// The same type as @scale, another function: a failed comparison.
func.func @scale_wrong(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %y = kernel.mul_scalar %x, 3.0 : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}

func.func @other_type(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.mul_scalar %x, 2.0 : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

func.func private @declaration(%x: tensor<4x64xf16>) -> tensor<4x64xf16>

func.func @two_batch_dims(%a: tensor<2x2x4x4xf16>, %b: tensor<2x2x4x4xf16>)
    -> tensor<2x2x4x4xf16> {
  %c = kernel.matmul %a, %b : tensor<2x2x4x4xf16>, tensor<2x2x4x4xf16>
  return %c : tensor<2x2x4x4xf16>
}

func.func @not_a_ugraph(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = arith.addf %x, %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// A scale for the seeded inputs that is not a positive finite float.
func.func @bad_scale(%x: tensor<4x64xf16>) -> tensor<4x64xf16>
    attributes {mirage.input_scale = -1.0 : f64} {
  %y = kernel.mul_scalar %x, 2.0 : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}

func.func @string_scale(%x: tensor<4x64xf16>) -> tensor<4x64xf16>
    attributes {mirage.input_scale = "big"} {
  %y = kernel.mul_scalar %x, 2.0 : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}
