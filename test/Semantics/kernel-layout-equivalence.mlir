// Equivalence with the layout ops (docs/Semantics.md, "Layout ops"): a
// transpose, reshape or broadcast is a re-indexing, exact in the
// fingerprints, so identities of layout are proved equivalent and a matmul
// with a transposed operand is told apart from one without.
// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=ref rhs=alt" %s -o /dev/null 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=ERR %s < %t.err

// transpose(transpose(x)) == x, with a 3-cycle and its inverse.
// CHECK: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<2x3x4xf16>) -> tensor<2x3x4xf16> {
  return %x : tensor<2x3x4xf16>
}
func.func @alt(%x: tensor<2x3x4xf16>) -> tensor<2x3x4xf16> {
  %t = kernel.transpose %x permutation [1, 2, 0] : tensor<2x3x4xf16>
  %u = kernel.transpose %t permutation [2, 0, 1] : tensor<3x4x2xf16>
  return %u : tensor<2x3x4xf16>
}

// -----

// Applying the 3-cycle twice is not the identity.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
func.func @ref(%x: tensor<4x4x4xf16>) -> tensor<4x4x4xf16> {
  return %x : tensor<4x4x4xf16>
}
func.func @alt(%x: tensor<4x4x4xf16>) -> tensor<4x4x4xf16> {
  %t = kernel.transpose %x permutation [1, 2, 0] : tensor<4x4x4xf16>
  %u = kernel.transpose %t permutation [1, 2, 0] : tensor<4x4x4xf16>
  return %u : tensor<4x4x4xf16>
}

// -----

// A x B^T against A x B with B given as it is (square, so the signatures
// agree): different functions.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
func.func @ref(%a: tensor<16x64xf16>, %b: tensor<64x64xf16>)
    -> tensor<16x64xf16> {
  %bt = kernel.transpose %b permutation [1, 0] : tensor<64x64xf16>
  %y = kernel.matmul %a, %bt : tensor<16x64xf16>, tensor<64x64xf16>
  return %y : tensor<16x64xf16>
}
func.func @alt(%a: tensor<16x64xf16>, %b: tensor<64x64xf16>)
    -> tensor<16x64xf16> {
  %y = kernel.matmul %a, %b : tensor<16x64xf16>, tensor<64x64xf16>
  return %y : tensor<16x64xf16>
}

// -----

// A x B^T == (B x A^T)^T.
// CHECK: {{^}}equivalent{{$}}
func.func @ref(%a: tensor<16x64xf32>, %b: tensor<32x64xf32>)
    -> tensor<16x32xf32> {
  %bt = kernel.transpose %b permutation [1, 0] : tensor<32x64xf32>
  %y = kernel.matmul %a, %bt : tensor<16x64xf32>, tensor<64x32xf32>
  return %y : tensor<16x32xf32>
}
func.func @alt(%a: tensor<16x64xf32>, %b: tensor<32x64xf32>)
    -> tensor<16x32xf32> {
  %at = kernel.transpose %a permutation [1, 0] : tensor<16x64xf32>
  %p = kernel.matmul %b, %at : tensor<32x64xf32>, tensor<64x16xf32>
  %y = kernel.transpose %p permutation [1, 0] : tensor<32x16xf32>
  return %y : tensor<16x32xf32>
}

// -----

// A reshape there and back, and a broadcast summed away along its new dim
// against the input added to itself four times.
// CHECK: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<2x64xf32>) -> (tensor<2x64xf32>, tensor<1x2x64xf32>) {
  %r = kernel.reshape %x : tensor<2x64xf32> -> tensor<2x4x16xf32>
  %s = kernel.reshape %r : tensor<2x4x16xf32> -> tensor<2x64xf32>
  %b = kernel.broadcast %x dimensions [0] : tensor<2x64xf32> -> tensor<4x2x64xf32>
  %t = kernel.reduction %b dim 0 : tensor<4x2x64xf32>
  return %s, %t : tensor<2x64xf32>, tensor<1x2x64xf32>
}
func.func @alt(%x: tensor<2x64xf32>) -> (tensor<2x64xf32>, tensor<1x2x64xf32>) {
  %d = kernel.add %x, %x : tensor<2x64xf32>, tensor<2x64xf32>
  %m = kernel.add %d, %d : tensor<2x64xf32>, tensor<2x64xf32>
  %e = kernel.reshape %m : tensor<2x64xf32> -> tensor<1x2x64xf32>
  return %x, %e : tensor<2x64xf32>, tensor<1x2x64xf32>
}

// -----

// A reshape is not a transpose: [2, 3] read as [3, 2] differs from its
// transpose.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
func.func @ref(%x: tensor<2x3xf16>) -> tensor<3x2xf16> {
  %y = kernel.transpose %x permutation [1, 0] : tensor<2x3xf16>
  return %y : tensor<3x2xf16>
}
func.func @alt(%x: tensor<2x3xf16>) -> tensor<3x2xf16> {
  %y = kernel.reshape %x : tensor<2x3xf16> -> tensor<3x2xf16>
  return %y : tensor<3x2xf16>
}
