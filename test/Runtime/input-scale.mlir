// The function's mirage.input_scale sets the scale of the seeded inputs
// wherever no option overrides it (docs/Semantics.md, "Input scales"): in the
// interpreter, and through the bundle manifest in mirage-run, whose inputs
// stay the interpreter's bit for bit. @scaled multiplies by 1.0 (exact), so
// its outputs are its inputs.
//
// REQUIRES: mirage-run
// RUN: rm -rf %t && mkdir -p %t
// RUN: mirage-opt --mirage-interpret="entry=scaled seed=5 output-dir=%t/attr" %s -o /dev/null
// RUN: mirage-opt --mirage-interpret="entry=scaled seed=5 input-scale=0.25 output-dir=%t/opt" %s -o /dev/null
// RUN: mirage-opt --mirage-interpret="entry=scaled seed=5 input-scale=1 output-dir=%t/one" %s -o /dev/null
// RUN: cmp %t/attr/output0.npy %t/opt/output0.npy
// RUN: cmp %t/attr/output1.npy %t/opt/output1.npy
// RUN: not cmp %t/attr/output0.npy %t/one/output0.npy
//
// The bundle records the scale; mirage-run takes it as the default of
// --scale, and --scale overrides it.
// RUN: mirage-opt --mirage-to-ptx="chip=sm_90 output=%t/bundle" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/bundle/scaled.json
// MANIFEST: "input_scale": 0.25,
// MANIFEST-NEXT: "workspace_bytes":
// RUN: mirage-run %t/bundle --seed 5 --write-inputs %t/run
// RUN: cmp %t/attr/output0.npy %t/run/input0.npy
// RUN: cmp %t/attr/output1.npy %t/run/input1.npy
// RUN: mirage-run %t/bundle --seed 5 --scale 1 --write-inputs %t/run1
// RUN: cmp %t/one/output0.npy %t/run1/input0.npy
//
// A scale that is not a positive finite float is an error at the function.
// RUN: not mirage-opt --mirage-interpret="entry=bad seed=5" \
// RUN:     %S/Inputs/bad-input-scale.mlir -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// RUN: not mirage-opt --mirage-to-ptx="chip=sm_90 output=%t/bad" \
// RUN:     %S/Inputs/bad-input-scale.mlir -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// RUN: test ! -e %t/bad/bad.json
// BAD: bad-input-scale.mlir:3:1: error: 'mirage.input_scale' must be a positive finite float (the scale of the seeded random inputs), got 0.000000e+00 : f64

func.func @scaled(%a: tensor<2x3xf16>, %b: tensor<3x4xf32>)
    -> (tensor<2x3xf16>, tensor<3x4xf32>)
    attributes {mirage.input_scale = 0.25 : f64} {
  %x = kernel.mul_scalar %a, 1.0 : tensor<2x3xf16>
  %y = kernel.mul_scalar %b, 1.0 : tensor<3x4xf32>
  return %x, %y : tensor<2x3xf16>, tensor<3x4xf32>
}
