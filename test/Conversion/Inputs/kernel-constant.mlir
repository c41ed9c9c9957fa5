// Programs with constants for the CPU runner and the PTX emulator: every
// kernel reads its constants as block.constant tiles (no load).

// RMSNorm written out with an epsilon, a scale and a reciprocal: x /
// sqrt(mean(x^2) + eps) * 0.5, and 1 / (x + 1).
func.func @norm(%x: tensor<8x64xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>) {
  %sq = kernel.square %x : tensor<8x64xf32>
  %ms = kernel.reduce_mean %sq dim 1 : tensor<8x64xf32>
  %eps = kernel.constant dense<1.0e-06> : tensor<1x1xf32>
  %a = kernel.add %ms, %eps : tensor<8x1xf32>, tensor<1x1xf32>
  %r = kernel.rsqrt %a : tensor<8x1xf32>
  %n = kernel.mul %x, %r : tensor<8x64xf32>, tensor<8x1xf32>
  %half = kernel.constant dense<0.5> : tensor<1x1xf32>
  %y = kernel.mul %n, %half : tensor<8x64xf32>, tensor<1x1xf32>
  %one = kernel.constant dense<1.0> : tensor<1x1xf32>
  %p = kernel.add %x, %one : tensor<8x64xf32>, tensor<1x1xf32>
  %q = kernel.div %one, %p : tensor<1x1xf32>, tensor<8x64xf32>
  return %y, %q : tensor<8x64xf32>, tensor<8x64xf32>
}

// f16: a constant of the full shape, one read twice, a matmul by a
// constant matrix (its tile is written into a buffer), and a constant
// returned as it is.
func.func @half(%x: tensor<16x32xf16>) -> (tensor<16x32xf16>, tensor<16x8xf16>, tensor<4x8xf16>) {
  %c = kernel.constant dense<-0.375> : tensor<16x32xf16>
  %s = kernel.sub %x, %c : tensor<16x32xf16>, tensor<16x32xf16>
  %t = kernel.mul %s, %c : tensor<16x32xf16>, tensor<16x32xf16>
  %w = kernel.constant dense<0.0625> : tensor<32x8xf16>
  %m = kernel.matmul %x, %w : tensor<16x32xf16>, tensor<32x8xf16>
  %k = kernel.constant dense<3.0> : tensor<4x8xf16>
  return %t, %m, %k : tensor<16x32xf16>, tensor<16x8xf16>, tensor<4x8xf16>
}

// A kernel whose only operand is a constant: it reads no input at all.
func.func @from_constants(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %c = kernel.constant dense<0.5> : tensor<4x8xf32>
  %e = kernel.exp %c : tensor<4x8xf32>
  %y = kernel.add %x, %e : tensor<4x8xf32>, tensor<4x8xf32>
  return %y, %e : tensor<4x8xf32>, tensor<4x8xf32>
}
