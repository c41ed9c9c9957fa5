// RUN: mirage-opt --mirage-interpret="entry=scale seed=1" %s -o /dev/null | FileCheck %s
// RUN: mirage-opt --mirage-interpret="entry=scale seed=1" %s -o /dev/null > %t.1
// RUN: mirage-opt --mirage-interpret="entry=scale seed=1" %s -o /dev/null > %t.2
// RUN: diff %t.1 %t.2
// RUN: rm -rf %t && mirage-opt --mirage-interpret="entry=scale seed=1 output-dir=%t" %s -o /dev/null
// RUN: mirage-opt --mirage-interpret="entry=scale inputs=%t/output0.npy" %s -o /dev/null | FileCheck --check-prefix=NPY %s
// RUN: not mirage-opt --mirage-interpret="entry=missing" %s -o /dev/null 2>&1 | FileCheck --check-prefix=ERR %s

// CHECK: output 0: tensor<2x3xf16> min {{.*}} max {{.*}} mean
// CHECK-NEXT: values: {{.*}}
// The output read back and doubled again: 4x the random input.
// NPY: output 0: tensor<2x3xf16>
// ERR: error: option 'entry': no function named 'missing'
func.func @scale(%x: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %y = kernel.mul_scalar %x, 2.0 : tensor<2x3xf16>
  return %y : tensor<2x3xf16>
}
