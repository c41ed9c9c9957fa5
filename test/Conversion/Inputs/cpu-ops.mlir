// Every kernel op kind through the CPU pipeline, at small shapes, in the
// three element types: mirage-cpu-runner compares each function with the
// interpreter (cpu-run-ops.test). Inputs are uniform in [-1, 1).

// Unary functions, each on its own and in fused chains; sqrt, rsqrt and pow
// get positive operands (exp, square) so that results are finite.
func.func @unary(%x: tensor<8x64xf16>, %y: tensor<8x64xbf16>,
                 %z: tensor<8x64xf32>)
    -> (tensor<8x64xf16>, tensor<8x64xf16>, tensor<8x64xf16>,
        tensor<8x64xf16>, tensor<8x64xbf16>, tensor<8x64xbf16>,
        tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) {
  %e = kernel.exp %x : tensor<8x64xf16>
  %r = kernel.rsqrt %e : tensor<8x64xf16>
  %s = kernel.silu %x : tensor<8x64xf16>
  %g = kernel.gelu %x : tensor<8x64xf16>
  %ysq = kernel.square %y : tensor<8x64xbf16>
  %ysqrt = kernel.sqrt %ysq : tensor<8x64xbf16>
  %yt = kernel.tanh %y : tensor<8x64xbf16>
  %zr = kernel.relu %z : tensor<8x64xf32>
  %zc = kernel.clamp %z min -0.25 max 0.5 : tensor<8x64xf32>
  %zm = kernel.mul_scalar %z, -3.0 : tensor<8x64xf32>
  %zg = kernel.gelu %zm : tensor<8x64xf32>
  %zt = kernel.tanh %zg : tensor<8x64xf32>
  return %e, %r, %s, %g, %ysqrt, %yt, %zr, %zc, %zt
      : tensor<8x64xf16>, tensor<8x64xf16>, tensor<8x64xf16>,
        tensor<8x64xf16>, tensor<8x64xbf16>, tensor<8x64xbf16>,
        tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>
}

// Binary functions with broadcasting along either operand.
func.func @binary(%a: tensor<8x64xf16>, %b: tensor<1x64xf16>,
                  %c: tensor<8x1xf16>)
    -> (tensor<8x64xf16>, tensor<8x64xf16>, tensor<8x64xf16>,
        tensor<8x64xf16>, tensor<8x64xf16>) {
  %add = kernel.add %a, %b : tensor<8x64xf16>, tensor<1x64xf16>
  %sub = kernel.sub %c, %a : tensor<8x1xf16>, tensor<8x64xf16>
  %mul = kernel.mul %a, %a : tensor<8x64xf16>, tensor<8x64xf16>
  %eb = kernel.exp %b : tensor<1x64xf16>
  %div = kernel.div %a, %eb : tensor<8x64xf16>, tensor<1x64xf16>
  %ea = kernel.exp %a : tensor<8x64xf16>
  %pow = kernel.pow %ea, %c : tensor<8x64xf16>, tensor<8x1xf16>
  return %add, %sub, %mul, %div, %pow
      : tensor<8x64xf16>, tensor<8x64xf16>, tensor<8x64xf16>,
        tensor<8x64xf16>, tensor<8x64xf16>
}

// Reductions (plain and strided), rms_norm with eps, concat. (rms_norm with
// a weight and concat of more than two tensors have no default schedule.)
func.func @structured(%x: tensor<4x512xf16>, %y: tensor<2x4x128xbf16>,
                      %z: tensor<4x64xf32>)
    -> (tensor<4x1xf16>, tensor<4x64xf16>, tensor<4x512xf16>,
        tensor<2x4x128xbf16>, tensor<4x128xf32>) {
  %sum = kernel.reduction %x dim 1 : tensor<4x512xf16>
  %strided = kernel.reduction %x dim 1 size 64 : tensor<4x512xf16>
  %norm = kernel.rms_norm %x over [512] eps 1.0e-06 : tensor<4x512xf16>
  %ynorm = kernel.rms_norm %y over [128] : tensor<2x4x128xbf16>
  %xf = kernel.mul_scalar %z, 0.5 : tensor<4x64xf32>
  %cat = kernel.concat %z, %xf dim 1 : tensor<4x64xf32>, tensor<4x64xf32>
  return %sum, %strided, %norm, %ynorm, %cat
      : tensor<4x1xf16>, tensor<4x64xf16>, tensor<4x512xf16>,
        tensor<2x4x128xbf16>, tensor<4x128xf32>
}

// Matmuls: plain, batched, with a k that takes several for-loop iterations,
// and a chain through the workspace.
func.func @matmuls(%a: tensor<16x256xf16>, %b: tensor<256x96xf16>,
                   %q: tensor<2x32x64xf16>, %k: tensor<2x64x80xf16>)
    -> (tensor<16x96xf16>, tensor<2x32x80xf16>) {
  %ab = kernel.matmul %a, %b : tensor<16x256xf16>, tensor<256x96xf16>
  %qk = kernel.matmul %q, %k : tensor<2x32x64xf16>, tensor<2x64x80xf16>
  %s = kernel.silu %qk : tensor<2x32x80xf16>
  return %ab, %s : tensor<16x96xf16>, tensor<2x32x80xf16>
}

// Outputs the runner warns about (cpu-run-fail.test): exp overflows f16 for
// most inputs, and values below 0.01 make the default atol weak.
func.func @notes(%x: tensor<8x64xf16>)
    -> (tensor<8x64xf16>, tensor<8x64xf16>) {
  %big = kernel.mul_scalar %x, 100.0 : tensor<8x64xf16>
  %e = kernel.exp %big : tensor<8x64xf16>
  %small = kernel.mul_scalar %x, 0.01 : tensor<8x64xf16>
  return %e, %small : tensor<8x64xf16>, tensor<8x64xf16>
}
