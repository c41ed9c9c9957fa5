// Cut off in the middle of an op: the file ends inside a type.
func.func @truncated(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16> {
  %y = kernel.matmul %x, %w : tensor<2x4096xf16>, tensor<40