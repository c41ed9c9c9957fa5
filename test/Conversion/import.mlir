// --mirage-import: every mapping of docs/Import.md, and every reason an op
// stays in place (a remark on the op).
//
// RUN: mirage-opt %s -split-input-file --mirage-import -verify-diagnostics \
// RUN:   | FileCheck %s
// The plugin registers the pass for the stock mlir-opt too.
// RUN: %upstream_mlir_opt %s -split-input-file \
// RUN:   --load-dialect-plugin=%mirage_plugin --load-pass-plugin=%mirage_plugin \
// RUN:   --pass-pipeline='builtin.module(func.func(mirage-import))' \
// RUN:   -verify-diagnostics | FileCheck %s

// linalg.matmul into a zero fill: kernel.matmul; the fill, its constant and
// the empty tensor go.
// CHECK-LABEL: func.func @matmul_zero_init
// CHECK-NEXT:    %[[M:.*]] = kernel.matmul %arg0, %arg1 : tensor<8x16xf16>, tensor<16x32xf16>
// CHECK-NEXT:    return %[[M]]
func.func @matmul_zero_init(%a: tensor<8x16xf16>, %b: tensor<16x32xf16>) -> tensor<8x32xf16> {
  %z = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<8x32xf16>
  %f = linalg.fill ins(%z : f16) outs(%e : tensor<8x32xf16>) -> tensor<8x32xf16>
  %m = linalg.matmul ins(%a, %b : tensor<8x16xf16>, tensor<16x32xf16>) outs(%f : tensor<8x32xf16>) -> tensor<8x32xf16>
  return %m : tensor<8x32xf16>
}

// -----

// Into any other init: the init is added.
// CHECK-LABEL: func.func @matmul_accumulate
// CHECK-NEXT:    %[[M:.*]] = kernel.matmul %arg0, %arg1
// CHECK-NEXT:    %[[S:.*]] = kernel.add %arg2, %[[M]] : tensor<8x32xf32>, tensor<8x32xf32>
// CHECK-NEXT:    return %[[S]]
func.func @matmul_accumulate(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x32xf32>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %m : tensor<8x32xf32>
}

// -----

// CHECK-LABEL: func.func @batch_matmul
// CHECK-NEXT:    kernel.matmul %arg0, %arg1 : tensor<2x8x16xbf16>, tensor<2x16x32xbf16>
func.func @batch_matmul(%a: tensor<2x8x16xbf16>, %b: tensor<2x16x32xbf16>) -> tensor<2x8x32xbf16> {
  %e = tensor.empty() : tensor<2x8x32xbf16>
  %m = linalg.batch_matmul ins(%a, %b : tensor<2x8x16xbf16>, tensor<2x16x32xbf16>) outs(%e : tensor<2x8x32xbf16>) -> tensor<2x8x32xbf16>
  return %m : tensor<2x8x32xbf16>
}

// -----

// f16 operands accumulated into f32: the operands are converted first.
// CHECK-LABEL: func.func @matmul_widening
// CHECK-NEXT:    %[[A:.*]] = kernel.cast %arg0 : tensor<8x16xf16> to tensor<8x16xf32>
// CHECK-NEXT:    %[[B:.*]] = kernel.cast %arg1 : tensor<16x32xf16> to tensor<16x32xf32>
// CHECK-NEXT:    %[[M:.*]] = kernel.matmul %[[A]], %[[B]] : tensor<8x16xf32>, tensor<16x32xf32>
// CHECK-NEXT:    kernel.add %arg2, %[[M]]
func.func @matmul_widening(%a: tensor<8x16xf16>, %b: tensor<16x32xf16>, %c: tensor<8x32xf32>) -> tensor<8x32xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<8x16xf16>, tensor<16x32xf16>) outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %m : tensor<8x32xf32>
}

// -----

// Bad input: a dynamic shape, an element type and a rank the kernel
// dialect does not have.
func.func @dynamic(%a: tensor<?x16xf16>, %b: tensor<16x32xf16>, %c: tensor<?x32xf16>) -> tensor<?x32xf16> {
  // expected-remark @+1 {{'linalg.matmul' left in place: dynamic shape tensor<?x16xf16>}}
  %m = linalg.matmul ins(%a, %b : tensor<?x16xf16>, tensor<16x32xf16>) outs(%c : tensor<?x32xf16>) -> tensor<?x32xf16>
  return %m : tensor<?x32xf16>
}

// -----

func.func @element_type(%a: tensor<8x16xf64>, %b: tensor<8x16xf64>) -> tensor<8x16xf64> {
  // expected-remark @+1 {{'arith.addf' left in place: element type f64 (the kernel dialect takes f16, bf16 and f32)}}
  %s = arith.addf %a, %b : tensor<8x16xf64>
  return %s : tensor<8x16xf64>
}

// -----

func.func @integer(%a: tensor<8x16xi32>, %b: tensor<8x16xi32>) -> tensor<8x16xi32> {
  // expected-remark @+1 {{'tosa.add' left in place: element type i32}}
  %s = tosa.add %a, %b : (tensor<8x16xi32>, tensor<8x16xi32>) -> tensor<8x16xi32>
  return %s : tensor<8x16xi32>
}

// -----

func.func @rank5(%a: tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32> {
  // expected-remark @+1 {{'math.exp' left in place: rank 5 of tensor<1x2x2x2x2xf32> (the kernel dialect takes ranks 1 to 4)}}
  %e = math.exp %a : tensor<1x2x2x2x2xf32>
  return %e : tensor<1x2x2x2x2xf32>
}

// -----

// arith and math on tensors.
// CHECK-LABEL: func.func @arith_math
// CHECK-NEXT:    %[[A:.*]] = kernel.add %arg0, %arg1
// CHECK-NEXT:    %[[S:.*]] = kernel.sub %[[A]], %arg1
// CHECK-NEXT:    %[[M:.*]] = kernel.mul %[[S]], %arg0
// CHECK-NEXT:    %[[D:.*]] = kernel.div %[[M]], %arg1
// CHECK-NEXT:    %[[Q:.*]] = kernel.square %[[D]]
// CHECK-NEXT:    %[[C:.*]] = kernel.mul_scalar %[[Q]], 1.250000e-01
// CHECK-NEXT:    %[[N:.*]] = kernel.neg %[[C]]
// CHECK-NEXT:    %[[R:.*]] = kernel.relu %[[N]]
// CHECK-NEXT:    %[[E:.*]] = kernel.exp %[[R]]
// CHECK-NEXT:    %[[Q2:.*]] = kernel.sqrt %[[E]]
// CHECK-NEXT:    %[[RS:.*]] = kernel.rsqrt %[[Q2]]
// CHECK-NEXT:    %[[T:.*]] = kernel.tanh %[[RS]]
// CHECK-NEXT:    %[[P:.*]] = kernel.pow %[[T]], %arg1
// CHECK-NEXT:    return %[[P]]
func.func @arith_math(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = arith.addf %x, %y : tensor<4x8xf32>
  %s = arith.subf %a, %y : tensor<4x8xf32>
  %m = arith.mulf %s, %x : tensor<4x8xf32>
  %d = arith.divf %m, %y : tensor<4x8xf32>
  %q = arith.mulf %d, %d : tensor<4x8xf32>
  %eighth = arith.constant dense<0.125> : tensor<4x8xf32>
  %c = arith.mulf %eighth, %q : tensor<4x8xf32>
  %n = arith.negf %c : tensor<4x8xf32>
  %zero = arith.constant dense<0.0> : tensor<4x8xf32>
  %r = arith.maximumf %n, %zero : tensor<4x8xf32>
  %e = math.exp %r : tensor<4x8xf32>
  %q2 = math.sqrt %e : tensor<4x8xf32>
  %rs = math.rsqrt %q2 : tensor<4x8xf32>
  %t = math.tanh %rs : tensor<4x8xf32>
  %p = math.powf %t, %y : tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}

// -----

// maxnumf(NaN, 0) is 0, relu(NaN) is NaN: not relu.
func.func @maxnum(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant dense<0.0> : tensor<4x8xf32>
  // expected-remark @+1 {{'arith.maxnumf' left in place: no mapping to the kernel dialect}}
  %r = arith.maxnumf %x, %zero : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// A maximum of two tensors.
func.func @maximum(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-remark @+1 {{'arith.maximumf' left in place: no kernel op yet (maximum of two tensors; only maximumf(x, +0.0), relu, maps)}}
  %r = arith.maximumf %x, %y : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// tosa element-wise ops broadcast as the kernel dialect does.
// CHECK-LABEL: func.func @tosa_elementwise
// CHECK-NEXT:    %[[E:.*]] = kernel.exp %arg0 : tensor<2x8xf16>
// CHECK-NEXT:    %[[R:.*]] = kernel.rsqrt %[[E]]
// CHECK-NEXT:    %[[T:.*]] = kernel.tanh %[[R]]
// CHECK-NEXT:    %[[A:.*]] = kernel.add %[[T]], %arg1 : tensor<2x8xf16>, tensor<2x1xf16>
// CHECK-NEXT:    %[[S:.*]] = kernel.sub %[[A]], %arg1
// CHECK-NEXT:    %[[M:.*]] = kernel.mul %[[S]], %arg1
// CHECK-NEXT:    %[[P:.*]] = kernel.pow %[[M]], %arg1
// CHECK-NEXT:    %[[C:.*]] = kernel.mul_scalar %[[P]], 5.000000e-01
// CHECK-NEXT:    return %[[C]]
func.func @tosa_elementwise(%x: tensor<2x8xf16>, %y: tensor<2x1xf16>) -> tensor<2x8xf16> {
  %e = tosa.exp %x : (tensor<2x8xf16>) -> tensor<2x8xf16>
  %r = tosa.rsqrt %e : (tensor<2x8xf16>) -> tensor<2x8xf16>
  %t = tosa.tanh %r : (tensor<2x8xf16>) -> tensor<2x8xf16>
  %a = tosa.add %t, %y : (tensor<2x8xf16>, tensor<2x1xf16>) -> tensor<2x8xf16>
  %s = tosa.sub %a, %y : (tensor<2x8xf16>, tensor<2x1xf16>) -> tensor<2x8xf16>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.mul %s, %y, %shift : (tensor<2x8xf16>, tensor<2x1xf16>, tensor<1xi8>) -> tensor<2x8xf16>
  %p = tosa.pow %m, %y : (tensor<2x8xf16>, tensor<2x1xf16>) -> tensor<2x8xf16>
  %half = "tosa.const"() <{values = dense<0.5> : tensor<2x8xf16>}> : () -> tensor<2x8xf16>
  %c = tosa.mul %p, %half, %shift : (tensor<2x8xf16>, tensor<2x8xf16>, tensor<1xi8>) -> tensor<2x8xf16>
  return %c : tensor<2x8xf16>
}

// -----

// CHECK-LABEL: func.func @tosa_matmul_reduce
// CHECK-NEXT:    %[[M:.*]] = kernel.matmul %arg0, %arg1 : tensor<2x8x16xf32>, tensor<2x16x4xf32>
// CHECK-NEXT:    %[[R:.*]] = kernel.reduction %[[M]] dim 2 : tensor<2x8x4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x8x1xf32>
func.func @tosa_matmul_reduce(%a: tensor<2x8x16xf32>, %b: tensor<2x16x4xf32>) -> tensor<2x8x1xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = tosa.matmul %a, %b, %zp, %zp : (tensor<2x8x16xf32>, tensor<2x16x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x4xf32>
  %r = tosa.reduce_sum %m {axis = 2 : i32} : (tensor<2x8x4xf32>) -> tensor<2x8x1xf32>
  return %r : tensor<2x8x1xf32>
}

// -----

// A cast to the same type is the identity.
// CHECK-LABEL: func.func @tosa_cast_identity
// CHECK-NEXT:    return %arg0
func.func @tosa_cast_identity(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = tosa.cast %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %c : tensor<2x8xf32>
}

// -----

// tosa ops of the kernel ops neg, sigmoid, erf, reduce_max, cast and
// constant (reciprocal is a division of the constant 1).
// CHECK-LABEL: func.func @tosa_more
// CHECK-NEXT:    %[[ONE:.*]] = kernel.constant dense<1.000000e+00> : tensor<1x1xf32>
// CHECK-NEXT:    %[[R:.*]] = kernel.div %[[ONE]], %arg0 : tensor<1x1xf32>, tensor<2x8xf32>
// CHECK-NEXT:    %[[N:.*]] = kernel.neg %[[R]] : tensor<2x8xf32>
// CHECK-NEXT:    %[[S:.*]] = kernel.sigmoid %[[N]] : tensor<2x8xf32>
// CHECK-NEXT:    %[[E:.*]] = kernel.erf %[[S]] : tensor<2x8xf32>
// CHECK-NEXT:    %[[M:.*]] = kernel.reduce_max %[[E]] dim 1 : tensor<2x8xf32>
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<2.000000e+00> : tensor<2x1xf32>
// CHECK-NEXT:    %[[P:.*]] = kernel.mul_scalar %[[M]], 2.000000e+00
// CHECK-NEXT:    %[[D:.*]] = kernel.sub %[[E]], %[[C]]
// CHECK-NEXT:    %[[A:.*]] = kernel.add %[[D]], %[[P]]
// CHECK-NEXT:    %[[H:.*]] = kernel.cast %[[A]] : tensor<2x8xf32> to tensor<2x8xf16>
// CHECK-NEXT:    %[[T:.*]] = kernel.transpose %[[H]] permutation [1, 0] : tensor<2x8xf16>
func.func @tosa_more(%x: tensor<2x8xf32>) -> tensor<8x2xf16> {
  %r = tosa.reciprocal %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %n = tosa.negate %r, %zp, %zp : (tensor<2x8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8xf32>
  %s = tosa.sigmoid %n : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %e = tosa.erf %s : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %m = tosa.reduce_max %e {axis = 1 : i32} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %c = "tosa.const"() <{values = dense<2.0> : tensor<2x1xf32>}> : () -> tensor<2x1xf32>
  %zero = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // The product with a constant is mul_scalar, the constant stays for the
  // sub.
  %p = tosa.mul %m, %c, %zero : (tensor<2x1xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x1xf32>
  %d = tosa.sub %e, %c : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %a = tosa.add %d, %p : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %h = tosa.cast %a : (tensor<2x8xf32>) -> tensor<2x8xf16>
  %t = tosa.transpose %h {perms = array<i32: 1, 0>} : (tensor<2x8xf16>) -> tensor<8x2xf16>
  return %t : tensor<8x2xf16>
}

// -----

// NaN-ignoring maximum is not kernel.reduce_max.
func.func @reduce_max_ignore(%x: tensor<2x8xf32>) -> tensor<2x1xf32> {
  // expected-remark @+1 {{'tosa.reduce_max' left in place: nan_mode IGNORE: kernel.reduce_max propagates NaN}}
  %m = tosa.reduce_max %x {axis = 1 : i32, nan_mode = IGNORE} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return %m : tensor<2x1xf32>
}

// -----

// arith casts on tensors, and a generic that computes in f32 between casts,
// with a sigmoid and an erf.
// CHECK-LABEL: func.func @casts
// CHECK-NEXT:    %[[W:.*]] = kernel.cast %arg0 : tensor<4x8xf16> to tensor<4x8xf32>
// CHECK-NEXT:    %[[N:.*]] = kernel.cast %[[W]] : tensor<4x8xf32> to tensor<4x8xbf16>
// CHECK-NEXT:    %[[U:.*]] = kernel.cast %arg0 : tensor<4x8xf16> to tensor<4x8xf32>
// CHECK-NEXT:    %[[S:.*]] = kernel.sigmoid %[[U]] : tensor<4x8xf32>
// CHECK-NEXT:    %[[E:.*]] = kernel.erf %[[S]] : tensor<4x8xf32>
// CHECK-NEXT:    %[[T:.*]] = kernel.cast %[[E]] : tensor<4x8xf32> to tensor<4x8xf16>
// CHECK-NEXT:    return %[[N]], %[[T]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @casts(%x: tensor<4x8xf16>) -> (tensor<4x8xbf16>, tensor<4x8xf16>) {
  %w = arith.extf %x : tensor<4x8xf16> to tensor<4x8xf32>
  %n = arith.truncf %w : tensor<4x8xf32> to tensor<4x8xbf16>
  %e = tensor.empty() : tensor<4x8xf16>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf16>) outs(%e : tensor<4x8xf16>) {
  ^bb0(%a: f16, %o: f16):
    %a32 = arith.extf %a : f16 to f32
    %m = arith.negf %a32 : f32
    %ex = math.exp %m : f32
    %one = arith.constant 1.0 : f32
    %den = arith.addf %ex, %one : f32
    %sig = arith.divf %one, %den : f32
    %er = math.erf %sig : f32
    %y = arith.truncf %er : f32 to f16
    linalg.yield %y : f16
  } -> tensor<4x8xf16>
  return %n, %g : tensor<4x8xbf16>, tensor<4x8xf16>
}

// -----

// tosa.reshape, tensor.expand_shape and tensor.collapse_shape: kernel.reshape
// to the result type (the shape operand is erased); tosa.transpose's perms.
// CHECK-LABEL: func.func @tosa_reshape
// CHECK-NEXT:    %[[R:.*]] = kernel.reshape %arg0 : tensor<2x8xf32> -> tensor<16xf32>
// CHECK-NEXT:    %[[T:.*]] = kernel.transpose %arg0 permutation [1, 0] : tensor<2x8xf32>
// CHECK-NEXT:    %[[E:.*]] = kernel.reshape %arg0 : tensor<2x8xf32> -> tensor<2x2x4xf32>
// CHECK-NEXT:    %[[C:.*]] = kernel.reshape %arg0 : tensor<2x8xf32> -> tensor<16xf32>
// CHECK-NEXT:    return %[[R]], %[[T]], %[[E]], %[[C]]
func.func @tosa_reshape(%x: tensor<2x8xf32>) -> (tensor<16xf32>, tensor<8x2xf32>, tensor<2x2x4xf32>, tensor<16xf32>) {
  %shape = tosa.const_shape {values = dense<16> : tensor<1xindex>} : () -> !tosa.shape<1>
  %r = tosa.reshape %x, %shape : (tensor<2x8xf32>, !tosa.shape<1>) -> tensor<16xf32>
  %t = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<2x8xf32>) -> tensor<8x2xf32>
  %ex = tensor.expand_shape %x [[0], [1, 2]] output_shape [2, 2, 4] : tensor<2x8xf32> into tensor<2x2x4xf32>
  %c = tensor.collapse_shape %x [[0, 1]] : tensor<2x8xf32> into tensor<16xf32>
  return %r, %t, %ex, %c : tensor<16xf32>, tensor<8x2xf32>, tensor<2x2x4xf32>, tensor<16xf32>
}

// -----

// A reshape of a dynamic shape stays.
func.func @dynamic_reshape(%x: tensor<2x?xf32>) -> tensor<?xf32> {
  // expected-remark @+1 {{'tensor.collapse_shape' left in place}}
  %c = tensor.collapse_shape %x [[0, 1]] : tensor<2x?xf32> into tensor<?xf32>
  return %c : tensor<?xf32>
}

// -----

// linalg.transpose and linalg.broadcast: their inits are erased.
// CHECK-LABEL: func.func @linalg_layout
// CHECK-NEXT:    %[[T:.*]] = kernel.transpose %arg0 permutation [1, 0] : tensor<2x8xf32>
// CHECK-NEXT:    %[[B:.*]] = kernel.broadcast %arg1 dimensions [0] : tensor<8xf32> -> tensor<2x8xf32>
// CHECK-NEXT:    return %[[T]], %[[B]]
func.func @linalg_layout(%x: tensor<2x8xf32>, %y: tensor<8xf32>) -> (tensor<8x2xf32>, tensor<2x8xf32>) {
  %e = tensor.empty() : tensor<8x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x8xf32>) outs(%e : tensor<8x2xf32>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<2x8xf32>
  %b = linalg.broadcast ins(%y : tensor<8xf32>) outs(%e2 : tensor<2x8xf32>) dimensions = [0]
  return %t, %b : tensor<8x2xf32>, tensor<2x8xf32>
}

// -----

// linalg.generic recognized from its body: silu in two spellings, gelu
// (erf form), square, relu, a scale, and a broadcast operand.
// CHECK-LABEL: func.func @generic
// CHECK-NEXT:    %[[S1:.*]] = kernel.silu %arg0 : tensor<4x8xf16>
// CHECK-NEXT:    %[[S2:.*]] = kernel.silu %[[S1]] : tensor<4x8xf16>
// CHECK-NEXT:    %[[G:.*]] = kernel.gelu %[[S2]] : tensor<4x8xf16>
// CHECK-NEXT:    %[[Q:.*]] = kernel.square %[[G]]
// CHECK-NEXT:    %[[R:.*]] = kernel.relu %[[Q]]
// CHECK-NEXT:    %[[C:.*]] = kernel.mul_scalar %[[R]], 3.000000e+00
// CHECK-NEXT:    %[[D:.*]] = kernel.div %[[C]], %arg1 : tensor<4x8xf16>, tensor<4x1xf16>
// CHECK-NEXT:    return %[[D]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
func.func @generic(%x: tensor<4x8xf16>, %r: tensor<4x1xf16>) -> tensor<4x8xf16> {
  %e = tensor.empty() : tensor<4x8xf16>
  %silu1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf16>) outs(%e : tensor<4x8xf16>) {
  ^bb0(%a: f16, %o: f16):
    %n = arith.negf %a : f16
    %ex = math.exp %n : f16
    %one = arith.constant 1.0 : f16
    %den = arith.addf %one, %ex : f16
    %y = arith.divf %a, %den : f16
    linalg.yield %y : f16
  } -> tensor<4x8xf16>
  %one = arith.constant 1.0 : f16
  %minus = arith.constant -1.0 : f16
  %silu2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%silu1 : tensor<4x8xf16>) outs(%e : tensor<4x8xf16>) {
  ^bb0(%a: f16, %o: f16):
    %n = arith.mulf %a, %minus : f16
    %ex = math.exp %n : f16
    %den = arith.addf %ex, %one : f16
    %sig = arith.divf %one, %den : f16
    %y = arith.mulf %sig, %a : f16
    linalg.yield %y : f16
  } -> tensor<4x8xf16>
  %gelu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%silu2 : tensor<4x8xf16>) outs(%e : tensor<4x8xf16>) {
  ^bb0(%a: f16, %o: f16):
    %half = arith.constant 0.5 : f16
    %rsqrt2 = arith.constant 0.70710678 : f16
    %h = arith.mulf %half, %a : f16
    %s = arith.mulf %a, %rsqrt2 : f16
    %erf = math.erf %s : f16
    %p = arith.addf %erf, %one : f16
    %y = arith.mulf %h, %p : f16
    linalg.yield %y : f16
  } -> tensor<4x8xf16>
  %out = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%gelu, %r : tensor<4x8xf16>, tensor<4x1xf16>) outs(%e : tensor<4x8xf16>) {
  ^bb0(%a: f16, %b: f16, %o: f16):
    %sq = arith.mulf %a, %a : f16
    %zero = arith.constant 0.0 : f16
    %relu = arith.maximumf %sq, %zero : f16
    %three = arith.constant 3.0 : f16
    %sc = arith.mulf %relu, %three : f16
    %y = arith.divf %sc, %b : f16
    linalg.yield %y : f16
  } -> tensor<4x8xf16>
  return %out : tensor<4x8xf16>
}

// -----

// Generics the importer does not map, each with its reason (%a, a
// transposed input, and %c, a reduction, are imported:
// import-layout.mlir has their mappings).
#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
#drop = affine_map<(d0, d1) -> (d0)>
func.func @generic_refused(%x: tensor<4x8xf32>, %xt: tensor<8x4xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %a = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xt : tensor<8x4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %y = math.exp %in : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: its body uses the constant INF where a tensor is needed: kernel.constant holds finite values}}
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %inf = arith.constant 0x7F800000 : f32
    %y = arith.addf %in, %inf : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  %e4 = tensor.empty() : tensor<4xf32>
  %c = linalg.generic {indexing_maps = [#id, #drop], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%e4 : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %y = arith.addf %in, %acc : f32
    linalg.yield %y : f32
  } -> tensor<4xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: its body uses 'math.sin', which has no kernel op}}
  %d = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %y = math.sin %in : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  // expected-remark @+1 {{'linalg.generic' left in place: its body reads the output (an accumulation)}}
  %f = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%x : tensor<4x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    %y = arith.addf %in, %o : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  return %a, %b, %c, %d, %f : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Ops of other dialects and scalar arith are not the importer's business.
// CHECK-LABEL: func.func @untouched
// CHECK-NEXT:    arith.addi
// CHECK-NEXT:    tensor.extract
func.func @untouched(%i: index, %x: tensor<4xf32>) -> f32 {
  %j = arith.addi %i, %i : index
  // expected-remark @+1 {{'tensor.extract' left in place: no mapping to the kernel dialect}}
  %v = tensor.extract %x[%j] : tensor<4xf32>
  return %v : f32
}
