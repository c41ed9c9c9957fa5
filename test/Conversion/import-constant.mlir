// --mirage-import of constants: arith.constant and tosa.const of splat
// float tensors, linalg.fill of a float constant, tosa.reciprocal, and
// constants in linalg.generic bodies map onto kernel.constant; every other
// constant stays with a remark that says why.
//
// RUN: mirage-opt %s -split-input-file --mirage-import -verify-diagnostics \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @arith_constant
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<5.000000e-01> : tensor<2x64xf32>
// CHECK-NEXT:    %[[A:.*]] = kernel.add %arg0, %[[C]] : tensor<2x64xf32>, tensor<2x64xf32>
// CHECK-NEXT:    return %[[A]]
func.func @arith_constant(%x: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %c = arith.constant dense<0.5> : tensor<2x64xf32>
  %y = arith.addf %x, %c : tensor<2x64xf32>
  return %y : tensor<2x64xf32>
}

// -----

// CHECK-LABEL: func.func @tosa_const
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<2.000000e+00> : tensor<1x1xbf16>
// CHECK-NEXT:    %[[S:.*]] = kernel.sub %arg0, %[[C]] : tensor<2x64xbf16>, tensor<1x1xbf16>
// CHECK-NEXT:    return %[[S]]
func.func @tosa_const(%x: tensor<2x64xbf16>) -> tensor<2x64xbf16> {
  %t = "tosa.const"() <{values = dense<2.0> : tensor<1x1xbf16>}> : () -> tensor<1x1xbf16>
  %s = tosa.sub %x, %t : (tensor<2x64xbf16>, tensor<1x1xbf16>) -> tensor<2x64xbf16>
  return %s : tensor<2x64xbf16>
}

// -----

// A product with a constant is mul_scalar; the constant goes with its
// last reader.
// CHECK-LABEL: func.func @product
// CHECK-NEXT:    %[[M:.*]] = kernel.mul_scalar %arg0, 1.250000e-01 : tensor<2x64xf16>
// CHECK-NEXT:    return %[[M]]
func.func @product(%x: tensor<2x64xf16>) -> tensor<2x64xf16> {
  %c = arith.constant dense<0.125> : tensor<2x64xf16>
  %y = arith.mulf %x, %c : tensor<2x64xf16>
  return %y : tensor<2x64xf16>
}

// -----

// A fill of a constant into tensor.empty (or any init: the fill overwrites
// it). The second is only returned: func.return is no kernel op, so it
// reads an arith.constant (below).
// CHECK-LABEL: func.func @fill
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<3.000000e+00> : tensor<2x64xf32>
// CHECK-NEXT:    %[[D:.*]] = kernel.div %arg0, %[[C]]
// CHECK-NEXT:    %[[F:.*]] = arith.constant dense<9.997550e-02> : tensor<2x64xf16>
// CHECK-NEXT:    return %[[D]], %[[F]]
func.func @fill(%x: tensor<2x64xf32>, %init: tensor<2x64xf16>) -> (tensor<2x64xf32>, tensor<2x64xf16>) {
  %e = tensor.empty() : tensor<2x64xf32>
  %cst = arith.constant 3.0 : f32
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<2x64xf32>) -> tensor<2x64xf32>
  %z = arith.divf %x, %f : tensor<2x64xf32>
  %tenth = arith.constant 0.1 : f16
  %g = linalg.fill ins(%tenth : f16) outs(%init : tensor<2x64xf16>) -> tensor<2x64xf16>
  return %z, %g : tensor<2x64xf32>, tensor<2x64xf16>
}

// -----

// tosa.reciprocal is the constant 1 divided by x.
// CHECK-LABEL: func.func @reciprocal
// CHECK-NEXT:    %[[ONE:.*]] = kernel.constant dense<1.000000e+00> : tensor<1x1x1xf16>
// CHECK-NEXT:    %[[R:.*]] = kernel.div %[[ONE]], %arg0 : tensor<1x1x1xf16>, tensor<2x4x8xf16>
// CHECK-NEXT:    return %[[R]]
func.func @reciprocal(%x: tensor<2x4x8xf16>) -> tensor<2x4x8xf16> {
  %r = tosa.reciprocal %x : (tensor<2x4x8xf16>) -> tensor<2x4x8xf16>
  return %r : tensor<2x4x8xf16>
}

// -----

// A body constant where a tensor is needed: a constant of shape 1 x 1 that
// broadcasts (x + 1, then the RMSNorm epsilon added to a mean).
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @generic_body
// CHECK-NEXT:    %[[ONE:.*]] = kernel.constant dense<1.000000e+00> : tensor<1x1xf32>
// CHECK-NEXT:    %[[A:.*]] = kernel.add %arg0, %[[ONE]] : tensor<4x8xf32>, tensor<1x1xf32>
// CHECK-NEXT:    %[[EPS:.*]] = kernel.constant dense<9.99999997E-7> : tensor<1x1xf32>
// CHECK-NEXT:    %[[B:.*]] = kernel.add %arg1, %[[EPS]] : tensor<4x1xf32>, tensor<1x1xf32>
// CHECK-NEXT:    %[[R:.*]] = kernel.rsqrt %[[B]] : tensor<4x1xf32>
// CHECK-NEXT:    %[[M:.*]] = kernel.mul %[[A]], %[[R]] : tensor<4x8xf32>, tensor<4x1xf32>
// CHECK-NEXT:    return %[[M]]
func.func @generic_body(%x: tensor<4x8xf32>, %ms: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %ms : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %m: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %a = arith.addf %in, %one : f32
    %eps = arith.constant 1.0e-06 : f32
    %b = arith.addf %m, %eps : f32
    %r = math.rsqrt %b : f32
    %p = arith.mulf %a, %r : f32
    linalg.yield %p : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// What stays: dense values that are not one value, NaN and infinities,
// element types the kernel dialect does not take, fills of a value that is
// not a constant.
// CHECK-LABEL: func.func @stays
// CHECK-NOT:     kernel.constant
// CHECK:         return
func.func @stays(%x: tensor<1x2xf32>, %v: f32, %i: tensor<4xi32>) -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<2xf64>, tensor<1x2xf32>, tensor<4xf32>, tensor<4xi32>) {
  // expected-remark @+1 {{'arith.constant' left in place: a constant whose elements differ (kernel.constant holds one value, a splat)}}
  %n = arith.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  // expected-remark @+1 {{'tosa.const' left in place: a constant whose elements differ (kernel.constant holds one value, a splat)}}
  %t = "tosa.const"() <{values = dense<[[3.0, 4.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  // expected-remark @+1 {{'arith.constant' left in place: element type f64 (the kernel dialect takes f16, bf16 and f32)}}
  %d = arith.constant dense<1.0> : tensor<2xf64>
  %e = tensor.empty() : tensor<1x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  // expected-remark @+1 {{'linalg.fill' left in place: a fill with a value that is not finite (kernel.constant holds finite values)}}
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %e4 = tensor.empty() : tensor<4xf32>
  // expected-remark @+1 {{'linalg.fill' left in place: a fill with a value that is not a float constant}}
  %g = linalg.fill ins(%v : f32) outs(%e4 : tensor<4xf32>) -> tensor<4xf32>
  // expected-remark @+1 {{'arith.constant' left in place: an infinite constant (kernel.constant holds finite values)}}
  %inf = arith.constant dense<0x7F800000> : tensor<1x2xf32>
  // expected-remark @+1 {{'arith.constant' left in place: element type i32 (the kernel dialect takes f16, bf16 and f32)}}
  %k = arith.constant dense<7> : tensor<4xi32>
  return %n, %t, %d, %f, %g, %k : tensor<1x2xf32>, tensor<1x2xf32>, tensor<2xf64>, tensor<1x2xf32>, tensor<4xf32>, tensor<4xi32>
}

// -----

// A constant that an op left in place reads is an arith.constant for it
// (the kernel ops keep the kernel.constant): here the zero init of a
// NaN-ignoring row maximum (maxnumf), which is never imported.
// CHECK-LABEL: func.func @read_by_upstream
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-NEXT:    %[[U:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-NEXT:    %[[E:.*]] = kernel.exp %[[C]]
// CHECK-NEXT:    linalg.reduce ins(%arg0 : tensor<2x8xf32>) outs(%[[U]] : tensor<2xf32>)
func.func @read_by_upstream(%x: tensor<2x8xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %x2 = math.exp %f : tensor<2xf32>
  // expected-remark @+1 {{'linalg.reduce' left in place}}
  %s = linalg.reduce ins(%x : tensor<2x8xf32>) outs(%f : tensor<2xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.maxnumf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %s, %x2 : tensor<2xf32>, tensor<2xf32>
}
