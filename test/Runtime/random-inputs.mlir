// mirage-run's seeded inputs are the interpreter's, bit for bit, so that
// the interpreter's outputs for a seed are the reference values of a GPU run
// with the same seed. @ident multiplies by 1.0 (exact), so its outputs are
// its inputs; Inputs/ident is a bundle with the same signature. The .npy
// files must be identical, headers included (f16 as <f2, f32 and bf16 as
// <f4).
//
// REQUIRES: mirage-run
// RUN: rm -rf %t && mkdir -p %t
// RUN: mirage-opt --mirage-interpret="entry=ident seed=7 input-scale=3 output-dir=%t/interp" %s -o /dev/null
// RUN: mirage-run %S/Inputs/ident --seed 7 --scale 3 --write-inputs %t/run | FileCheck %s
// RUN: cmp %t/interp/output0.npy %t/run/input0.npy
// RUN: cmp %t/interp/output1.npy %t/run/input1.npy
// RUN: cmp %t/interp/output2.npy %t/run/input2.npy
// A seed whose product with the generator's constant wraps around 2^64.
// RUN: mirage-opt --mirage-interpret="entry=ident seed=18446744073709551615 output-dir=%t/interp2" %s -o /dev/null
// RUN: mirage-run %S/Inputs/ident --seed 18446744073709551615 --write-inputs %t/run2
// RUN: cmp %t/interp2/output0.npy %t/run2/input0.npy
// RUN: cmp %t/interp2/output1.npy %t/run2/input1.npy
// RUN: cmp %t/interp2/output2.npy %t/run2/input2.npy
//
// The interpreter's outputs also read back as references of the bundle's
// outputs (the reader accepts what the interpreter writes); without a
// driver the run stops after every file is checked.
// RUN: not env MIRAGE_LIBCUDA=/nonexistent/libcuda.so.1 mirage-run %S/Inputs/ident --inputs %t/run --expected %t/interp 2>&1 | FileCheck --check-prefix=NODRIVER %s

// CHECK: mirage-run: wrote 3 inputs of ident to {{.*}}run
// NODRIVER: mirage-run: error: no CUDA driver: cannot load /nonexistent/libcuda.so.1

func.func @ident(%a: tensor<2x3xf16>, %b: tensor<3x4xf32>, %c: tensor<5xbf16>)
    -> (tensor<2x3xf16>, tensor<3x4xf32>, tensor<5xbf16>) {
  %x = kernel.mul_scalar %a, 1.0 : tensor<2x3xf16>
  %y = kernel.mul_scalar %b, 1.0 : tensor<3x4xf32>
  %z = kernel.mul_scalar %c, 1.0 : tensor<5xbf16>
  return %x, %y, %z : tensor<2x3xf16>, tensor<3x4xf32>, tensor<5xbf16>
}
