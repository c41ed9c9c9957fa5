// A transformer decoder layer as a front end such as torch-mlir writes it,
// in linalg, tosa, arith and tensor (no kernel dialect), f32, at a small
// shape: sequence 8, hidden 64, 4 query heads and 2 key/value heads of
// dimension 16 (grouped-query attention, no rotary embedding, no mask), MLP
// width 128.
//
//   h   = x + Wo(attention(rmsnorm(x, g1)))
//   out = h + W2(silu(rmsnorm(h, g2) W1) * (rmsnorm(h, g2) W3))
//
// rmsnorm(x, g) = x * rsqrt(mean(x^2) + 1e-5) * g over the hidden dimension;
// attention: per head softmax(Q K^T / sqrt(16)) V, with a stable softmax
// (the row maximum subtracted before exp); query heads 2i and 2i+1 share
// key/value head i.
//
// The epsilon is a splat tensor constant and the zero points of tosa.matmul
// are tosa constants: they stay in the caller until the importer maps
// constants, and the outliner passes the epsilon into its region as an
// argument. The scale 1/sqrt(16) and the mean's 1/64 are products by a
// scalar in generic bodies (kernel.mul_scalar); both are powers of two, so
// the product is the division exactly. test/Conversion/decoder-layer.mlir
// runs the whole path on it.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#keep2 = affine_map<(d0, d1) -> (d0, 0)>
#col2 = affine_map<(d0, d1) -> (d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row3 = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @decoder_layer(%x: tensor<8x64xf32>, %g1: tensor<64xf32>,
                         %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>,
                         %wv: tensor<64x32xf32>, %wo: tensor<64x64xf32>,
                         %g2: tensor<64xf32>, %w1: tensor<64x128xf32>,
                         %w3: tensor<64x128xf32>, %w2: tensor<128x64xf32>)
    -> tensor<8x64xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %eps = arith.constant dense<1.0e-05> : tensor<8x1xf32>
  %vshape = tosa.const_shape {values = dense<[8, 2, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>

  // RMSNorm 1: sum of squares kept as 8x1 (torch's keepdim), mean, eps,
  // rsqrt, then x * r * g1 with r broadcast along the row and g1 along
  // the columns.
  %e81 = tensor.empty() : tensor<8x1xf32>
  %z81 = linalg.fill ins(%zero : f32) outs(%e81 : tensor<8x1xf32>) -> tensor<8x1xf32>
  %ss1 = linalg.generic {indexing_maps = [#id2, #keep2], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<8x64xf32>) outs(%z81 : tensor<8x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %sq = arith.mulf %a, %a : f32
    %s = arith.addf %sq, %acc : f32
    linalg.yield %s : f32
  } -> tensor<8x1xf32>
  %ms1 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%ss1 : tensor<8x1xf32>) outs(%e81 : tensor<8x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.constant 0.015625 : f32
    %m = arith.mulf %a, %c : f32
    linalg.yield %m : f32
  } -> tensor<8x1xf32>
  %v1 = tosa.add %ms1, %eps : (tensor<8x1xf32>, tensor<8x1xf32>) -> tensor<8x1xf32>
  %r1 = tosa.rsqrt %v1 : (tensor<8x1xf32>) -> tensor<8x1xf32>
  %e864 = tensor.empty() : tensor<8x64xf32>
  %n1 = linalg.generic {indexing_maps = [#id2, #keep2, #col2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %r1, %g1 : tensor<8x64xf32>, tensor<8x1xf32>, tensor<64xf32>) outs(%e864 : tensor<8x64xf32>) {
  ^bb0(%a: f32, %r: f32, %g: f32, %o: f32):
    %y = arith.mulf %a, %r : f32
    %z = arith.mulf %y, %g : f32
    linalg.yield %z : f32
  } -> tensor<8x64xf32>

  // Q, K, V projections, split into heads: [8, 64] -> [8, 4, 16] -> [4, 8, 16].
  %z864 = linalg.fill ins(%zero : f32) outs(%e864 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %q = linalg.matmul ins(%n1, %wq : tensor<8x64xf32>, tensor<64x64xf32>) outs(%z864 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %e832 = tensor.empty() : tensor<8x32xf32>
  %z832 = linalg.fill ins(%zero : f32) outs(%e832 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %k = linalg.matmul ins(%n1, %wk : tensor<8x64xf32>, tensor<64x32xf32>) outs(%z832 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %v = linalg.matmul ins(%n1, %wv : tensor<8x64xf32>, tensor<64x32xf32>) outs(%z832 : tensor<8x32xf32>) -> tensor<8x32xf32>
  %q3 = tensor.expand_shape %q [[0], [1, 2]] output_shape [8, 4, 16] : tensor<8x64xf32> into tensor<8x4x16xf32>
  %eq = tensor.empty() : tensor<4x8x16xf32>
  %qh = linalg.transpose ins(%q3 : tensor<8x4x16xf32>) outs(%eq : tensor<4x8x16xf32>) permutation = [1, 0, 2]
  %k3 = tensor.expand_shape %k [[0], [1, 2]] output_shape [8, 2, 16] : tensor<8x32xf32> into tensor<8x2x16xf32>
  %kh = tosa.transpose %k3 {perms = array<i32: 1, 0, 2>} : (tensor<8x2x16xf32>) -> tensor<2x8x16xf32>
  %v3 = tosa.reshape %v, %vshape : (tensor<8x32xf32>, !tosa.shape<3>) -> tensor<8x2x16xf32>
  %vh = tosa.transpose %v3 {perms = array<i32: 1, 0, 2>} : (tensor<8x2x16xf32>) -> tensor<2x8x16xf32>

  // Grouped-query attention: each key/value head repeated for its two
  // query heads ([2, 8, 16] -> [2, 2, 8, 16] -> [4, 8, 16]).
  %eb = tensor.empty() : tensor<2x2x8x16xf32>
  %kb = linalg.broadcast ins(%kh : tensor<2x8x16xf32>) outs(%eb : tensor<2x2x8x16xf32>) dimensions = [1]
  %kr = tensor.collapse_shape %kb [[0, 1], [2], [3]] : tensor<2x2x8x16xf32> into tensor<4x8x16xf32>
  %vb = linalg.broadcast ins(%vh : tensor<2x8x16xf32>) outs(%eb : tensor<2x2x8x16xf32>) dimensions = [1]
  %vr = tensor.collapse_shape %vb [[0, 1], [2], [3]] : tensor<2x2x8x16xf32> into tensor<4x8x16xf32>

  // Scores Q K^T (K read transposed through the indexing map), scaled by
  // 1/sqrt(16).
  %es = tensor.empty() : tensor<4x8x8xf32>
  %zs = linalg.fill ins(%zero : f32) outs(%es : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %s = linalg.batch_matmul
      indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                       affine_map<(b, m, n, k) -> (b, n, k)>,
                       affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%qh, %kr : tensor<4x8x16xf32>, tensor<4x8x16xf32>) outs(%zs : tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  %ss = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%s : tensor<4x8x8xf32>) outs(%es : tensor<4x8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.constant 0.25 : f32
    %y = arith.mulf %a, %c : f32
    linalg.yield %y : f32
  } -> tensor<4x8x8xf32>

  // Stable softmax over the keys: row maximum from -inf, exp(s - max), row
  // sum, division (the row values dropped to [4, 8] and read back through
  // the indexing maps).
  %e48 = tensor.empty() : tensor<4x8xf32>
  %m0 = linalg.fill ins(%ninf : f32) outs(%e48 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mx = linalg.generic {indexing_maps = [#id3, #row3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ss : tensor<4x8x8xf32>) outs(%m0 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  %ex = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ss, %mx : tensor<4x8x8xf32>, tensor<4x8xf32>) outs(%es : tensor<4x8x8xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %y = math.exp %d : f32
    linalg.yield %y : f32
  } -> tensor<4x8x8xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e48 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %sum = linalg.reduce ins(%ex : tensor<4x8x8xf32>) outs(%s0 : tensor<4x8xf32>) dimensions = [2]
    (%a: f32, %acc: f32) {
      %y = arith.addf %a, %acc : f32
      linalg.yield %y : f32
    }
  %p = linalg.generic {indexing_maps = [#id3, #row3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%ex, %sum : tensor<4x8x8xf32>, tensor<4x8xf32>) outs(%es : tensor<4x8x8xf32>) {
  ^bb0(%a: f32, %t: f32, %o: f32):
    %y = arith.divf %a, %t : f32
    linalg.yield %y : f32
  } -> tensor<4x8x8xf32>

  // P V, heads merged back ([4, 8, 16] -> [8, 4, 16] -> [8, 64]), the
  // output projection and the residual.
  %pv = tosa.matmul %p, %vr, %zp, %zp : (tensor<4x8x8xf32>, tensor<4x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x8x16xf32>
  %eo = tensor.empty() : tensor<8x4x16xf32>
  %ot = linalg.transpose ins(%pv : tensor<4x8x16xf32>) outs(%eo : tensor<8x4x16xf32>) permutation = [1, 0, 2]
  %oc = tensor.collapse_shape %ot [[0], [1, 2]] : tensor<8x4x16xf32> into tensor<8x64xf32>
  %proj = linalg.matmul ins(%oc, %wo : tensor<8x64xf32>, tensor<64x64xf32>) outs(%z864 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %h = tosa.add %x, %proj : (tensor<8x64xf32>, tensor<8x64xf32>) -> tensor<8x64xf32>

  // RMSNorm 2, in tosa this time.
  %hsq = tosa.mul %h, %h, %shift : (tensor<8x64xf32>, tensor<8x64xf32>, tensor<1xi8>) -> tensor<8x64xf32>
  %ss2 = tosa.reduce_sum %hsq {axis = 1 : i32} : (tensor<8x64xf32>) -> tensor<8x1xf32>
  %ms2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%ss2 : tensor<8x1xf32>) outs(%e81 : tensor<8x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.constant 0.015625 : f32
    %m = arith.mulf %c, %a : f32
    linalg.yield %m : f32
  } -> tensor<8x1xf32>
  %v2 = arith.addf %ms2, %eps : tensor<8x1xf32>
  %r2 = math.rsqrt %v2 : tensor<8x1xf32>
  %n2 = linalg.generic {indexing_maps = [#id2, #keep2, #col2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%h, %r2, %g2 : tensor<8x64xf32>, tensor<8x1xf32>, tensor<64xf32>) outs(%e864 : tensor<8x64xf32>) {
  ^bb0(%a: f32, %r: f32, %g: f32, %o: f32):
    %y = arith.mulf %a, %r : f32
    %z = arith.mulf %y, %g : f32
    linalg.yield %z : f32
  } -> tensor<8x64xf32>

  // SiLU-gated MLP and the second residual.
  %e8128 = tensor.empty() : tensor<8x128xf32>
  %z8128 = linalg.fill ins(%zero : f32) outs(%e8128 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %gate = linalg.matmul ins(%n2, %w1 : tensor<8x64xf32>, tensor<64x128xf32>) outs(%z8128 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %up = linalg.matmul ins(%n2, %w3 : tensor<8x64xf32>, tensor<64x128xf32>) outs(%z8128 : tensor<8x128xf32>) -> tensor<8x128xf32>
  %act = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%gate, %up : tensor<8x128xf32>, tensor<8x128xf32>) outs(%e8128 : tensor<8x128xf32>) {
  ^bb0(%g: f32, %u: f32, %o: f32):
    %neg = arith.negf %g : f32
    %exp = math.exp %neg : f32
    %one = arith.constant 1.0 : f32
    %den = arith.addf %one, %exp : f32
    %silu = arith.divf %g, %den : f32
    %y = arith.mulf %silu, %u : f32
    linalg.yield %y : f32
  } -> tensor<8x128xf32>
  %down = linalg.matmul ins(%act, %w2 : tensor<8x128xf32>, tensor<128x64xf32>) outs(%z864 : tensor<8x64xf32>) -> tensor<8x64xf32>
  %out = arith.addf %h, %down : tensor<8x64xf32>
  return %out : tensor<8x64xf32>
}
