// A mixed module, as --mirage-import and --mirage-outline leave one: a
// caller in upstream dialects, the region it calls (mirage.outlined), and a
// kernel-level function nobody calls.
func.func @model(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>) -> tensor<32x8xf32> {
  %0 = call @model_mirage_0(%x, %w) : (tensor<8x64xf32>, tensor<64x32xf32>) -> tensor<8x32xf32>
  %1 = tensor.empty() : tensor<32x8xf32>
  %t = linalg.transpose ins(%0 : tensor<8x32xf32>) outs(%1 : tensor<32x8xf32>) permutation = [1, 0]
  return %t : tensor<32x8xf32>
}
func.func private @model_mirage_0(%x: tensor<8x64xf32>, %w: tensor<64x32xf32>) -> tensor<8x32xf32> attributes {mirage.outlined} {
  %m = kernel.matmul %x, %w : tensor<8x64xf32>, tensor<64x32xf32>
  %s = kernel.exp %m : tensor<8x32xf32>
  return %s : tensor<8x32xf32>
}
func.func @standalone(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %e = kernel.exp %x : tensor<4x64xf32>
  return %e : tensor<4x64xf32>
}
