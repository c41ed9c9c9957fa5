// Equivalence with neg, sigmoid, erf and cast (docs/Semantics.md, the
// fingerprint table): true identities that the fingerprint models exactly are
// equivalent, near misses are not, and identities that rest on erf's values
// or on constants are not provable. Each case compares @ref with @alt.
// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=ref rhs=alt" %s -o /dev/null 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=ERR %s < %t.err
// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=ref rhs=alt mode=float" %s -o /dev/null 2>&1 | FileCheck --check-prefix=FLOAT %s

// sigmoid(x) = 1 / (1 + e^-x), written out of exp, sub, add and div
// (1 = e^(x - x), -x = (x - x) - x): sigmoid is modelled as exactly that
// rational function of exp, and it is that function.
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.sigmoid %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %zero = kernel.sub %x, %x : tensor<4x64xf32>, tensor<4x64xf32>
  %negx = kernel.sub %zero, %x : tensor<4x64xf32>, tensor<4x64xf32>
  %one = kernel.exp %zero : tensor<4x64xf32>
  %e = kernel.exp %negx : tensor<4x64xf32>
  %d = kernel.add %one, %e : tensor<4x64xf32>, tensor<4x64xf32>
  %y = kernel.div %one, %d : tensor<4x64xf32>, tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// A near miss: 1 / (1 + e^-x + e^-2x) is not sigmoid (0.576 against 0.731
// at x = 1).
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.sigmoid %x : tensor<4x64xf32>
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
  %y = kernel.div %one, %d : tensor<4x64xf32>, tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// silu(x) = x * sigmoid(x).
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.silu %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %s = kernel.sigmoid %x : tensor<4x64xf32>
  %y = kernel.mul %x, %s : tensor<4x64xf32>, tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// erf is opaque: tanh, a rational function of exp close to it in shape, is
// not erf (0.762 against 0.843 at x = 1).
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.erf %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.tanh %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// erf(x) = 2 gelu(c x) / (c x) - 1 with c = sqrt(2) is true, but gelu and
// erf are independent random functions and c, 2 are constants: not provable.
// (-1 is e^0 - 2 e^0; x = 0 never occurs among the random inputs.)
// CHECK: {{^}}not provable by fingerprints: output 0 differs at [{{.*}}]; a float test agrees{{$}}
// ERR: error: 'alt' is not provable by fingerprints to be equivalent to 'ref'
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.erf %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %cx = kernel.mul_scalar %x, 1.4142135623730951 : tensor<4x64xf32>
  %g = kernel.gelu %cx : tensor<4x64xf32>
  %q = kernel.div %g, %cx : tensor<4x64xf32>, tensor<4x64xf32>
  %t = kernel.mul_scalar %q, 2.0 : tensor<4x64xf32>
  %zero = kernel.sub %x, %x : tensor<4x64xf32>, tensor<4x64xf32>
  %one = kernel.exp %zero : tensor<4x64xf32>
  %y = kernel.sub %t, %one : tensor<4x64xf32>, tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// a - b = a + neg(b), and neg(neg(a)) = a.
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%a: tensor<4x64xf16>, %b: tensor<4x1xf16>) -> tensor<4x64xf16> {
  %y = kernel.sub %a, %b : tensor<4x64xf16>, tensor<4x1xf16>
  return %y : tensor<4x64xf16>
}
func.func @alt(%a: tensor<4x64xf16>, %b: tensor<4x1xf16>) -> tensor<4x64xf16> {
  %n = kernel.neg %b : tensor<4x1xf16>
  %na = kernel.neg %a : tensor<4x64xf16>
  %a2 = kernel.neg %na : tensor<4x64xf16>
  %y = kernel.add %a2, %n : tensor<4x64xf16>, tensor<4x1xf16>
  return %y : tensor<4x64xf16>
}

// -----

// A near miss: b - a is not a - b.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%a: tensor<4x64xf16>, %b: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %y = kernel.sub %a, %b : tensor<4x64xf16>, tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}
func.func @alt(%a: tensor<4x64xf16>, %b: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %y = kernel.sub %b, %a : tensor<4x64xf16>, tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}

// -----

// neg(x) = x * -1 is true, but -1 in mul_scalar is a user constant: not
// provable.
// CHECK: {{^}}not provable by fingerprints: output 0 differs at [{{.*}}]; a float test agrees{{$}}
// ERR: error: 'alt' is not provable by fingerprints to be equivalent to 'ref'
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xbf16>) -> tensor<4x64xbf16> {
  %y = kernel.neg %x : tensor<4x64xbf16>
  return %y : tensor<4x64xbf16>
}
func.func @alt(%x: tensor<4x64xbf16>) -> tensor<4x64xbf16> {
  %y = kernel.mul_scalar %x, -1.0 : tensor<4x64xbf16>
  return %y : tensor<4x64xbf16>
}

// -----

// A cast to f32 and back to f16 is the identity on f16 values.
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  return %x : tensor<4x64xf16>
}
func.func @alt(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %w = kernel.cast %x : tensor<4x64xf16> to tensor<4x64xf32>
  %y = kernel.cast %w : tensor<4x64xf32> to tensor<4x64xf16>
  return %y : tensor<4x64xf16>
}

// -----

// Through bf16 an f32 value loses all but 8 bits of its significand: the
// fingerprints do not see rounding and agree, the float test does not.
// CHECK: {{^}}not equivalent: the fingerprints agree but a float test differs: output 0 differs at [
// ERR: error: 'alt' is not confirmed equivalent to 'ref': the fingerprints agree but a float test differs
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %y = kernel.exp %x : tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %e = kernel.exp %x : tensor<4x64xf32>
  %h = kernel.cast %e : tensor<4x64xf32> to tensor<4x64xbf16>
  %y = kernel.cast %h : tensor<4x64xbf16> to tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// The stable softmax, exp(x - max) / sum(exp(x - max)), is the softmax.
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %e = kernel.exp %x : tensor<4x64xf32>
  %s = kernel.reduction %e dim 1 : tensor<4x64xf32>
  %p = kernel.div %e, %s : tensor<4x64xf32>, tensor<4x1xf32>
  return %p : tensor<4x64xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %m = kernel.reduce_max %x dim 1 : tensor<4x64xf32>
  %d = kernel.sub %x, %m : tensor<4x64xf32>, tensor<4x1xf32>
  %e = kernel.exp %d : tensor<4x64xf32>
  %s = kernel.reduction %e dim 1 : tensor<4x64xf32>
  %p = kernel.div %e, %s : tensor<4x64xf32>, tensor<4x1xf32>
  return %p : tensor<4x64xf32>
}

// -----

// reduce_mean is the mean accumulator over a for-loop along the last
// dimension (its default schedule).
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %m = kernel.reduce_mean %x dim 1 : tensor<4x64xf32>
  return %m : tensor<4x1xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 4
      : (tensor<4x64xf32>) -> tensor<4x1xf32> {
  ^bb0(%xd: tensor<4x64xf32>):
    %t = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<4x64xf32> -> !block.tile<4x16xf32, pre>
    %a = block.accum mean %t
        : !block.tile<4x16xf32, pre> -> !block.tile<4x1xf32, post>
    %s = block.saver %a omap [-1, -1, -1]
        : !block.tile<4x1xf32, post> -> tensor<4x1xf32>
    block.yield %s : tensor<4x1xf32>
  }
  return %y : tensor<4x1xf32>
}

// -----

// reduce_max along the first dimension is the max accumulator over a
// for-loop that walks it (its default schedule).
// CHECK: {{^}}equivalent{{$}}
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<8x64xf16>) -> tensor<1x64xf16> {
  %m = kernel.reduce_max %x dim 0 : tensor<8x64xf16>
  return %m : tensor<1x64xf16>
}
func.func @alt(%x: tensor<8x64xf16>) -> tensor<1x64xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 8
      : (tensor<8x64xf16>) -> tensor<1x64xf16> {
  ^bb0(%xd: tensor<8x64xf16>):
    %t = block.loader %xd imap [1, -1, -1] fmap 0
        : tensor<8x64xf16> -> !block.tile<1x32xf16, pre>
    %a = block.accum max %t
        : !block.tile<1x32xf16, pre> -> !block.tile<1x32xf16, post>
    %s = block.saver %a omap [1, -1, -1]
        : !block.tile<1x32xf16, post> -> tensor<1x64xf16>
    block.yield %s : tensor<1x64xf16>
  }
  return %y : tensor<1x64xf16>
}

// -----

// A near miss: the maximum is not the mean.
// CHECK: {{^}}not equivalent: output 0 differs at [
// ERR: error: 'alt' is not equivalent to 'ref'
// FLOAT: {{^}}not equivalent: output 0 differs at [
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %m = kernel.reduce_max %x dim 1 : tensor<4x64xf32>
  return %m : tensor<4x1xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %m = kernel.reduce_mean %x dim 1 : tensor<4x64xf32>
  return %m : tensor<4x1xf32>
}

// -----

// mean = sum * (1/64) is true, but 1/64 in mul_scalar is a user constant,
// while reduce_mean divides by its exact count: not provable.
// CHECK: {{^}}not provable by fingerprints: output 0 differs at [{{.*}}]; a float test agrees{{$}}
// ERR: error: 'alt' is not provable by fingerprints to be equivalent to 'ref'
// FLOAT: {{^}}equivalent{{$}}
func.func @ref(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %m = kernel.reduce_mean %x dim 1 : tensor<4x64xf32>
  return %m : tensor<4x1xf32>
}
func.func @alt(%x: tensor<4x64xf32>) -> tensor<4x1xf32> {
  %s = kernel.reduction %x dim 1 : tensor<4x64xf32>
  %m = kernel.mul_scalar %s, 0.015625 : tensor<4x1xf32>
  return %m : tensor<4x1xf32>
}
