// The hand-written gated MLP of examples/linalg/gated_mlp.mlir at its shape,
// the body of a module whose closing brace follows (test/Examples/linalg.test).
  func.func @reference(%x: tensor<8x256xf16>, %w1: tensor<256x512xf16>, %w3: tensor<256x512xf16>) -> tensor<8x512xf16> {
    %u = kernel.matmul %x, %w3 : tensor<8x256xf16>, tensor<256x512xf16>
    %g = kernel.matmul %x, %w1 : tensor<8x256xf16>, tensor<256x512xf16>
    %s = kernel.silu %g : tensor<8x512xf16>
    %y = kernel.mul %u, %s : tensor<8x512xf16>, tensor<8x512xf16>
    return %y : tensor<8x512xf16>
  }
}
