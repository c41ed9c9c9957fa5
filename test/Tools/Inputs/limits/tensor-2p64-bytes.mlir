// 2^62 f32 elements, 2^64 bytes: --mirage-to-cpu accepted it.
func.func @f(%x: tensor<4611686018427387904xf32>) -> tensor<4611686018427387904xf32> {
  %y = kernel.exp %x : tensor<4611686018427387904xf32>
  return %y : tensor<4611686018427387904xf32>
}
