// kernel.constant: round trip (custom form printed twice identically, the
// generic form parsed back), its folder and the kernel dialect's
// canonicalizations that fold a constant into its user.
//
// RUN: mirage-opt %s > %t.1 && mirage-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | mirage-opt | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: mirage-opt %s --canonicalize | FileCheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @constants
// CHECK:         kernel.constant dense<1.250000e-01> : tensor<1xf16>
// CHECK:         kernel.constant dense<-2.500000e+00> : tensor<2x3x4x5xbf16>
// CHECK:         kernel.constant dense<9.99999997E-7> : tensor<1x1xf32>
// GENERIC:       "kernel.constant"() <{value = dense<1.250000e-01> : tensor<1xf16>}> : () -> tensor<1xf16>
func.func @constants() -> (tensor<1xf16>, tensor<2x3x4x5xbf16>, tensor<1x1xf32>) {
  %a = kernel.constant dense<0.125> : tensor<1xf16>
  %b = kernel.constant dense<-2.5> : tensor<2x3x4x5xbf16>
  %c = kernel.constant dense<1.0e-06> : tensor<1x1xf32>
  return %a, %b, %c : tensor<1xf16>, tensor<2x3x4x5xbf16>, tensor<1x1xf32>
}

// A product with a splat constant is mul_scalar; a sum with a zero is the
// other operand; a difference with a zero subtrahend too.
// CANON-LABEL: func.func @fold_into_users
// CANON-NEXT:    %[[M:.*]] = kernel.mul_scalar %arg0, 1.250000e-01 : tensor<4x64xf16>
// CANON-NEXT:    %[[N:.*]] = kernel.mul_scalar %[[M]], -3.000000e+00 : tensor<4x64xf16>
// CANON-NEXT:    return %[[N]]
func.func @fold_into_users(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %c = kernel.constant dense<0.125> : tensor<1x1xf16>
  %m = kernel.mul %x, %c : tensor<4x64xf16>, tensor<1x1xf16>
  %d = kernel.constant dense<-3.0> : tensor<4x64xf16>
  %n = kernel.mul %d, %m : tensor<4x64xf16>, tensor<4x64xf16>
  %z = kernel.constant dense<0.0> : tensor<1x64xf16>
  %s = kernel.add %z, %n : tensor<1x64xf16>, tensor<4x64xf16>
  %t = kernel.sub %s, %z : tensor<4x64xf16>, tensor<1x64xf16>
  return %t : tensor<4x64xf16>
}

// What does not fold: a constant that widens the result (the product has
// the constant's shape, not x's), a subtraction from zero, a sum with a
// constant other than zero.
// CANON-LABEL: func.func @no_fold
// CANON:         kernel.mul %arg0, %{{.*}} : tensor<1x64xf16>, tensor<4x64xf16>
// CANON:         kernel.sub %{{.*}}, %arg1 : tensor<4x64xf16>, tensor<4x64xf16>
// CANON:         kernel.add %arg1, %{{.*}} : tensor<4x64xf16>, tensor<1x1xf16>
func.func @no_fold(%x: tensor<1x64xf16>, %y: tensor<4x64xf16>) -> (tensor<4x64xf16>, tensor<4x64xf16>, tensor<4x64xf16>) {
  %c = kernel.constant dense<2.0> : tensor<4x64xf16>
  %m = kernel.mul %x, %c : tensor<1x64xf16>, tensor<4x64xf16>
  %z = kernel.constant dense<0.0> : tensor<4x64xf16>
  %s = kernel.sub %z, %y : tensor<4x64xf16>, tensor<4x64xf16>
  %one = kernel.constant dense<1.0> : tensor<1x1xf16>
  %a = kernel.add %y, %one : tensor<4x64xf16>, tensor<1x1xf16>
  return %m, %s, %a : tensor<4x64xf16>, tensor<4x64xf16>, tensor<4x64xf16>
}
