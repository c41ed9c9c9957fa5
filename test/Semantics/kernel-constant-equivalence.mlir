// Equivalence with kernel.constant (docs/Semantics.md, "Constants and
// opaque functions"): a constant is a user constant, the same as
// mul_scalar's factor, so a product with a constant is mul_scalar by it;
// constants of other values, however close or congruent, are not
// equivalent; 0 is exact. Each case compares @ref with @alt.
// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=ref rhs=alt" %s -o /dev/null 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=ERR %s < %t.err
// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=ref rhs=alt mode=float" %s -o /dev/null 2>&1 | FileCheck --check-prefix=FLOAT %s

// mul(x, constant c) is mul_scalar(x, c), the constant of any shape that
// broadcasts.
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %c = kernel.constant dense<0.125> : tensor<1x1xf16>
  %y = kernel.mul %c, %x : tensor<1x1xf16>, tensor<4x64xf16>
  %d = kernel.constant dense<-3.0> : tensor<4x64xf16>
  %z = kernel.mul %y, %d : tensor<4x64xf16>, tensor<4x64xf16>
  return %z : tensor<4x64xf16>
}
func.func @alt(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %y = kernel.mul_scalar %x, 0.125 : tensor<4x64xf16>
  %z = kernel.mul_scalar %y, -3.0 : tensor<4x64xf16>
  return %z : tensor<4x64xf16>
}

// -----

// Another value: not equivalent.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref': output 0 differs at [
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %c = kernel.constant dense<0.5> : tensor<1x64xf32>
  %y = kernel.add %x, %c : tensor<4x64xf32>, tensor<1x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %c = kernel.constant dense<0.25> : tensor<1x64xf32>
  %y = kernel.add %x, %c : tensor<4x64xf32>, tensor<1x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// 1.9999909401144578 = 1 + pq / 2^41 is congruent to 1 under a fixed ring
// map Z[1/2] -> Z_p x Z_q: as a user constant its image is independent of
// 1's, so the two are not equivalent.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref': output 0 differs at [
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %c = kernel.constant dense<1.0> : tensor<1x1xf32>
  %y = kernel.add %x, %c : tensor<4x64xf32>, tensor<1x1xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %c = kernel.constant dense<1.9999909401144578> : tensor<1x1xf32>
  %y = kernel.add %x, %c : tensor<4x64xf32>, tensor<1x1xf32>
  return %y : tensor<4x64xf32>
}

// -----

// The same for a product: the congruent factor is not mul_scalar by 1.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref': output 0 differs at [
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.mul_scalar %x, 1.0 : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %c = kernel.constant dense<1.9999909401144578> : tensor<1x1xf32>
  %y = kernel.mul %x, %c : tensor<4x64xf32>, tensor<1x1xf32>
  return %y : tensor<4x64xf32>
}

// -----

// 0 is exact: x + 0 = x and x * 0 = 0 - x + x.
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>) {
  %z = kernel.constant dense<0.0> : tensor<1x1xf32>
  %y = kernel.add %x, %z : tensor<4x64xf32>, tensor<1x1xf32>
  %p = kernel.mul %x, %z : tensor<4x64xf32>, tensor<1x1xf32>
  return %y, %p : tensor<4x64xf32>, tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>) {
  %d = kernel.sub %x, %x : tensor<4x64xf32>, tensor<4x64xf32>
  return %x, %d : tensor<4x64xf32>, tensor<4x64xf32>
}

// -----

// x + 1 + 1 is x + 2 over the reals, but rests on the values of the
// constants (each is an unknown): not provable, and the float test agrees.
// CHECK: {{^}}not provable by fingerprints
// ERR: error: 'alt' is not provable by fingerprints to be equivalent to 'ref'
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %one = kernel.constant dense<1.0> : tensor<1x1xf32>
  %a = kernel.add %x, %one : tensor<4x64xf32>, tensor<1x1xf32>
  %b = kernel.add %a, %one : tensor<4x64xf32>, tensor<1x1xf32>
  return %b : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %two = kernel.constant dense<2.0> : tensor<1x1xf32>
  %y = kernel.add %x, %two : tensor<4x64xf32>, tensor<1x1xf32>
  return %y : tensor<4x64xf32>
}

// -----

// A constant output: the same constant is equivalent.
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %c = kernel.constant dense<0.1> : tensor<4x64xf16>
  %y = kernel.div %x, %c : tensor<4x64xf16>, tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}
func.func @alt(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %c = kernel.constant dense<0.1> : tensor<1x1xf16>
  %y = kernel.div %x, %c : tensor<4x64xf16>, tensor<1x1xf16>
  return %y : tensor<4x64xf16>
}
