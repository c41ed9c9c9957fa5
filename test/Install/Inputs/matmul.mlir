// A pre-defined kernel op that --mirage-default-schedules rewrites into a
// graph-defined kernel (the install test runs it through the installed
// package and plugin).
func.func @matmul(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16> {
  %y = kernel.matmul %x, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
  return %y : tensor<2x6144xf16>
}
