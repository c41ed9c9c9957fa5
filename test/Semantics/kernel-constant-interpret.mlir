// The interpreter on kernel.constant: every element holds the value, in the
// element type (0.1 in f16 is 0.099975586), through element-wise ops; the
// input read back from .npy and doubled by a constant is 2x the input.
//
// RUN: mirage-opt --mirage-interpret="entry=values" %s -o /dev/null | FileCheck %s
// RUN: rm -rf %t && mirage-opt --mirage-interpret="entry=values output-dir=%t" %s -o /dev/null
// RUN: mirage-opt --mirage-interpret="entry=double inputs=%t/output0.npy" %s -o /dev/null | FileCheck --check-prefix=DOUBLE %s

// CHECK: output 0: tensor<2x3xf16> min 0.0999756 max 0.0999756 mean 0.0999756
// CHECK: output 1: tensor<1x4xf32> min 1.64872 max 1.64872 mean 1.64872
// CHECK: output 2: tensor<2x3xf16> min 0.199951 max 0.199951 mean 0.199951
func.func @values(%x: tensor<2x3xf16>) -> (tensor<2x3xf16>, tensor<1x4xf32>, tensor<2x3xf16>) {
  %c = kernel.constant dense<0.1> : tensor<2x3xf16>
  %h = kernel.constant dense<0.5> : tensor<1x4xf32>
  %e = kernel.exp %h : tensor<1x4xf32>
  %z = kernel.sub %x, %x : tensor<2x3xf16>, tensor<2x3xf16>
  %two = kernel.constant dense<2.0> : tensor<1x1xf16>
  %d = kernel.mul %c, %two : tensor<2x3xf16>, tensor<1x1xf16>
  %s = kernel.add %d, %z : tensor<2x3xf16>, tensor<2x3xf16>
  return %c, %e, %s : tensor<2x3xf16>, tensor<1x4xf32>, tensor<2x3xf16>
}

// DOUBLE: output 0: tensor<2x3xf16> min 0.199951 max 0.199951 mean 0.199951
func.func @double(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %two = kernel.constant dense<2.0> : tensor<1x1xf16>
  %y = kernel.mul %x, %two : tensor<2x3xf16>, tensor<1x1xf16>
  return %y : tensor<2x3xf16>
}
