// Fingerprints are sound for user constants and opaque functions, and every
// verdict is confirmed by a float test (docs/Semantics.md, "Constants and
// opaque functions", "What equivalent guarantees"). Each case compares @ref
// with @alt.
// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=ref rhs=alt" %s -o /dev/null 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=ERR %s < %t.err
// The cases judged not provable are true identities: the float mode alone
// accepts them.
// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=ref rhs=alt mode=float" %s -o /dev/null 2>&1 | FileCheck --check-prefix=FLOAT %s

// 1.9999909401144578 = 1 + pq / 2^41 has the image 1 under the ring map
// Z[1/2] -> Z_p x Z_q that used to model constants: it was judged
// equivalent to 1.0 with certainty.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref': output 0 differs at [
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.mul_scalar %x, 1.0 : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.mul_scalar %x, 1.9999909401144578 : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// A softmax temperature of 1.9999909401144578 where none (1) is right.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %e = kernel.exp %x : tensor<4x64xf16>
  %s = kernel.reduction %e dim 1 : tensor<4x64xf16>
  %p = kernel.div %e, %s : tensor<4x64xf16>, tensor<4x1xf16>
  return %p : tensor<4x64xf16>
}
func.func @alt(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %t = kernel.mul_scalar %x, 1.9999909401144578 : tensor<4x64xf16>
  %e = kernel.exp %t : tensor<4x64xf16>
  %s = kernel.reduction %e dim 1 : tensor<4x64xf16>
  %p = kernel.div %e, %s : tensor<4x64xf16>, tensor<4x1xf16>
  return %p : tensor<4x64xf16>
}

// -----

// gelu against x / (1 + e^-x + e^-2x) written out of exp, sub, add, mul and
// div (-x = (x - x) - x, 1 = e^(x - x)): the rational function that used to
// model gelu. At x = 1 the two are 0.841 and 0.665.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.gelu %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %zero = kernel.sub %x, %x : tensor<4x64xf32>, tensor<4x64xf32>
  %negx = kernel.sub %zero, %x : tensor<4x64xf32>, tensor<4x64xf32>
  %one = kernel.exp %zero : tensor<4x64xf32>
  %e = kernel.exp %negx : tensor<4x64xf32>
  %e2 = kernel.mul %e, %e : tensor<4x64xf32>, tensor<4x64xf32>
  %d1 = kernel.add %one, %e : tensor<4x64xf32>, tensor<4x64xf32>
  %d = kernel.add %d1, %e2 : tensor<4x64xf32>, tensor<4x64xf32>
  %y = kernel.div %x, %d : tensor<4x64xf32>, tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// 2 relu(z / 2) = relu(z) is true, but relu is a random function of the
// fingerprint and 0.5 and 2.0 are random constants: not provable.
// CHECK: {{^}}not provable by fingerprints: output 0 differs at [{{.*}}]; a float test agrees{{$}}
// ERR: error: 'alt' is not provable by fingerprints to be equivalent to 'ref': the fingerprints differ (output 0 differs at [{{.*}}]) but a float test agrees within tolerance (largest error {{.*}} at input scale 1)
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%z: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %y = kernel.relu %z : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}
func.func @alt(%z: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %h = kernel.mul_scalar %z, 0.5 : tensor<4x64xf16>
  %r = kernel.relu %h : tensor<4x64xf16>
  %y = kernel.mul_scalar %r, 2.0 : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}

// -----

// sqrt(m)^2 = m for a mean square m (m >= 0); sqrt is a random function.
// CHECK: {{^}}not provable by fingerprints: output 0 differs at [
// ERR: error: 'alt' is not provable by fingerprints to be equivalent to 'ref'
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %sq = kernel.square %x : tensor<4x64xf32>
  %s = kernel.reduction %sq dim 1 : tensor<4x64xf32>
  %m = kernel.mul_scalar %s, 0.015625 : tensor<4x1xf32>
  return %m : tensor<4x1xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %sq = kernel.square %x : tensor<4x64xf32>
  %s = kernel.reduction %sq dim 1 : tensor<4x64xf32>
  %m = kernel.mul_scalar %s, 0.015625 : tensor<4x1xf32>
  %r = kernel.sqrt %m : tensor<4x1xf32>
  %y = kernel.square %r : tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

// x * 2.0 = x + x: 2.0 is a user constant, drawn at random per test.
// CHECK: {{^}}not provable by fingerprints: output 0 differs at [
// ERR: error: 'alt' is not provable by fingerprints to be equivalent to 'ref'
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xbf16>) -> tensor<4x64xbf16> {
  %y = kernel.add %x, %x : tensor<4x64xbf16>, tensor<4x64xbf16>
  return %y : tensor<4x64xbf16>
}
func.func @alt(%x: tensor<4x64xbf16>) -> tensor<4x64xbf16> {
  %y = kernel.mul_scalar %x, 2.0 : tensor<4x64xbf16>
  return %y : tensor<4x64xbf16>
}

// -----

// A float-confirmation failure: (x + s) - s = x exactly, and the
// fingerprints agree, but s = (a b)^4 is so large in f16 that x is lost
// (at input scale 1 it overflows, so the test halves the inputs first).
// CHECK: {{^}}not equivalent: the fingerprints agree but a float test differs: output 0 differs at [{{.*}}] ({{.*}} vs {{.*}}, tolerance 1.00e-02 relative to |rhs| + rms(rhs), input scale 0.5)
// ERR: error: 'alt' is not confirmed equivalent to 'ref': the fingerprints agree but a float test differs: output 0 differs at [
// The float mode alone does not halve its inputs: at scale 1, where @ref
// overflows, the comparison would check nothing, and that is an error.
// FLOAT: error: cannot compare 'ref' and 'alt': the float comparison is unusable at input scale 1.00: in a result of 'ref', {{[0-9]+}} of 16 expected values are not finite
func.func @ref(%x: tensor<4x4xf16>, %a: tensor<4x1024xf16>,
               %b: tensor<1024x4xf16>) -> tensor<4x4xf16> {
  %s = kernel.matmul %a, %b : tensor<4x1024xf16>, tensor<1024x4xf16>
  %s2 = kernel.mul %s, %s : tensor<4x4xf16>, tensor<4x4xf16>
  %s4 = kernel.mul %s2, %s2 : tensor<4x4xf16>, tensor<4x4xf16>
  %z = kernel.sub %s4, %s4 : tensor<4x4xf16>, tensor<4x4xf16>
  %y = kernel.sub %x, %z : tensor<4x4xf16>, tensor<4x4xf16>
  return %y : tensor<4x4xf16>
}
func.func @alt(%x: tensor<4x4xf16>, %a: tensor<4x1024xf16>,
               %b: tensor<1024x4xf16>) -> tensor<4x4xf16> {
  %s = kernel.matmul %a, %b : tensor<4x1024xf16>, tensor<1024x4xf16>
  %s2 = kernel.mul %s, %s : tensor<4x4xf16>, tensor<4x4xf16>
  %s4 = kernel.mul %s2, %s2 : tensor<4x4xf16>, tensor<4x4xf16>
  %t = kernel.add %x, %s4 : tensor<4x4xf16>, tensor<4x4xf16>
  %y = kernel.sub %t, %s4 : tensor<4x4xf16>, tensor<4x4xf16>
  return %y : tensor<4x4xf16>
}

// -----

// Equal programs with opaque functions and constants stay equivalent: the
// same constant and function get the same random image in both, and relu
// is clamp to [0, +inf].
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %g = kernel.gelu %x : tensor<4x64xf16>
  %r = kernel.relu %g : tensor<4x64xf16>
  %y = kernel.mul_scalar %r, 0.125 : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}
func.func @alt(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %g = kernel.gelu %x : tensor<4x64xf16>
  %r = kernel.clamp %g min 0.0 max 0x7FF0000000000000 : tensor<4x64xf16>
  %y = kernel.mul_scalar %r, 0.125 : tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}
