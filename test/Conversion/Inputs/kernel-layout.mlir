// Programs with layout ops for kernel-layout-cpu-run.test and
// kernel-layout-emulator.test.

// Every layout op alone, in each element type.
func.func @layout(%x: tensor<32x48xf16>, %y: tensor<2x8x16xbf16>,
                  %v: tensor<48xf32>)
    -> (tensor<48x32xf16>, tensor<2x16x8xbf16>, tensor<16x96xf16>,
        tensor<16x2x8xbf16>, tensor<8x48xf32>, tensor<48x4xf32>) {
  %xt = kernel.transpose %x permutation [1, 0] : tensor<32x48xf16>
  %yt = kernel.transpose %y permutation [0, 2, 1] : tensor<2x8x16xbf16>
  %xr = kernel.reshape %x : tensor<32x48xf16> -> tensor<16x96xf16>
  %yr = kernel.reshape %y : tensor<2x8x16xbf16> -> tensor<16x2x8xbf16>
  %vb = kernel.broadcast %v dimensions [0] : tensor<48xf32> -> tensor<8x48xf32>
  %vc = kernel.broadcast %v dimensions [1] : tensor<48xf32> -> tensor<48x4xf32>
  return %xt, %yt, %xr, %yr, %vb, %vc
      : tensor<48x32xf16>, tensor<2x16x8xbf16>, tensor<16x96xf16>,
        tensor<16x2x8xbf16>, tensor<8x48xf32>, tensor<48x4xf32>
}

// Attention scores with K given as [kv, d]: Q x K^T, scaled, softmax. The
// transpose is read by the matmul's loader (no kernel of its own).
func.func @attention(%q: tensor<64x64xf16>, %k: tensor<128x64xf16>,
                     %v: tensor<128x64xf16>) -> tensor<64x64xf16> {
  %kt = kernel.transpose %k permutation [1, 0] : tensor<128x64xf16>
  %s = kernel.matmul %q, %kt : tensor<64x64xf16>, tensor<64x128xf16>
  %c = kernel.mul_scalar %s, 0.125 : tensor<64x128xf16>
  %e = kernel.exp %c : tensor<64x128xf16>
  %z = kernel.reduction %e dim 1 : tensor<64x128xf16>
  %p = kernel.div %e, %z : tensor<64x128xf16>, tensor<64x1xf16>
  %o = kernel.matmul %p, %v : tensor<64x128xf16>, tensor<128x64xf16>
  return %o : tensor<64x64xf16>
}

// Heads split and merged by reshape and transpose around a batched matmul:
// [s, h*d] -> [s, h, d] -> [h, s, d], scores [h, s, s], back to [s, h*d].
func.func @heads(%x: tensor<32x64xf32>, %w: tensor<32x32xf32>)
    -> tensor<32x64xf32> {
  %r = kernel.reshape %x : tensor<32x64xf32> -> tensor<32x4x16xf32>
  %h = kernel.transpose %r permutation [1, 0, 2] : tensor<32x4x16xf32>
  %wb = kernel.broadcast %w dimensions [0] : tensor<32x32xf32> -> tensor<4x32x32xf32>
  %y = kernel.matmul %wb, %h : tensor<4x32x32xf32>, tensor<4x32x16xf32>
  %b = kernel.transpose %y permutation [1, 0, 2] : tensor<4x32x16xf32>
  %o = kernel.reshape %b : tensor<32x4x16xf32> -> tensor<32x64xf32>
  return %o : tensor<32x64xf32>
}

// Q x K^T with a long d: the fused matmul's for-loop walks d in 4 chunks,
// each iteration loading a [kv, 64] tile of K transposed.
func.func @scores_long(%q: tensor<32x256xbf16>, %k: tensor<128x256xbf16>)
    -> tensor<32x128xbf16> {
  %kt = kernel.transpose %k permutation [1, 0] : tensor<128x256xbf16>
  %s = kernel.matmul %q, %kt : tensor<32x256xbf16>, tensor<256x128xbf16>
  return %s : tensor<32x128xbf16>
}
