// Bad options are errors naming the option; a function the search cannot
// take is left unchanged with a remark, or is an error under `strict`.
//
// RUN: not mirage-opt %s --mirage-superoptimize='preset=attn' -o %t.out 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PRESET
// RUN: test ! -e %t.out
// RUN: not mirage-opt %s --mirage-superoptimize='grids=256x1' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GRID
// RUN: not mirage-opt %s --mirage-superoptimize='imaps=1x_' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MAP
// RUN: not mirage-opt %s --mirage-superoptimize='gpu=a100' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GPU
// RUN: not mirage-opt %s --mirage-superoptimize='forloop-ranges=0' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANGE
// RUN: mirage-opt %s --mirage-superoptimize='max-kernel-ops=3 max-block-ops=5 cache=false' \
// RUN:   2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: mirage-opt %s --mirage-superoptimize='max-kernel-ops=3 max-block-ops=5 cache=false' \
// RUN:   2>/dev/null | FileCheck %s --check-prefix=UNCHANGED
// RUN: not mirage-opt %s --mirage-superoptimize='strict=true max-kernel-ops=3 max-block-ops=5 cache=false' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=STRICT

// PRESET: error: mirage-superoptimize: unknown preset 'attn' (expected none, attention, mlp or lora)
// GRID: error: mirage-superoptimize: bad grid '256x1' (expected XxYxZ, e.g. 256x1x1)
// MAP: error: mirage-superoptimize: bad map '1x_' (expected three characters, each a dimension or _, e.g. _1_)
// GPU: error: mirage-superoptimize: unknown gpu 'a100' (expected h100 or h200)
// RANGE: error: mirage-superoptimize: for-loop range must be >= 1, got 0

// REMARK-DAG: remark: mirage-superoptimize: function left unchanged: 'arith.addf' op is not a kernel-level μGraph op
// REMARK-DAG: remark: mirage-superoptimize: function left unchanged: 'nested_exp': exp of a value that depends on an exponential
// UNCHANGED-LABEL: func.func @foreign
// UNCHANGED: arith.addf
// UNCHANGED-LABEL: func.func @nested_exp
// UNCHANGED: kernel.exp
// UNCHANGED: kernel.exp

// STRICT: error: 'arith.addf' op is not a kernel-level μGraph op

func.func @foreign(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %b = arith.addf %a, %a : tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}

// Fingerprints are unsound for an exp of an exp: the reference cannot be
// checked, so nothing would be verified.
func.func @nested_exp(%a: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %b = kernel.exp %a : tensor<4x8xf32>
  %c = kernel.exp %b : tensor<4x8xf32>
  return %c : tensor<4x8xf32>
}
