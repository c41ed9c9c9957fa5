// Programs with neg, sigmoid, erf, cast, sub and tanh, for the CPU runner
// (kernel-eltops-cpu.test) and the PTX emulator
// (test/Emulator/kernel-eltops.test).

// A gated activation: widened to f32 and computed there (an f32 result of an
// f16 computation would carry f16's error, which the f32 tolerance of the
// comparison does not allow), narrowed back to f16, and the f16 sigmoid.
func.func @gate(%x: tensor<8x64xf16>, %b: tensor<1x64xf16>)
    -> (tensor<8x64xf32>, tensor<8x64xf16>, tensor<8x64xf16>) {
  %xw = kernel.cast %x : tensor<8x64xf16> to tensor<8x64xf32>
  %bw = kernel.cast %b : tensor<1x64xf16> to tensor<1x64xf32>
  %d = kernel.sub %xw, %bw : tensor<8x64xf32>, tensor<1x64xf32>
  %s = kernel.sigmoid %d : tensor<8x64xf32>
  %n = kernel.neg %s : tensor<8x64xf32>
  %e = kernel.erf %xw : tensor<8x64xf32>
  %t = kernel.tanh %e : tensor<8x64xf32>
  %m = kernel.mul %n, %t : tensor<8x64xf32>, tensor<8x64xf32>
  %m16 = kernel.cast %m : tensor<8x64xf32> to tensor<8x64xf16>
  %d16 = kernel.sub %x, %b : tensor<8x64xf16>, tensor<1x64xf16>
  %s16 = kernel.sigmoid %d16 : tensor<8x64xf16>
  return %m, %m16, %s16 : tensor<8x64xf32>, tensor<8x64xf16>, tensor<8x64xf16>
}

// f32 in, a matmul, then narrowed to bf16 and f16.
func.func @narrow(%x: tensor<4x32xf32>, %w: tensor<32x16xf32>)
    -> (tensor<4x16xbf16>, tensor<4x16xf16>) {
  %y = kernel.matmul %x, %w : tensor<4x32xf32>, tensor<32x16xf32>
  %g = kernel.erf %y : tensor<4x16xf32>
  %h = kernel.cast %g : tensor<4x16xf32> to tensor<4x16xbf16>
  %n = kernel.neg %y : tensor<4x16xf32>
  %f = kernel.cast %n : tensor<4x16xf32> to tensor<4x16xf16>
  return %h, %f : tensor<4x16xbf16>, tensor<4x16xf16>
}

// The max and mean reductions: a stable softmax's parts and a mean over the
// last dimension.
func.func @reduce(%x: tensor<8x64xf16>, %y: tensor<2x16x32xf32>)
    -> (tensor<8x64xf16>, tensor<1x64xf16>, tensor<8x1xf16>,
        tensor<2x1x32xf32>, tensor<2x16x1xf32>) {
  %m = kernel.reduce_max %x dim 1 : tensor<8x64xf16>
  %d = kernel.sub %x, %m : tensor<8x64xf16>, tensor<8x1xf16>
  %e = kernel.exp %d : tensor<8x64xf16>
  %s = kernel.reduction %e dim 1 : tensor<8x64xf16>
  %p = kernel.div %e, %s : tensor<8x64xf16>, tensor<8x1xf16>
  %c = kernel.reduce_max %x dim 0 : tensor<8x64xf16>
  %a = kernel.reduce_mean %x dim 1 : tensor<8x64xf16>
  %ym = kernel.reduce_max %y dim 1 : tensor<2x16x32xf32>
  %ya = kernel.reduce_mean %y dim 2 : tensor<2x16x32xf32>
  return %p, %c, %a, %ym, %ya : tensor<8x64xf16>, tensor<1x64xf16>,
      tensor<8x1xf16>, tensor<2x1x32xf32>, tensor<2x16x1xf32>
}
