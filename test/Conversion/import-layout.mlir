// --mirage-import: the mappings that put a layout op (kernel.transpose,
// kernel.reshape, kernel.broadcast) around another kernel op, and the
// reasons such an op stays in place (docs/Import.md).
//
// RUN: mirage-opt %s -split-input-file --mirage-import -verify-diagnostics \
// RUN:   | FileCheck %s

// linalg.reduce drops the reduced dimension, which kernel.reduction and
// kernel.reduce_max keep with extent 1: a kernel.reshape after them. A zero
// init (fill) and a -inf init go; a non-zero init is added.
// CHECK-LABEL: func.func @linalg_reduce
// CHECK-NEXT:    %[[S:.*]] = kernel.reduction %arg0 dim 1 : tensor<2x8xf32>
// CHECK-NEXT:    %[[SR:.*]] = kernel.reshape %[[S]] : tensor<2x1xf32> -> tensor<2xf32>
// CHECK-NEXT:    %[[M:.*]] = kernel.reduce_max %arg0 dim 1 : tensor<2x8xf32>
// CHECK-NEXT:    %[[MR:.*]] = kernel.reshape %[[M]] : tensor<2x1xf32> -> tensor<2xf32>
// CHECK-NEXT:    %[[T:.*]] = kernel.reduction %arg0 dim 0 : tensor<2x8xf32>
// CHECK-NEXT:    %[[TR:.*]] = kernel.reshape %[[T]] : tensor<1x8xf32> -> tensor<8xf32>
// CHECK-NEXT:    %[[TI:.*]] = kernel.add %[[TR]], %arg1 : tensor<8xf32>, tensor<8xf32>
// CHECK-NEXT:    return %[[SR]], %[[MR]], %[[TI]]
func.func @linalg_reduce(%x: tensor<2x8xf32>, %init: tensor<8xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<8xf32>) {
  %z = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %s = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%f : tensor<2xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %fm = linalg.fill ins(%ninf : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %m = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%fm : tensor<2xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.maximumf %acc, %in : f32
      linalg.yield %a : f32
    }
  %t = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%init : tensor<8xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %s, %m, %t : tensor<2xf32>, tensor<2xf32>, tensor<8xf32>
}

// -----

// Two reduced dimensions: one kernel reduction per dimension.
// CHECK-LABEL: func.func @linalg_reduce_two
// CHECK-NEXT:    %[[A:.*]] = kernel.reduction %arg0 dim 0 : tensor<2x4x8xf16>
// CHECK-NEXT:    %[[B:.*]] = kernel.reduction %[[A]] dim 2 : tensor<1x4x8xf16>
// CHECK-NEXT:    %[[R:.*]] = kernel.reshape %[[B]] : tensor<1x4x1xf16> -> tensor<4xf16>
// CHECK-NEXT:    return %[[R]]
func.func @linalg_reduce_two(%x: tensor<2x4x8xf16>) -> tensor<4xf16> {
  %e = tensor.empty() : tensor<4xf16>
  %s = linalg.reduce ins(%x : tensor<2x4x8xf16>) outs(%e : tensor<4xf16>) dimensions = [0, 2]
    (%in: f16, %acc: f16) {
      %a = arith.addf %acc, %in : f16
      linalg.yield %a : f16
    }
  return %s : tensor<4xf16>
}

// -----

// Reductions that stay, each with its reason.
func.func @linalg_reduce_refused(%x: tensor<2x8xf32>, %init: tensor<2xf32>, %x8: tensor<8xf32>, %i1: tensor<1xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf64>, tensor<2xf32>) {
  // expected-remark @+1 {{'linalg.reduce' left in place: a maximum into an init that is not -inf: no kernel op yet for the maximum of two tensors}}
  %a = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%init : tensor<2xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  // expected-remark @+1 {{'linalg.reduce' left in place: a maxnumf reduction: it ignores NaN, kernel.reduce_max propagates it}}
  %b = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%init : tensor<2xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.maxnumf %in, %acc : f32
      linalg.yield %m : f32
    }
  // expected-remark @+1 {{'linalg.reduce' left in place: a combiner that is neither a sum (addf) nor a maximum (maximumf)}}
  %c = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%init : tensor<2xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.mulf %in, %acc : f32
      linalg.yield %m : f32
    }
  %e64 = tensor.empty() : tensor<2xf64>
  // expected-remark @+1 {{'linalg.reduce' left in place: element type f64 (the kernel dialect takes f16, bf16 and f32)}}
  %d = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%e64 : tensor<2xf64>) dimensions = [1]
    (%in: f32, %acc: f64) {
      %w = arith.extf %in : f32 to f64
      %m = arith.addf %w, %acc : f64
      linalg.yield %m : f64
    }
  // expected-remark @+1 {{'linalg.reduce' left in place: a combiner of something other than the operand's element}}
  %g = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%init : tensor<2xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %sq = arith.mulf %in, %in : f32
      %m = arith.addf %sq, %acc : f32
      linalg.yield %m : f32
    }
  return %a, %b, %c, %d, %g : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf64>, tensor<2xf32>
}

// -----

// A result whose element count overflows: the reshape's rule refuses it.
func.func @linalg_reduce_huge(%x: tensor<1099511627776x1099511627776x2xf32>, %i: tensor<1099511627776x1099511627776xf32>) -> tensor<1099511627776x1099511627776xf32> {
  // expected-remark @+1 {{'linalg.reduce' left in place: the kernel.reshape after the reduction: reshape of an extent below 0 or an element count that overflows a 64-bit integer}}
  %s = linalg.reduce ins(%x : tensor<1099511627776x1099511627776x2xf32>) outs(%i : tensor<1099511627776x1099511627776xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %s : tensor<1099511627776x1099511627776xf32>
}

// -----

// Reduction generics as torch-mlir writes them: a sum of squares that drops
// the dimension, a sum that keeps it (output map with the constant 0), a
// maximum from -inf, and a sum into a non-zero init (added).
// CHECK-LABEL: func.func @generic_reductions
// CHECK-NEXT:    %[[SQ:.*]] = kernel.square %arg0 : tensor<4x8xf32>
// CHECK-NEXT:    %[[S:.*]] = kernel.reduction %[[SQ]] dim 1 : tensor<4x8xf32>
// CHECK-NEXT:    %[[SR:.*]] = kernel.reshape %[[S]] : tensor<4x1xf32> -> tensor<4xf32>
// CHECK-NEXT:    %[[K:.*]] = kernel.reduction %arg0 dim 1 : tensor<4x8xf32>
// CHECK-NEXT:    %[[M:.*]] = kernel.reduce_max %arg0 dim 1 : tensor<4x8xf32>
// CHECK-NEXT:    %[[C:.*]] = kernel.cast %arg0 : tensor<4x8xf32> to tensor<4x8xf16>
// CHECK-NEXT:    %[[CS:.*]] = kernel.reduction %[[C]] dim 0 : tensor<4x8xf16>
// CHECK-NEXT:    %[[CR:.*]] = kernel.reshape %[[CS]] : tensor<1x8xf16> -> tensor<8xf16>
// CHECK-NEXT:    %[[CI:.*]] = kernel.add %[[CR]], %arg1
// CHECK-NEXT:    return %[[SR]], %[[K]], %[[M]], %[[CI]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#drop = affine_map<(d0, d1) -> (d0)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @generic_reductions(%x: tensor<4x8xf32>, %i: tensor<8xf16>) -> (tensor<4xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<8xf16>) {
  %z = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %ss = linalg.generic {indexing_maps = [#id, #drop], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%f : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %y = arith.addf %sq, %acc : f32
    linalg.yield %y : f32
  } -> tensor<4xf32>
  %ek = tensor.empty() : tensor<4x1xf32>
  %fk = linalg.fill ins(%z : f32) outs(%ek : tensor<4x1xf32>) -> tensor<4x1xf32>
  %sk = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%fk : tensor<4x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.addf %acc, %in : f32
    linalg.yield %y : f32
  } -> tensor<4x1xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%ek : tensor<4x1xf32>) -> tensor<4x1xf32>
  %mk = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%fm : tensor<4x1xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.maximumf %in, %acc : f32
    linalg.yield %y : f32
  } -> tensor<4x1xf32>
  %ci = linalg.generic {indexing_maps = [#id, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%i : tensor<8xf16>) {
  ^bb0(%in: f32, %acc: f16):
    %t = arith.truncf %in : f32 to f16
    %y = arith.addf %t, %acc : f16
    linalg.yield %y : f16
  } -> tensor<8xf16>
  return %ss, %sk, %mk, %ci : tensor<4xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<8xf16>
}

// -----

// Reduction generics that stay, each with its reason.
#id = affine_map<(d0, d1) -> (d0, d1)>
#drop = affine_map<(d0, d1) -> (d0)>
#swap = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#out3 = affine_map<(d0, d1, d2) -> (d2, d0)>
func.func @generic_reductions_refused(%x: tensor<4x8xf32>, %i: tensor<4xf32>, %y: tensor<2x3x4xf32>, %j: tensor<4x2xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x2xf32>) {
  // expected-remark @+1 {{'linalg.generic' left in place: a maximum into an init that is not -inf: no kernel op yet for the maximum of two tensors}}
  %a = linalg.generic {indexing_maps = [#id, #drop], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%i : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: a body that is not one combiner of the accumulator}}
  %b = linalg.generic {indexing_maps = [#id, #drop], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%i : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %p = arith.mulf %acc, %acc : f32
    %m = arith.addf %in, %p : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: its body uses 'math.sin', which has no kernel op}}
  %c = linalg.generic {indexing_maps = [#id, #drop], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%i : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = math.sin %in : f32
    %m = arith.addf %s, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: a reduction whose output map does not keep the parallel loops in order}}
  %d = linalg.generic {indexing_maps = [#swap, #out3], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%y : tensor<2x3x4xf32>) outs(%j : tensor<4x2xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.addf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  return %a, %b, %c, %d : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x2xf32>
}

// -----

// A sum of a value that does not vary along the reduced loop (its tensor
// does not cover the loops), and five loops (a kernel tensor has at most
// four dimensions).
#id = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
#drop = affine_map<(d0, d1) -> (d0)>
#a5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
#b5 = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d3, d4)>
#o5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
func.func @generic_loops_refused(%x: tensor<4x8xf32>, %r: tensor<4x1xf32>, %i: tensor<4xf32>,
                                 %a: tensor<2x2x2x2xf32>, %b: tensor<2x2x2x2xf32>, %j: tensor<2x2x2x2xf32>) -> (tensor<4xf32>, tensor<2x2x2x2xf32>) {
  // expected-remark @+1 {{'linalg.generic' left in place: a reduction of a value that does not cover the loops}}
  %s = linalg.generic {indexing_maps = [#id, #keep, #drop], iterator_types = ["parallel", "reduction"]}
      ins(%x, %r : tensor<4x8xf32>, tensor<4x1xf32>) outs(%i : tensor<4xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %y = arith.addf %v, %acc : f32
    linalg.yield %y : f32
  } -> tensor<4xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: more than 4 loops (the kernel dialect takes ranks 1 to 4)}}
  %t = linalg.generic {indexing_maps = [#a5, #b5, #o5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x2x2x2xf32>, tensor<2x2x2x2xf32>) outs(%j : tensor<2x2x2x2xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %y = arith.addf %p, %acc : f32
    linalg.yield %y : f32
  } -> tensor<2x2x2x2xf32>
  return %s, %t : tensor<4xf32>, tensor<2x2x2x2xf32>
}

// -----

// Matmuls with transposed operands: a kernel.transpose of each operand
// whose map permutes the default one's dimensions (B stored transposed is
// what linalg.matmul_transpose_b was; A transposed; a batched K^T).
// CHECK-LABEL: func.func @matmul_transposed
// CHECK-NEXT:    %[[BT:.*]] = kernel.transpose %arg1 permutation [1, 0] : tensor<32x16xf16>
// CHECK-NEXT:    %[[M:.*]] = kernel.matmul %arg0, %[[BT]] : tensor<8x16xf16>, tensor<16x32xf16>
// CHECK-NEXT:    %[[AT:.*]] = kernel.transpose %arg2 permutation [1, 0] : tensor<16x8xf16>
// CHECK-NEXT:    %[[BT2:.*]] = kernel.transpose %arg1 permutation [1, 0] : tensor<32x16xf16>
// CHECK-NEXT:    %[[M2:.*]] = kernel.matmul %[[AT]], %[[BT2]] : tensor<8x16xf16>, tensor<16x32xf16>
// CHECK-NEXT:    %[[KT:.*]] = kernel.transpose %arg4 permutation [0, 2, 1] : tensor<2x6x4xf32>
// CHECK-NEXT:    %[[S:.*]] = kernel.matmul %arg3, %[[KT]] : tensor<2x5x4xf32>, tensor<2x4x6xf32>
// CHECK-NEXT:    return %[[M]], %[[M2]], %[[S]]
func.func @matmul_transposed(%a: tensor<8x16xf16>, %b: tensor<32x16xf16>, %at: tensor<16x8xf16>,
                             %q: tensor<2x5x4xf32>, %k: tensor<2x6x4xf32>) -> (tensor<8x32xf16>, tensor<8x32xf16>, tensor<2x5x6xf32>) {
  %z = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<8x32xf16>
  %f = linalg.fill ins(%z : f16) outs(%e : tensor<8x32xf16>) -> tensor<8x32xf16>
  %m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<8x16xf16>, tensor<32x16xf16>) outs(%f : tensor<8x32xf16>) -> tensor<8x32xf16>
  %m2 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%at, %b : tensor<16x8xf16>, tensor<32x16xf16>) outs(%f : tensor<8x32xf16>) -> tensor<8x32xf16>
  %es = tensor.empty() : tensor<2x5x6xf32>
  %s = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (b, n, k)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%q, %k : tensor<2x5x4xf32>, tensor<2x6x4xf32>) outs(%es : tensor<2x5x6xf32>) -> tensor<2x5x6xf32>
  return %m, %m2, %s : tensor<8x32xf16>, tensor<8x32xf16>, tensor<2x5x6xf32>
}

// -----

// A matmul operand whose map reads only some of the default one's loops
// (a broadcast operand) is broadcast along the others first: a vector for
// every row of A, one B (or one A) for every batch.
// CHECK-LABEL: func.func @matmul_broadcast
// CHECK-NEXT:    %[[A:.*]] = kernel.broadcast %arg0 dimensions [0] : tensor<16xf16> -> tensor<8x16xf16>
// CHECK-NEXT:    %[[M:.*]] = kernel.matmul %[[A]], %arg1 : tensor<8x16xf16>, tensor<16x32xf16>
// CHECK-NEXT:    %[[S:.*]] = kernel.add %arg2, %[[M]]
// CHECK-NEXT:    %[[B:.*]] = kernel.broadcast %arg4 dimensions [0] : tensor<4x6xf32> -> tensor<2x4x6xf32>
// CHECK-NEXT:    %[[BM:.*]] = kernel.matmul %arg3, %[[B]] : tensor<2x5x4xf32>, tensor<2x4x6xf32>
// CHECK-NEXT:    %[[W:.*]] = kernel.broadcast %arg5 dimensions [0] : tensor<5x4xf32> -> tensor<2x5x4xf32>
// CHECK-NEXT:    %[[WM:.*]] = kernel.matmul %[[W]], %arg6 : tensor<2x5x4xf32>, tensor<2x4x6xf32>
// CHECK-NEXT:    return %[[S]], %[[BM]], %[[WM]]
func.func @matmul_broadcast(%a: tensor<16xf16>, %b: tensor<16x32xf16>, %i: tensor<8x32xf16>,
                            %x: tensor<2x5x4xf32>, %w: tensor<4x6xf32>, %wa: tensor<5x4xf32>,
                            %y: tensor<2x4x6xf32>) -> (tensor<8x32xf16>, tensor<2x5x6xf32>, tensor<2x5x6xf32>) {
  %m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<16xf16>, tensor<16x32xf16>) outs(%i : tensor<8x32xf16>) -> tensor<8x32xf16>
  %e = tensor.empty() : tensor<2x5x6xf32>
  %bm = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%x, %w : tensor<2x5x4xf32>, tensor<4x6xf32>) outs(%e : tensor<2x5x6xf32>) -> tensor<2x5x6xf32>
  %wm = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%wa, %y : tensor<5x4xf32>, tensor<2x4x6xf32>) outs(%e : tensor<2x5x6xf32>) -> tensor<2x5x6xf32>
  return %m, %bm, %wm : tensor<8x32xf16>, tensor<2x5x6xf32>, tensor<2x5x6xf32>
}

// -----

// Element-wise generics with permuting and projecting input maps: a
// kernel.transpose into the loops' order, a kernel.broadcast along the
// loops an input does not read (a row vector, a per-row scale, and a
// transposed projection in three loops).
// CHECK-LABEL: func.func @generic_layout
// CHECK-NEXT:    %[[T:.*]] = kernel.transpose %arg1 permutation [1, 0] : tensor<8x4xf32>
// CHECK-NEXT:    %[[A:.*]] = kernel.add %arg0, %[[T]] : tensor<4x8xf32>, tensor<4x8xf32>
// CHECK-NEXT:    %[[E:.*]] = kernel.exp %[[A]]
// CHECK-NEXT:    %[[B:.*]] = kernel.broadcast %arg2 dimensions [0] : tensor<8xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    %[[R:.*]] = kernel.broadcast %arg3 dimensions [1] : tensor<4xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    %[[M:.*]] = kernel.mul %[[B]], %[[R]]
// CHECK-NEXT:    %[[D:.*]] = kernel.div %[[E]], %[[M]]
// CHECK-NEXT:    %[[PT:.*]] = kernel.transpose %arg4 permutation [1, 0] : tensor<3x2xf32>
// CHECK-NEXT:    %[[PB:.*]] = kernel.broadcast %[[PT]] dimensions [1] : tensor<2x3xf32> -> tensor<2x5x3xf32>
// CHECK-NEXT:    %[[N:.*]] = kernel.neg %[[PB]]
// CHECK-NEXT:    return %[[D]], %[[N]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#p3 = affine_map<(d0, d1, d2) -> (d2, d0)>
func.func @generic_layout(%x: tensor<4x8xf32>, %xt: tensor<8x4xf32>, %r: tensor<8xf32>, %c: tensor<4xf32>, %p: tensor<3x2xf32>) -> (tensor<4x8xf32>, tensor<2x5x3xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %a = linalg.generic {indexing_maps = [#id, #t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %xt : tensor<4x8xf32>, tensor<8x4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %s = arith.addf %u, %v : f32
    %y = math.exp %s : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  %b = linalg.generic {indexing_maps = [#id, #row, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %r, %c : tensor<4x8xf32>, tensor<8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%u: f32, %v: f32, %w: f32, %o: f32):
    %m = arith.mulf %v, %w : f32
    %y = arith.divf %u, %m : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  %e3 = tensor.empty() : tensor<2x5x3xf32>
  %n = linalg.generic {indexing_maps = [#p3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%p : tensor<3x2xf32>) outs(%e3 : tensor<2x5x3xf32>) {
  ^bb0(%u: f32, %o: f32):
    %y = arith.negf %u : f32
    linalg.yield %y : f32
  } -> tensor<2x5x3xf32>
  return %b, %n : tensor<4x8xf32>, tensor<2x5x3xf32>
}

// -----

// Input maps that stay: a map that is not a projected permutation.
#id = affine_map<(d0, d1) -> (d0, d1)>
#diag = affine_map<(d0, d1) -> (d0, d0)>
func.func @generic_layout_refused(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %e = tensor.empty() : tensor<4x4xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: an input indexing map that is neither a permutation or projection of the loops nor a broadcast of an extent-1 dimension}}
  %a = linalg.generic {indexing_maps = [#diag, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%u: f32, %o: f32):
    %y = math.exp %u : f32
    linalg.yield %y : f32
  } -> tensor<4x4xf32>
  return %a : tensor<4x4xf32>
}
