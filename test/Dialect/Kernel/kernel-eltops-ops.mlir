// Round trip of neg, sigmoid, erf, cast and the existing sub and tanh at the
// kernel level: custom form printed twice identically, the generic form
// parsed back to the same custom form.
//
// RUN: mirage-opt %s > %t.1 && mirage-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | mirage-opt | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @eltops
// CHECK:         kernel.neg %{{.*}} : tensor<8x64xf16>
// CHECK:         kernel.sigmoid %{{.*}} : tensor<8x64xf16>
// CHECK:         kernel.erf %{{.*}} : tensor<8x64xf16>
// CHECK:         kernel.tanh %{{.*}} : tensor<8x64xf16>
// CHECK:         kernel.sub %{{.*}}, %{{.*}} : tensor<8x64xf16>, tensor<8x1xf16>
// CHECK:         kernel.cast %{{.*}} : tensor<8x64xf16> to tensor<8x64xf32>
// CHECK:         kernel.cast %{{.*}} : tensor<8x64xf32> to tensor<8x64xbf16>
// CHECK:         kernel.cast %{{.*}} : tensor<8x64xbf16> to tensor<8x64xbf16>
// GENERIC-LABEL: sym_name = "eltops"
// GENERIC:       "kernel.neg"(%{{.*}}) : (tensor<8x64xf16>) -> tensor<8x64xf16>
// GENERIC:       "kernel.sigmoid"(%{{.*}}) : (tensor<8x64xf16>) -> tensor<8x64xf16>
// GENERIC:       "kernel.erf"(%{{.*}}) : (tensor<8x64xf16>) -> tensor<8x64xf16>
// GENERIC:       "kernel.cast"(%{{.*}}) : (tensor<8x64xf16>) -> tensor<8x64xf32>
func.func @eltops(%x: tensor<8x64xf16>, %b: tensor<8x1xf16>)
    -> (tensor<8x64xf16>, tensor<8x64xbf16>) {
  %n = kernel.neg %x : tensor<8x64xf16>
  %s = kernel.sigmoid %n : tensor<8x64xf16>
  %e = kernel.erf %s : tensor<8x64xf16>
  %t = kernel.tanh %e : tensor<8x64xf16>
  %d = kernel.sub %t, %b : tensor<8x64xf16>, tensor<8x1xf16>
  %w = kernel.cast %d : tensor<8x64xf16> to tensor<8x64xf32>
  %h = kernel.cast %w : tensor<8x64xf32> to tensor<8x64xbf16>
  %i = kernel.cast %h : tensor<8x64xbf16> to tensor<8x64xbf16>
  return %d, %i : tensor<8x64xf16>, tensor<8x64xbf16>
}

// CHECK-LABEL: func.func @reductions
// CHECK:         kernel.reduce_max %{{.*}} dim 1 : tensor<8x64xf16>
// CHECK:         kernel.reduce_max %{{.*}} dim 0 : tensor<8x64xf16>
// CHECK:         kernel.reduce_mean %{{.*}} dim 2 : tensor<2x8x64xbf16>
// GENERIC-LABEL: sym_name = "reductions"
// GENERIC:       "kernel.reduce_max"(%{{.*}}) <{dim = 1 : i64}> : (tensor<8x64xf16>) -> tensor<8x1xf16>
// GENERIC:       "kernel.reduce_max"(%{{.*}}) <{dim = 0 : i64}> : (tensor<8x64xf16>) -> tensor<1x64xf16>
// GENERIC:       "kernel.reduce_mean"(%{{.*}}) <{dim = 2 : i64}> : (tensor<2x8x64xbf16>) -> tensor<2x8x1xbf16>
func.func @reductions(%x: tensor<8x64xf16>, %y: tensor<2x8x64xbf16>)
    -> (tensor<8x1xf16>, tensor<1x64xf16>, tensor<2x8x1xbf16>) {
  %m = kernel.reduce_max %x dim 1 : tensor<8x64xf16>
  %c = kernel.reduce_max %x dim 0 : tensor<8x64xf16>
  %a = kernel.reduce_mean %y dim 2 : tensor<2x8x64xbf16>
  return %m, %c, %a : tensor<8x1xf16>, tensor<1x64xf16>, tensor<2x8x1xbf16>
}
