// Functions fed with tables of special values (NaN, +-Inf, +-0, the
// largest finite values, subnormals; Inputs/special-values.py) by
// special-values.test: mirage-cpu-runner runs each through the CPU code and
// compares it with the interpreter, NaN for NaN and infinity for infinity
// (docs/Semantics.md, "Special values").

// Every element-wise unary op on 4 rows of the table.
func.func @unary_f32(%x: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  %exp = kernel.exp %x : tensor<4x16xf32>
  %square = kernel.square %x : tensor<4x16xf32>
  %sqrt = kernel.sqrt %x : tensor<4x16xf32>
  %rsqrt = kernel.rsqrt %x : tensor<4x16xf32>
  %silu = kernel.silu %x : tensor<4x16xf32>
  %gelu = kernel.gelu %x : tensor<4x16xf32>
  %relu = kernel.relu %x : tensor<4x16xf32>
  %tanh = kernel.tanh %x : tensor<4x16xf32>
  %clamp = kernel.clamp %x min -1.0 max 0.5 : tensor<4x16xf32>
  %scaled = kernel.mul_scalar %x, -3.0 : tensor<4x16xf32>
  return %exp, %square, %sqrt, %rsqrt, %silu, %gelu, %relu, %tanh, %clamp,
      %scaled : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// Every element-wise binary op on every pair of the table.
func.func @binary_f32(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) {
  %add = kernel.add %a, %b : tensor<16x16xf32>, tensor<16x16xf32>
  %sub = kernel.sub %a, %b : tensor<16x16xf32>, tensor<16x16xf32>
  %mul = kernel.mul %a, %b : tensor<16x16xf32>, tensor<16x16xf32>
  %div = kernel.div %a, %b : tensor<16x16xf32>, tensor<16x16xf32>
  %pow = kernel.pow %a, %b : tensor<16x16xf32>, tensor<16x16xf32>
  return %add, %sub, %mul, %div, %pow : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>
}

// Reductions, rms_norm and a matmul (by the identity) on rows that hold
// two values of the table each.
func.func @reductions_f32(%x: tensor<16x64xf32>, %eye: tensor<64x64xf32>)
    -> (tensor<16x1xf32>, tensor<16x4xf32>, tensor<16x64xf32>, tensor<16x64xf32>) {
  %sum = kernel.reduction %x dim 1 : tensor<16x64xf32>
  %strided = kernel.reduction %x dim 1 size 4 : tensor<16x64xf32>
  %norm = kernel.rms_norm %x over [64] : tensor<16x64xf32>
  %mm = kernel.matmul %x, %eye : tensor<16x64xf32>, tensor<64x64xf32>
  return %sum, %strided, %norm, %mm
      : tensor<16x1xf32>, tensor<16x4xf32>, tensor<16x64xf32>, tensor<16x64xf32>
}

// Every element-wise unary op on 4 rows of the table.
func.func @unary_f16(%x: tensor<4x16xf16>) -> (tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>) {
  %exp = kernel.exp %x : tensor<4x16xf16>
  %square = kernel.square %x : tensor<4x16xf16>
  %sqrt = kernel.sqrt %x : tensor<4x16xf16>
  %rsqrt = kernel.rsqrt %x : tensor<4x16xf16>
  %silu = kernel.silu %x : tensor<4x16xf16>
  %gelu = kernel.gelu %x : tensor<4x16xf16>
  %relu = kernel.relu %x : tensor<4x16xf16>
  %tanh = kernel.tanh %x : tensor<4x16xf16>
  %clamp = kernel.clamp %x min -1.0 max 0.5 : tensor<4x16xf16>
  %scaled = kernel.mul_scalar %x, -3.0 : tensor<4x16xf16>
  return %exp, %square, %sqrt, %rsqrt, %silu, %gelu, %relu, %tanh, %clamp,
      %scaled : tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>
}

// Every element-wise binary op on every pair of the table.
func.func @binary_f16(%a: tensor<16x16xf16>, %b: tensor<16x16xf16>) -> (tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>) {
  %add = kernel.add %a, %b : tensor<16x16xf16>, tensor<16x16xf16>
  %sub = kernel.sub %a, %b : tensor<16x16xf16>, tensor<16x16xf16>
  %mul = kernel.mul %a, %b : tensor<16x16xf16>, tensor<16x16xf16>
  %div = kernel.div %a, %b : tensor<16x16xf16>, tensor<16x16xf16>
  %pow = kernel.pow %a, %b : tensor<16x16xf16>, tensor<16x16xf16>
  return %add, %sub, %mul, %div, %pow : tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x16xf16>
}

// Reductions, rms_norm and a matmul (by the identity) on rows that hold
// two values of the table each.
func.func @reductions_f16(%x: tensor<16x64xf16>, %eye: tensor<64x64xf16>)
    -> (tensor<16x1xf16>, tensor<16x4xf16>, tensor<16x64xf16>, tensor<16x64xf16>) {
  %sum = kernel.reduction %x dim 1 : tensor<16x64xf16>
  %strided = kernel.reduction %x dim 1 size 4 : tensor<16x64xf16>
  %norm = kernel.rms_norm %x over [64] : tensor<16x64xf16>
  %mm = kernel.matmul %x, %eye : tensor<16x64xf16>, tensor<64x64xf16>
  return %sum, %strided, %norm, %mm
      : tensor<16x1xf16>, tensor<16x4xf16>, tensor<16x64xf16>, tensor<16x64xf16>
}

// Every element-wise unary op on 4 rows of the table.
func.func @unary_bf16(%x: tensor<4x16xbf16>) -> (tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>) {
  %exp = kernel.exp %x : tensor<4x16xbf16>
  %square = kernel.square %x : tensor<4x16xbf16>
  %sqrt = kernel.sqrt %x : tensor<4x16xbf16>
  %rsqrt = kernel.rsqrt %x : tensor<4x16xbf16>
  %silu = kernel.silu %x : tensor<4x16xbf16>
  %gelu = kernel.gelu %x : tensor<4x16xbf16>
  %relu = kernel.relu %x : tensor<4x16xbf16>
  %tanh = kernel.tanh %x : tensor<4x16xbf16>
  %clamp = kernel.clamp %x min -1.0 max 0.5 : tensor<4x16xbf16>
  %scaled = kernel.mul_scalar %x, -3.0 : tensor<4x16xbf16>
  return %exp, %square, %sqrt, %rsqrt, %silu, %gelu, %relu, %tanh, %clamp,
      %scaled : tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>
}

// Every element-wise binary op on every pair of the table.
func.func @binary_bf16(%a: tensor<16x16xbf16>, %b: tensor<16x16xbf16>) -> (tensor<16x16xbf16>, tensor<16x16xbf16>, tensor<16x16xbf16>, tensor<16x16xbf16>, tensor<16x16xbf16>) {
  %add = kernel.add %a, %b : tensor<16x16xbf16>, tensor<16x16xbf16>
  %sub = kernel.sub %a, %b : tensor<16x16xbf16>, tensor<16x16xbf16>
  %mul = kernel.mul %a, %b : tensor<16x16xbf16>, tensor<16x16xbf16>
  %div = kernel.div %a, %b : tensor<16x16xbf16>, tensor<16x16xbf16>
  %pow = kernel.pow %a, %b : tensor<16x16xbf16>, tensor<16x16xbf16>
  return %add, %sub, %mul, %div, %pow : tensor<16x16xbf16>, tensor<16x16xbf16>, tensor<16x16xbf16>, tensor<16x16xbf16>, tensor<16x16xbf16>
}

// Reductions, rms_norm and a matmul (by the identity) on rows that hold
// two values of the table each.
func.func @reductions_bf16(%x: tensor<16x64xbf16>, %eye: tensor<64x64xbf16>)
    -> (tensor<16x1xbf16>, tensor<16x4xbf16>, tensor<16x64xbf16>, tensor<16x64xbf16>) {
  %sum = kernel.reduction %x dim 1 : tensor<16x64xbf16>
  %strided = kernel.reduction %x dim 1 size 4 : tensor<16x64xbf16>
  %norm = kernel.rms_norm %x over [64] : tensor<16x64xbf16>
  %mm = kernel.matmul %x, %eye : tensor<16x64xbf16>, tensor<64x64xbf16>
  return %sum, %strided, %norm, %mm
      : tensor<16x1xbf16>, tensor<16x4xbf16>, tensor<16x64xbf16>, tensor<16x64xbf16>
}

// Every accumulator kind, running_max and the block reduction, on the same
// rows, over a for-loop of 4 iterations of 16 columns.
func.func @accumulators_f32(%x: tensor<16x64xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x16xf32>) {
  %none, %max, %sum, %mean = kernel.graph_defined (%x)
      grid [1, 1, 1] block [128, 1, 1] forloop 4 : (tensor<16x64xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x1xf32>, tensor<16x1xf32>) {
  ^bb0(%xd: tensor<16x64xf32>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1 : tensor<16x64xf32> -> !block.tile<16x16xf32, pre>
    %a0 = block.accum none %xt : !block.tile<16x16xf32, pre> -> !block.tile<16x16xf32, post>
    %a1 = block.accum max %xt : !block.tile<16x16xf32, pre> -> !block.tile<16x16xf32, post>
    %a2 = block.accum sum %xt : !block.tile<16x16xf32, pre> -> !block.tile<16x1xf32, post>
    %a3 = block.accum mean %xt : !block.tile<16x16xf32, pre> -> !block.tile<16x1xf32, post>
    %s0 = block.saver %a0 omap [-1, -1, -1] : !block.tile<16x16xf32, post> -> tensor<16x16xf32>
    %s1 = block.saver %a1 omap [-1, -1, -1] : !block.tile<16x16xf32, post> -> tensor<16x16xf32>
    %s2 = block.saver %a2 omap [-1, -1, -1] : !block.tile<16x1xf32, post> -> tensor<16x1xf32>
    %s3 = block.saver %a3 omap [-1, -1, -1] : !block.tile<16x1xf32, post> -> tensor<16x1xf32>
    block.yield %s0, %s1, %s2, %s3 : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x1xf32>, tensor<16x1xf32>
  }
  %rms, %rmax, %rdiff = kernel.graph_defined (%x)
      grid [1, 1, 1] block [128, 1, 1] forloop 4 : (tensor<16x64xf32>) -> (tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>) {
  ^bb0(%xd: tensor<16x64xf32>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1 : tensor<16x64xf32> -> !block.tile<16x16xf32, pre>
    %a0 = block.accum rms %xt : !block.tile<16x16xf32, pre> -> !block.tile<16x1xf32, post>
    %m, %d = block.running_max %xt dim 1 : !block.tile<16x16xf32, pre>
    %a1 = block.accum max %m : !block.tile<16x1xf32, pre> -> !block.tile<16x1xf32, post>
    %a2 = block.accum none %d : !block.tile<16x1xf32, pre> -> !block.tile<16x1xf32, post>
    %s0 = block.saver %a0 omap [-1, -1, -1] : !block.tile<16x1xf32, post> -> tensor<16x1xf32>
    %s1 = block.saver %a1 omap [-1, -1, -1] : !block.tile<16x1xf32, post> -> tensor<16x1xf32>
    %s2 = block.saver %a2 omap [-1, -1, -1] : !block.tile<16x1xf32, post> -> tensor<16x1xf32>
    block.yield %s0, %s1, %s2 : tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>
  }
  %red, %resc = kernel.graph_defined (%x)
      grid [1, 1, 1] block [128, 1, 1] forloop 4 : (tensor<16x64xf32>) -> (tensor<16x1xf32>, tensor<16x16xf32>) {
  ^bb0(%xd: tensor<16x64xf32>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1 : tensor<16x64xf32> -> !block.tile<16x16xf32, pre>
    %m, %d = block.running_max %xt dim 1 : !block.tile<16x16xf32, pre>
    %r = block.reduction %xt dim 1 : !block.tile<16x16xf32, pre>
    %a0 = block.accum none %r : !block.tile<16x1xf32, pre> -> !block.tile<16x1xf32, post>
    %f = block.exp %d : !block.tile<16x1xf32, pre>
    %a1 = block.accum rescale %xt, %f : !block.tile<16x16xf32, pre>, !block.tile<16x1xf32, pre> -> !block.tile<16x16xf32, post>
    %s0 = block.saver %a0 omap [-1, -1, -1] : !block.tile<16x1xf32, post> -> tensor<16x1xf32>
    %s1 = block.saver %a1 omap [-1, -1, -1] : !block.tile<16x16xf32, post> -> tensor<16x16xf32>
    block.yield %s0, %s1 : tensor<16x1xf32>, tensor<16x16xf32>
  }
  return %none, %max, %sum, %mean, %rms, %rmax, %rdiff, %red, %resc
      : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x1xf32>, tensor<16x16xf32>
}

// Every accumulator kind, running_max and the block reduction, on the same
// rows, over a for-loop of 4 iterations of 16 columns.
func.func @accumulators_f16(%x: tensor<16x64xf16>) -> (tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x16xf16>) {
  %none, %max, %sum, %mean = kernel.graph_defined (%x)
      grid [1, 1, 1] block [128, 1, 1] forloop 4 : (tensor<16x64xf16>) -> (tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x1xf16>) {
  ^bb0(%xd: tensor<16x64xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1 : tensor<16x64xf16> -> !block.tile<16x16xf16, pre>
    %a0 = block.accum none %xt : !block.tile<16x16xf16, pre> -> !block.tile<16x16xf16, post>
    %a1 = block.accum max %xt : !block.tile<16x16xf16, pre> -> !block.tile<16x16xf16, post>
    %a2 = block.accum sum %xt : !block.tile<16x16xf16, pre> -> !block.tile<16x1xf16, post>
    %a3 = block.accum mean %xt : !block.tile<16x16xf16, pre> -> !block.tile<16x1xf16, post>
    %s0 = block.saver %a0 omap [-1, -1, -1] : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    %s1 = block.saver %a1 omap [-1, -1, -1] : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    %s2 = block.saver %a2 omap [-1, -1, -1] : !block.tile<16x1xf16, post> -> tensor<16x1xf16>
    %s3 = block.saver %a3 omap [-1, -1, -1] : !block.tile<16x1xf16, post> -> tensor<16x1xf16>
    block.yield %s0, %s1, %s2, %s3 : tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x1xf16>
  }
  %rms, %rmax, %rdiff = kernel.graph_defined (%x)
      grid [1, 1, 1] block [128, 1, 1] forloop 4 : (tensor<16x64xf16>) -> (tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>) {
  ^bb0(%xd: tensor<16x64xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1 : tensor<16x64xf16> -> !block.tile<16x16xf16, pre>
    %a0 = block.accum rms %xt : !block.tile<16x16xf16, pre> -> !block.tile<16x1xf16, post>
    %m, %d = block.running_max %xt dim 1 : !block.tile<16x16xf16, pre>
    %a1 = block.accum max %m : !block.tile<16x1xf16, pre> -> !block.tile<16x1xf16, post>
    %a2 = block.accum none %d : !block.tile<16x1xf16, pre> -> !block.tile<16x1xf16, post>
    %s0 = block.saver %a0 omap [-1, -1, -1] : !block.tile<16x1xf16, post> -> tensor<16x1xf16>
    %s1 = block.saver %a1 omap [-1, -1, -1] : !block.tile<16x1xf16, post> -> tensor<16x1xf16>
    %s2 = block.saver %a2 omap [-1, -1, -1] : !block.tile<16x1xf16, post> -> tensor<16x1xf16>
    block.yield %s0, %s1, %s2 : tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>
  }
  %red, %resc = kernel.graph_defined (%x)
      grid [1, 1, 1] block [128, 1, 1] forloop 4 : (tensor<16x64xf16>) -> (tensor<16x1xf16>, tensor<16x16xf16>) {
  ^bb0(%xd: tensor<16x64xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1 : tensor<16x64xf16> -> !block.tile<16x16xf16, pre>
    %m, %d = block.running_max %xt dim 1 : !block.tile<16x16xf16, pre>
    %r = block.reduction %xt dim 1 : !block.tile<16x16xf16, pre>
    %a0 = block.accum none %r : !block.tile<16x1xf16, pre> -> !block.tile<16x1xf16, post>
    %f = block.exp %d : !block.tile<16x1xf16, pre>
    %a1 = block.accum rescale %xt, %f : !block.tile<16x16xf16, pre>, !block.tile<16x1xf16, pre> -> !block.tile<16x16xf16, post>
    %s0 = block.saver %a0 omap [-1, -1, -1] : !block.tile<16x1xf16, post> -> tensor<16x1xf16>
    %s1 = block.saver %a1 omap [-1, -1, -1] : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    block.yield %s0, %s1 : tensor<16x1xf16>, tensor<16x16xf16>
  }
  return %none, %max, %sum, %mean, %rms, %rmax, %rdiff, %red, %resc
      : tensor<16x16xf16>, tensor<16x16xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x1xf16>, tensor<16x16xf16>
}

// neg, sigmoid, erf and cast to the two other element types, on the rows
// of @unary_<type> (kernel-eltops).
func.func @eltops_f32(%x: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf16>, tensor<4x16xbf16>) {
  %neg = kernel.neg %x : tensor<4x16xf32>
  %sigmoid = kernel.sigmoid %x : tensor<4x16xf32>
  %erf = kernel.erf %x : tensor<4x16xf32>
  %to_f16 = kernel.cast %x : tensor<4x16xf32> to tensor<4x16xf16>
  %to_bf16 = kernel.cast %x : tensor<4x16xf32> to tensor<4x16xbf16>
  return %neg, %sigmoid, %erf, %to_f16, %to_bf16 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf16>, tensor<4x16xbf16>
}
func.func @eltops_f16(%x: tensor<4x16xf16>) -> (tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf32>, tensor<4x16xbf16>) {
  %neg = kernel.neg %x : tensor<4x16xf16>
  %sigmoid = kernel.sigmoid %x : tensor<4x16xf16>
  %erf = kernel.erf %x : tensor<4x16xf16>
  %to_f32 = kernel.cast %x : tensor<4x16xf16> to tensor<4x16xf32>
  %to_bf16 = kernel.cast %x : tensor<4x16xf16> to tensor<4x16xbf16>
  return %neg, %sigmoid, %erf, %to_f32, %to_bf16 : tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf16>, tensor<4x16xf32>, tensor<4x16xbf16>
}
func.func @eltops_bf16(%x: tensor<4x16xbf16>) -> (tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xf32>, tensor<4x16xf16>) {
  %neg = kernel.neg %x : tensor<4x16xbf16>
  %sigmoid = kernel.sigmoid %x : tensor<4x16xbf16>
  %erf = kernel.erf %x : tensor<4x16xbf16>
  %to_f32 = kernel.cast %x : tensor<4x16xbf16> to tensor<4x16xf32>
  %to_f16 = kernel.cast %x : tensor<4x16xbf16> to tensor<4x16xf16>
  return %neg, %sigmoid, %erf, %to_f32, %to_f16 : tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xbf16>, tensor<4x16xf32>, tensor<4x16xf16>
}

// reduce_max (along both dims) and reduce_mean on the reduction rows
// (kernel-eltops).
func.func @eltops_reductions_f32(%x: tensor<16x64xf32>)
    -> (tensor<16x1xf32>, tensor<1x64xf32>, tensor<16x1xf32>) {
  %max1 = kernel.reduce_max %x dim 1 : tensor<16x64xf32>
  %max0 = kernel.reduce_max %x dim 0 : tensor<16x64xf32>
  %mean = kernel.reduce_mean %x dim 1 : tensor<16x64xf32>
  return %max1, %max0, %mean : tensor<16x1xf32>, tensor<1x64xf32>, tensor<16x1xf32>
}
func.func @eltops_reductions_f16(%x: tensor<16x64xf16>)
    -> (tensor<16x1xf16>, tensor<1x64xf16>, tensor<16x1xf16>) {
  %max1 = kernel.reduce_max %x dim 1 : tensor<16x64xf16>
  %max0 = kernel.reduce_max %x dim 0 : tensor<16x64xf16>
  %mean = kernel.reduce_mean %x dim 1 : tensor<16x64xf16>
  return %max1, %max0, %mean : tensor<16x1xf16>, tensor<1x64xf16>, tensor<16x1xf16>
}
func.func @eltops_reductions_bf16(%x: tensor<16x64xbf16>)
    -> (tensor<16x1xbf16>, tensor<1x64xbf16>, tensor<16x1xbf16>) {
  %max1 = kernel.reduce_max %x dim 1 : tensor<16x64xbf16>
  %max0 = kernel.reduce_max %x dim 0 : tensor<16x64xbf16>
  %mean = kernel.reduce_mean %x dim 1 : tensor<16x64xbf16>
  return %max1, %max0, %mean : tensor<16x1xbf16>, tensor<1x64xbf16>, tensor<16x1xbf16>
}
